package prestashop

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/orderhub/orderhub/models"
)

// productsCursor is where Products resumes: an offset into the products sorted by id, and,
// for an incremental read, the shop-local date_upd they must have changed since.
type productsCursor struct {
	Offset       int    `json:"offset,omitempty"`
	UpdatedSince string `json:"updated_since,omitempty"`
}

const productFields = "[id,reference,ean13,name,active,available_for_order,visibility,price,id_tax_rules_group,date_upd]"

// Products returns one page of the catalogue. A product with combinations comes as its
// combinations (what a buyer orders), each with its own reference. "" reads everything; the
// last page returns More false and a cursor holding the latest date_upd seen, from which a
// caller may read only the products changed since. PrestaShop does not move a product's
// date_upd when only its stock changes, so the engine reads the whole catalogue each pass.
func (c *Client) Products(ctx context.Context, cursor string) (models.ProductsPage, error) {
	var cur productsCursor
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil || cur.Offset < 0 {
			return models.ProductsPage{}, fmt.Errorf("prestashop products cursor %q is unreadable", cursor)
		}
	}
	query := url.Values{
		"display": {productFields},
		"sort":    {"[id_ASC]"},
		"limit":   {fmt.Sprintf("%d,%d", cur.Offset, c.pageSize)},
	}
	if cur.UpdatedSince != "" {
		query.Set("filter[date_upd]", "["+cur.UpdatedSince+",9999-12-31 23:59:59]")
		query.Set("date", "1")
	}
	var items []wireProduct
	if err := c.list(ctx, "products", query, &items); err != nil {
		return models.ProductsPage{}, err
	}
	products, err := c.productsOf(ctx, items)
	if err != nil {
		return models.ProductsPage{}, err
	}
	latest := cur.UpdatedSince
	for _, item := range items {
		if string(item.DateUpd) > latest {
			latest = string(item.DateUpd)
		}
	}
	if len(items) >= c.pageSize {
		next, _ := json.Marshal(productsCursor{Offset: cur.Offset + len(items), UpdatedSince: cur.UpdatedSince})
		return models.ProductsPage{Products: products, Cursor: string(next), More: true}, nil
	}
	next, _ := json.Marshal(productsCursor{UpdatedSince: latest})
	return models.ProductsPage{Products: products, Cursor: string(next)}, nil
}

// productsOf reads the combinations and stock of one page of products.
func (c *Client) productsOf(ctx context.Context, items []wireProduct) ([]models.Product, error) {
	if len(items) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(items))
	for i, item := range items {
		ids[i] = item.ID.Value
	}
	var combinations []wireCombination
	if err := c.list(ctx, "combinations", url.Values{
		"display":            {"[id,id_product,reference,ean13]"},
		"filter[id_product]": {idsFilter(ids)},
		"sort":               {"[id_ASC]"},
	}, &combinations); err != nil {
		return nil, err
	}
	stocks, err := c.stocks(ctx, ids)
	if err != nil {
		return nil, err
	}
	byProduct := map[int64][]wireCombination{}
	for _, combination := range combinations {
		byProduct[combination.IDProduct.Value] = append(byProduct[combination.IDProduct.Value], combination)
	}
	var products []models.Product
	for _, item := range items {
		if combos := byProduct[item.ID.Value]; len(combos) > 0 {
			for _, combination := range combos {
				products = append(products, c.productFromWire(item, &combination, stocks))
			}
			continue
		}
		products = append(products, c.productFromWire(item, nil, stocks))
	}
	return products, nil
}

type stockKey struct{ product, attribute int64 }

func (c *Client) stocks(ctx context.Context, productIDs []int64) (map[stockKey]wireStockAvailable, error) {
	var items []wireStockAvailable
	if err := c.list(ctx, "stock_availables", url.Values{
		"display":            {"[id,id_product,id_product_attribute,quantity,out_of_stock]"},
		"filter[id_product]": {idsFilter(productIDs)},
	}, &items); err != nil {
		return nil, err
	}
	stocks := map[stockKey]wireStockAvailable{}
	for _, item := range items {
		stocks[stockKey{item.IDProduct.Value, item.IDProductAttribute.Value}] = item
	}
	return stocks, nil
}

// productFromWire maps a product, or one of its combinations. Active means orderable: enabled,
// available for order, and not hidden everywhere.
func (c *Client) productFromWire(p wireProduct, combination *wireCombination, stocks map[stockKey]wireStockAvailable) models.Product {
	product := models.Product{
		StoreProductID: strconv.FormatInt(p.ID.Value, 10),
		SKU:            string(p.Reference),
		EAN:            string(p.EAN13),
		Name:           p.Name.in(c.cfg.LanguageID),
		Active:         p.Active == "1" && p.AvailableForOrder != "0" && p.Visibility != "none",
		UpdatedAt:      parseShopTime(string(p.DateUpd), c.location),
	}
	key := stockKey{product: p.ID.Value}
	if combination != nil {
		key.attribute = combination.ID.Value
		product.StoreProductID = fmt.Sprintf("%d/%d", p.ID.Value, combination.ID.Value)
		product.SKU = string(combination.Reference)
		if combination.EAN13 != "" {
			product.EAN = string(combination.EAN13)
		}
	}
	if stock, ok := stocks[key]; ok {
		product.Stock = int(stock.Quantity.Value)
		product.ManageStock = stock.OutOfStock.Value != 1
	}
	return product
}
