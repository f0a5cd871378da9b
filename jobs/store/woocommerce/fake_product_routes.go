package woocommerce

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

func (f *Fake) listProducts(w http.ResponseWriter, r *http.Request, _ []int64) {
	query := r.URL.Query()
	errs := paramErrors{}
	p := readPaging(query, []string{"date", "id", "include", "title", "slug", "price", "popularity", "rating", "menu_order"}, errs)
	status := readEnum(query, "status", "any", []string{"any", "draft", "pending", "private", "publish"}, errs)
	kind := readEnum(query, "type", "", []string{"simple", "grouped", "external", "variable"}, errs)
	if len(errs) > 0 {
		f.writeInvalidParams(w, errs)
		return
	}
	skus := readList(query, "sku")
	search := strings.ToLower(query.Get("search"))
	var matches []*fakeProduct
	for _, id := range f.productIDs {
		product := f.products[id]
		// Variations are listed only when searched by SKU, as the v3 controller widens the
		// post types for that filter alone.
		if product.kind == "variation" && len(skus) == 0 || product.status == "trash" {
			continue
		}
		if status != "any" && product.status != status || kind != "" && product.kind != kind {
			continue
		}
		if len(skus) > 0 && !contains(skus, product.sku) || search != "" && !strings.Contains(strings.ToLower(product.name), search) {
			continue
		}
		matches = append(matches, product)
	}
	sortProducts(matches, p)
	start, end := p.window(len(matches))
	answer := make([]any, 0, end-start)
	for _, product := range matches[start:end] {
		if product.kind == "variation" {
			answer = append(answer, f.renderVariationAsProduct(r, product))
		} else {
			answer = append(answer, f.renderProduct(r, product))
		}
	}
	setPagingHeaders(w, r, len(matches), p)
	f.writeJSON(w, http.StatusOK, answer)
}

func (f *Fake) getProduct(w http.ResponseWriter, r *http.Request, ids []int64) {
	product := f.products[ids[0]]
	if product == nil || product.status == "trash" {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_product_invalid_id", "Invalid ID.")
		return
	}
	if product.kind == "variation" {
		f.writeJSON(w, http.StatusOK, f.renderVariationAsProduct(r, product))
		return
	}
	f.writeJSON(w, http.StatusOK, f.renderProduct(r, product))
}

func (f *Fake) listVariations(w http.ResponseWriter, r *http.Request, ids []int64) {
	parent := f.products[ids[0]]
	if parent == nil || parent.kind == "variation" {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_product_invalid_id", "Invalid ID.")
		return
	}
	query := r.URL.Query()
	errs := paramErrors{}
	p := readPaging(query, []string{"date", "id", "include", "title", "slug", "menu_order"}, errs)
	status := readEnum(query, "status", "any", []string{"any", "draft", "pending", "private", "publish"}, errs)
	if len(errs) > 0 {
		f.writeInvalidParams(w, errs)
		return
	}
	skus := readList(query, "sku")
	var matches []*fakeProduct
	for _, id := range parent.variationIDs {
		variation := f.products[id]
		if status != "any" && variation.status != status || len(skus) > 0 && !contains(skus, variation.sku) {
			continue
		}
		matches = append(matches, variation)
	}
	sortProducts(matches, p)
	start, end := p.window(len(matches))
	answer := make([]variationJSON, 0, end-start)
	for _, variation := range matches[start:end] {
		answer = append(answer, f.renderVariation(r, variation))
	}
	setPagingHeaders(w, r, len(matches), p)
	f.writeJSON(w, http.StatusOK, answer)
}

func (f *Fake) getVariation(w http.ResponseWriter, r *http.Request, ids []int64) {
	variation := f.products[ids[1]]
	if variation == nil || variation.parentID != ids[0] {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.")
		return
	}
	f.writeJSON(w, http.StatusOK, f.renderVariation(r, variation))
}

func sortProducts(products []*fakeProduct, p paging) {
	sort.SliceStable(products, func(i, j int) bool {
		a, b := products[i], products[j]
		if p.order == "desc" {
			a, b = b, a
		}
		switch p.orderby {
		case "title":
			if a.name != b.name {
				return a.name < b.name
			}
		case "slug":
			if a.slug != b.slug {
				return a.slug < b.slug
			}
		case "date":
			if !a.created.Equal(b.created) {
				return a.created.Before(b.created)
			}
		}
		return a.id < b.id
	})
}

func (f *Fake) renderProduct(r *http.Request, p *fakeProduct) productJSON {
	price := f.price(p)
	stockStatus := p.stockStatus
	if p.kind == "variable" && !p.manageStock {
		stockStatus = "outofstock"
		for _, id := range p.variationIDs {
			if status := f.products[id].stockStatus; status != "outofstock" {
				stockStatus = status
				break
			}
		}
	}
	var quantity *int
	if p.manageStock {
		quantity = &p.stock
	}
	attributes := []productAttribute{}
	if p.kind == "variable" {
		attributes = variableAttributes(f, p)
	}
	return productJSON{
		ID: p.id, Name: p.name, Slug: p.slug,
		Permalink:   baseURL(r) + "/product/" + p.slug + "/",
		DateCreated: f.localDate(p.created), DateCreatedGMT: gmtDate(p.created),
		DateModified: f.localDate(p.modified), DateModifiedGMT: gmtDate(p.modified),
		Type: p.kind, Status: p.status, CatalogVisibility: p.visibility,
		SKU: p.sku, GlobalUniqueID: p.ean,
		Price: price, RegularPrice: p.regularPrice, SalePrice: p.salePrice,
		PriceHTML:   priceHTML(price),
		OnSale:      p.salePrice != "",
		Purchasable: p.status == "publish" && price != "" && p.kind != "external" && p.kind != "grouped",
		TotalSales:  p.totalSales, Downloads: emptyRaw(), DownloadLimit: -1, DownloadExpiry: -1,
		TaxStatus: "taxable", ManageStock: p.manageStock, StockQuantity: quantity, StockStatus: stockStatus,
		Backorders: p.backorders, BackordersAllowed: p.backorders != "no",
		Backordered:      p.manageStock && p.stock < 0 && p.backorders != "no",
		ShippingRequired: true, ShippingTaxable: true, ReviewsAllowed: true, AverageRating: "0.00",
		RelatedIDs: []int64{}, UpsellIDs: []int64{}, CrossSellIDs: []int64{},
		Categories: emptyRaw(), Tags: emptyRaw(), Images: emptyRaw(), Attributes: attributes,
		DefaultAttributes: emptyRaw(), Variations: append([]int64{}, p.variationIDs...), GroupedProducts: []int64{},
		MetaData: []FakeMeta{}, Links: selfLinks(r, "products", p.id, ""),
	}
}

// renderVariation writes a variation. Its SKU falls back to the parent's when it has none,
// and manage_stock reads "parent" when the parent counts its stock.
func (f *Fake) renderVariation(r *http.Request, v *fakeProduct) variationJSON {
	parent := f.products[v.parentID]
	var manage any = v.manageStock
	var quantity *int
	if holder := f.stockHolder(v); holder != nil {
		quantity = &holder.stock
		if holder != v {
			manage = "parent"
		}
	}
	attributes := make([]variationAttribute, 0, len(v.options))
	for _, option := range v.options {
		attributes = append(attributes, variationAttribute{Name: option.Name, Option: option.Option})
	}
	price := f.price(v)
	return variationJSON{
		ID: v.id, Name: v.name, Type: "variation", ParentID: v.parentID,
		DateCreated: f.localDate(v.created), DateCreatedGMT: gmtDate(v.created),
		DateModified: f.localDate(v.modified), DateModifiedGMT: gmtDate(v.modified),
		Permalink: baseURL(r) + "/product/" + parent.slug + "/?" + variationQuery(v.options),
		SKU:       defaultString(v.sku, parent.sku), GlobalUniqueID: v.ean,
		Price: price, RegularPrice: v.regularPrice, SalePrice: v.salePrice, OnSale: v.salePrice != "",
		Status:      v.status,
		Purchasable: v.status == "publish" && parent.status == "publish" && price != "",
		Downloads:   emptyRaw(), DownloadLimit: -1, DownloadExpiry: -1, TaxStatus: "taxable", TaxClass: "parent",
		ManageStock: manage, StockQuantity: quantity, StockStatus: v.stockStatus,
		Backorders: v.backorders, BackordersAllowed: v.backorders != "no",
		Attributes: attributes, MetaData: []FakeMeta{},
		Links: selfLinks(r, "products/"+strconv.FormatInt(v.parentID, 10)+"/variations", v.id, "products/"+strconv.FormatInt(v.parentID, 10)),
	}
}

// renderVariationAsProduct writes a variation found through /products?sku=, in the product
// schema with type "variation".
func (f *Fake) renderVariationAsProduct(r *http.Request, v *fakeProduct) productJSON {
	rendered := f.renderVariation(r, v)
	product := f.renderProduct(r, v)
	product.SKU, product.ManageStock, product.StockQuantity = rendered.SKU, rendered.ManageStock, rendered.StockQuantity
	product.ParentID, product.Permalink = v.parentID, rendered.Permalink
	return product
}

func variableAttributes(f *Fake, p *fakeProduct) []productAttribute {
	var attributes []productAttribute
	index := map[string]int{}
	for _, id := range p.variationIDs {
		for _, option := range f.products[id].options {
			i, seen := index[option.Name]
			if !seen {
				i = len(attributes)
				index[option.Name] = i
				attributes = append(attributes, productAttribute{Name: option.Name, Position: i, Variation: true, Visible: true})
			}
			if !contains(attributes[i].Options, option.Option) {
				attributes[i].Options = append(attributes[i].Options, option.Option)
			}
		}
	}
	return attributes
}

func variationQuery(options []VariationOption) string {
	query := url.Values{}
	for _, option := range options {
		query.Set("attribute_"+slugify(option.Name), option.Option)
	}
	return query.Encode()
}

func priceHTML(price string) string {
	if price == "" {
		return ""
	}
	return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>` + price + `</bdi></span>`
}
