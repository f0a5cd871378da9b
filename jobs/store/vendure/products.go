package vendure

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/orderhub/orderhub/models"
)

const variantFields = `id updatedAt enabled sku name price priceWithTax currencyCode stockOnHand stockAllocated trackInventory outOfStockThreshold useGlobalOutOfStockThreshold product{ enabled }`

const productsQuery = `query($o:ProductVariantListOptions){ productVariants(options:$o){ totalItems items{ ` + variantFields + ` } } globalSettings{ trackInventory outOfStockThreshold } }`

// productsCursor is where Products resumes. "" reads the whole catalogue by id; the last page
// of a pass returns a cursor holding Since, the latest change seen less a second (Vendure
// keeps whole seconds on some databases), from which a caller may read only what changed.
type productsCursor struct {
	Skip   int    `json:"skip,omitempty"`
	Since  string `json:"since,omitempty"`
	Latest string `json:"latest,omitempty"`
}

// Products returns one page of product variants: in Vendure a variant is what is ordered and
// carries the SKU, the price and the stock.
func (c *Client) Products(ctx context.Context, cursor string) (models.ProductsPage, error) {
	var cur productsCursor
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil || cur.Skip < 0 {
			return models.ProductsPage{}, fmt.Errorf("vendure products cursor %s is unreadable", strconv.Quote(cursor))
		}
	}
	options := map[string]any{"skip": cur.Skip, "take": c.pageSize, "sort": map[string]any{"id": "ASC"}}
	if cur.Since != "" {
		options["filter"] = map[string]any{"updatedAt": map[string]any{"after": cur.Since}}
		options["sort"] = map[string]any{"updatedAt": "ASC"}
	}
	var data struct {
		ProductVariants struct {
			TotalItems int           `json:"totalItems"`
			Items      []wireVariant `json:"items"`
		} `json:"productVariants"`
		GlobalSettings globalSettings `json:"globalSettings"`
	}
	if err := c.query(ctx, productsQuery, map[string]any{"o": options}, &data); err != nil {
		return models.ProductsPage{}, err
	}
	latest := parseTime(cur.Latest)
	products := make([]models.Product, 0, len(data.ProductVariants.Items))
	for _, item := range data.ProductVariants.Items {
		products = append(products, productFromWire(item, data.GlobalSettings))
		if item.UpdatedAt.After(latest) {
			latest = item.UpdatedAt.UTC()
		}
	}
	next := cur.Skip + len(data.ProductVariants.Items)
	if len(data.ProductVariants.Items) > 0 && next < data.ProductVariants.TotalItems {
		cur.Skip, cur.Latest = next, formatTime(latest)
		return models.ProductsPage{Products: products, Cursor: cur.encode(), More: true}, nil
	}
	done := productsCursor{Since: cur.Since}
	if !latest.IsZero() {
		done.Since = formatTime(latest.Add(-time.Second))
	}
	return models.ProductsPage{Products: products, Cursor: done.encode()}, nil
}

func (cur productsCursor) encode() string {
	encoded, _ := json.Marshal(cur)
	return string(encoded)
}

type globalSettings struct {
	TrackInventory      bool `json:"trackInventory"`
	OutOfStockThreshold int  `json:"outOfStockThreshold"`
}

// productFromWire maps one variant. Its stock is what Vendure still sells: on hand, less what
// paid orders hold (allocated) and the out-of-stock threshold. Vendure has no EAN field.
func productFromWire(v wireVariant, global globalSettings) models.Product {
	tracked := v.TrackInventory == "TRUE" || (v.TrackInventory == "INHERIT" && global.TrackInventory)
	product := models.Product{
		StoreProductID: v.ID,
		SKU:            v.SKU,
		Name:           v.Name,
		ManageStock:    tracked,
		Active:         v.Enabled && v.Product.Enabled,
		UpdatedAt:      v.UpdatedAt.UTC(),
	}
	if tracked {
		threshold := v.OutOfStockThreshold
		if v.UseGlobalOutOfStockThreshold {
			threshold = global.OutOfStockThreshold
		}
		product.Stock = max(v.StockOnHand-v.StockAllocated-threshold, 0)
	}
	return product
}

const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(value string) time.Time {
	parsed, _ := time.Parse(time.RFC3339Nano, value)
	return parsed.UTC()
}
