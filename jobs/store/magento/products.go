package magento

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// listCursor is where Products and Shipments resume. A pass reads every entity updated since
// Since, by entity id, page by page: the filtered set only grows while it is read (updated_at
// never goes back), so entities shift to later pages, never to pages already read, and none
// is skipped. The next pass starts one second before the store's time when this one opened,
// so what changed while it was read comes again.
type listCursor struct {
	Since  string `json:"since,omitempty"`  // updated_at lower bound ("" reads everything)
	Page   int    `json:"page,omitempty"`   // the next page of the pass
	Opened string `json:"opened,omitempty"` // the store's time when the pass read its first page
	// Watch lists orders seen completed without a track: adding a track to a shipment does
	// not touch the order's updated_at, so they are asked for again (store order id → the
	// time first seen so).
	Watch map[string]string `json:"watch,omitempty"`
}

func parseListCursor(kind, cursor string) (listCursor, error) {
	var cur listCursor
	if cursor == "" {
		return cur, nil
	}
	if err := json.Unmarshal([]byte(cursor), &cur); err != nil {
		return cur, fmt.Errorf("magento %s cursor %s is unreadable: %w", kind, strconv.Quote(cursor), err)
	}
	for _, value := range []string{cur.Since, cur.Opened} {
		if value != "" {
			if _, err := parseTime(value); err != nil {
				return cur, fmt.Errorf("magento %s cursor %s holds a bad date %q", kind, strconv.Quote(cursor), value)
			}
		}
	}
	return cur, nil
}

func (cur listCursor) encode() string {
	encoded, _ := json.Marshal(cur)
	return string(encoded)
}

// pageQuery filters on updated_at since the cursor and pages by entity id.
func (c *Client) pageQuery(cur listCursor, extra ...filter) searchCriteria {
	sc := searchCriteria{Sort: []sortOrder{{"entity_id", "ASC"}}, PageSize: c.pageSize, CurrentPage: max(cur.Page, 1)}
	if cur.Since != "" {
		sc = sc.and(filter{"updated_at", cur.Since, "gteq"})
	}
	return sc.and(extra...)
}

// advance returns the cursor after a page: the next page of the pass, or the next pass.
// Magento answers a page past the end with the last page again, so total_count decides.
func (c *Client) advance(cur listCursor, res *apiclient.Response, total int) (listCursor, bool) {
	page := max(cur.Page, 1)
	if page == 1 {
		cur.Opened = formatTime(c.serverTime(res))
	}
	if page*c.pageSize < total {
		cur.Page = page + 1
		return cur, true
	}
	next := listCursor{Since: cur.Since, Watch: cur.Watch}
	if opened, err := parseTime(cur.Opened); err == nil {
		next.Since = formatTime(opened.Add(-time.Second))
	}
	return next, false
}

// Products returns one page of the catalogue, changed since cursor. Simple and virtual
// products are what a cart takes by SKU; configurable, bundle and grouped parents are left
// out (their children come as simple products). Where the store runs MSI, the stock is the
// salable quantity of the configured stock (what checkout allows), read per product.
func (c *Client) Products(ctx context.Context, cursor string) (models.ProductsPage, error) {
	cur, err := parseListCursor("products", cursor)
	if err != nil {
		return models.ProductsPage{}, err
	}
	var list wireList[wireProduct]
	res, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/products", Query: c.pageQuery(cur).values(), Out: &list})
	if err != nil {
		return models.ProductsPage{}, err
	}
	var products []models.Product
	for _, item := range list.Items {
		if item.TypeID != "" && item.TypeID != "simple" && item.TypeID != "virtual" {
			continue
		}
		product := productFromWire(item)
		if product.ManageStock && item.SKU != "" {
			salable, ok, err := c.salableQuantity(ctx, item.SKU)
			if err != nil {
				return models.ProductsPage{}, err
			}
			if ok {
				product.Stock = salable
			}
		}
		products = append(products, product)
	}
	next, more := c.advance(cur, res, list.TotalCount)
	return models.ProductsPage{Products: products, Cursor: next.encode(), More: more}, nil
}

// salableQuantity asks MSI for the quantity checkout allows; ok is false where the store has
// no MSI (the route does not exist) or the product is not in the stock, and the legacy stock
// item's qty stands.
func (c *Client) salableQuantity(ctx context.Context, sku string) (int, bool, error) {
	if c.msi < 0 {
		return 0, false, nil
	}
	var quantity decimal
	_, err := c.do(ctx, apiclient.Request{
		Method: http.MethodGet,
		Path:   fmt.Sprintf("/inventory/get-product-salable-quantity/%s/%d", url.PathEscape(sku), c.cfg.StockID),
		Out:    &quantity,
	})
	var apiErr *apiclient.Error
	switch {
	case err == nil:
		c.msi = 1
		return quantity.whole(), true, nil
	case apiclient.StatusOf(err) == http.StatusNotFound && errors.As(err, &apiErr) && strings.Contains(apiErr.Message, "does not match any route"):
		c.msi = -1
		return 0, false, nil
	case apiclient.IsPermanent(err):
		return 0, false, nil // e.g. a product not assigned to a source of this stock
	}
	return 0, false, err
}

// productFromWire maps a product. Active means a cart takes it: enabled. Visibility does not
// matter: a configurable's children are "not visible individually" and still orderable by SKU.
func productFromWire(p wireProduct) models.Product {
	product := models.Product{
		StoreProductID: strconv.FormatInt(p.ID, 10),
		SKU:            p.SKU,
		EAN:            eanOf(p.CustomAttributes),
		Name:           p.Name,
		Active:         p.Status == 1,
	}
	if updated, err := parseTime(p.UpdatedAt); err == nil {
		product.UpdatedAt = updated
	}
	product.Stock, product.ManageStock = stockFromWire(p.ExtensionAttributes.StockItem)
	return product
}

// stockFromWire tells whether the stock limits orders and how much there is. The store-wide
// defaults are Magento's: stock managed, no backorders.
func stockFromWire(item *wireStockItem) (stock int, limited bool) {
	if item == nil {
		return 0, false
	}
	managed := item.UseConfigManageStock || item.ManageStock == nil || *item.ManageStock
	if !managed || (!item.UseConfigBackorders && item.BackordersAllowed > 0) {
		return 0, false
	}
	if !item.IsInStock || item.Qty == nil {
		return 0, true
	}
	return max(item.Qty.whole(), 0), true
}

// eanAttributes are the attribute codes stores commonly give the EAN/GTIN (core has none).
var eanAttributes = []string{"ean", "gtin", "gtin13", "barcode"}

func eanOf(attributes []wireCustomAttribute) string {
	for _, code := range eanAttributes {
		for _, attribute := range attributes {
			var text string
			if attribute.AttributeCode == code && json.Unmarshal(attribute.Value, &text) == nil && text != "" {
				return text
			}
		}
	}
	return ""
}
