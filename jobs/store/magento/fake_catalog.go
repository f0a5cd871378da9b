package magento

import (
	"net/http"
	"sort"
	"strconv"
)

var productFields = map[string]bool{"entity_id": true, "sku": true, "name": true, "price": true, "status": true,
	"type_id": true, "created_at": true, "updated_at": true, "visibility": true}

func (p *fakeProduct) field(name string) (string, bool) {
	switch name {
	case "entity_id":
		return strconv.FormatInt(p.id, 10), true
	case "sku":
		return p.sku, true
	case "name":
		return p.name, true
	case "price":
		return formatDecimal(p.price, 2), true
	case "status":
		return map[bool]string{true: "1", false: "2"}[p.enabled], true
	case "type_id":
		return "simple", true
	case "visibility":
		return "4", true
	case "created_at":
		return formatTime(p.created), true
	case "updated_at":
		return formatTime(p.updated), true
	}
	return "", false
}

// wire renders a product as GET /V1/products does: price a number, the legacy stock item under
// extension_attributes (its qty is the physical quantity; MSI's reservations are not in it),
// EAN as a custom attribute.
func (p *fakeProduct) wire() map[string]any {
	status := 1
	if !p.enabled {
		status = 2
	}
	out := map[string]any{
		"id": p.id, "sku": p.sku, "name": p.name, "attribute_set_id": 4,
		"price": money(p.price, 2), "status": status, "visibility": 4, "type_id": "simple",
		"created_at": formatTime(p.created), "updated_at": formatTime(p.updated), "weight": 1,
		"extension_attributes": map[string]any{
			"website_ids": []int{1},
			"stock_item": map[string]any{
				"item_id": p.id, "product_id": p.id, "stock_id": 1, "qty": p.qty,
				"is_in_stock": !p.manageStock || p.qty > 0, "is_qty_decimal": false,
				"manage_stock": p.manageStock, "use_config_manage_stock": false,
				"backorders": 0, "use_config_backorders": true, "min_sale_qty": 1,
			},
		},
		"product_links": []any{}, "options": []any{}, "media_gallery_entries": []any{}, "tier_prices": []any{},
		"custom_attributes": []map[string]any{{"attribute_code": "url_key", "value": p.sku}},
	}
	if p.ean != "" {
		out["custom_attributes"] = append(out["custom_attributes"].([]map[string]any), map[string]any{"attribute_code": "ean", "value": p.ean})
	}
	return out
}

func (f *Fake) sortedProducts() []*fakeProduct {
	all := make([]*fakeProduct, 0, len(f.products))
	for _, p := range f.products {
		all = append(all, p)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	return all
}

func (f *Fake) listProducts(w http.ResponseWriter, r *http.Request, _ []string) {
	search, ok := f.parseSearch(w, r, productFields)
	if !ok {
		return
	}
	page, total := apply(search, f.sortedProducts(), (*fakeProduct).field)
	items := make([]map[string]any, 0, len(page))
	for _, p := range page {
		items = append(items, p.wire())
	}
	f.writeJSON(w, http.StatusOK, map[string]any{"items": items, "search_criteria": search.echo(), "total_count": total})
}

const productMissing = "The product that was requested doesn't exist. Verify the product and try again."

func (f *Fake) getProduct(w http.ResponseWriter, r *http.Request, args []string) {
	p, ok := f.products[args[0]]
	if !ok {
		f.writeError(w, http.StatusNotFound, productMissing)
		return
	}
	f.writeJSON(w, http.StatusOK, p.wire())
}

// salableQuantity answers GET /V1/inventory/get-product-salable-quantity/{sku}/{stockId}: a
// bare number. The fake has the default stock only.
func (f *Fake) salableQuantity(w http.ResponseWriter, r *http.Request, args []string) {
	p, ok := f.products[args[0]]
	if !ok {
		f.writeError(w, http.StatusNotFound, productMissing)
		return
	}
	if args[1] != "1" {
		f.writeError(w, http.StatusNotFound, "Stock with id \"%value\" does not exist.", map[string]string{"value": args[1]})
		return
	}
	if !p.manageStock {
		f.writeError(w, http.StatusBadRequest, "Can't check requested quantity for products without Source Items support.")
		return
	}
	f.writeJSON(w, http.StatusOK, p.salable())
}
