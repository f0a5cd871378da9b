package woocommerce

import (
	"strings"
	"time"
)

// ProductSpec describes a catalogue product for AddProduct; zero values take WooCommerce's
// defaults.
type ProductSpec struct {
	Name              string
	SKU               string
	EAN               string
	Type              string // simple (default), variable, external or grouped
	RegularPrice      string // e.g. "12.50"
	SalePrice         string
	Status            string // publish (default), draft, pending or private
	CatalogVisibility string // visible (default), catalog, search or hidden
	ManageStock       bool
	StockQuantity     int
	StockStatus       string // instock (default), outofstock, onbackorder; follows the quantity when ManageStock
	Backorders        string // no (default), notify or yes
	Variations        []VariationSpec
}

// VariationSpec describes one variation of a variable product. A variation that does not
// manage its stock uses its parent's when the parent does.
type VariationSpec struct {
	SKU           string
	EAN           string
	RegularPrice  string
	SalePrice     string
	Status        string // publish (default), private, draft or pending
	ManageStock   bool
	StockQuantity int
	StockStatus   string
	Backorders    string
	Attributes    []VariationOption
}

// VariationOption is one attribute value of a variation, e.g. Color: Black.
type VariationOption struct {
	Name   string
	Option string
}

// ProductState is what tests read back about a product or variation.
type ProductState struct {
	ID, ParentID  int64
	SKU           string // the product's own SKU
	Name          string
	Type          string
	Status        string
	ManageStock   bool // this product counts its stock, or its parent does it for it
	StockQuantity int  // the quantity that counts for it (its parent's when the parent counts)
	StockStatus   string
	TotalSales    int
}

type fakeProduct struct {
	id, parentID      int64
	kind              string // simple, variable, variation, external or grouped
	name, slug        string
	sku, ean          string
	status            string
	visibility        string
	regularPrice      string
	salePrice         string
	manageStock       bool
	stock             int
	stockStatus       string
	backorders        string
	variationIDs      []int64
	options           []VariationOption
	totalSales        int
	created, modified time.Time
}

// AddProduct adds a product (with its variations) and returns its id.
func (f *Fake) AddProduct(spec ProductSpec) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	product := &fakeProduct{
		id:           f.newPostID(),
		kind:         defaultString(spec.Type, "simple"),
		name:         defaultString(spec.Name, spec.SKU),
		sku:          spec.SKU,
		ean:          spec.EAN,
		status:       defaultString(spec.Status, "publish"),
		visibility:   defaultString(spec.CatalogVisibility, "visible"),
		regularPrice: spec.RegularPrice,
		salePrice:    spec.SalePrice,
		manageStock:  spec.ManageStock,
		stock:        spec.StockQuantity,
		stockStatus:  defaultString(spec.StockStatus, "instock"),
		backorders:   defaultString(spec.Backorders, "no"),
		created:      now,
		modified:     now,
	}
	product.slug = slugify(product.name)
	f.addProduct(product)
	for _, v := range spec.Variations {
		variation := &fakeProduct{
			id:           f.newPostID(),
			parentID:     product.id,
			kind:         "variation",
			sku:          v.SKU,
			ean:          v.EAN,
			status:       defaultString(v.Status, "publish"),
			regularPrice: v.RegularPrice,
			salePrice:    v.SalePrice,
			manageStock:  v.ManageStock,
			stock:        v.StockQuantity,
			stockStatus:  defaultString(v.StockStatus, "instock"),
			backorders:   defaultString(v.Backorders, "no"),
			options:      v.Attributes,
			created:      now,
			modified:     now,
		}
		variation.name = variationName(product.name, v.Attributes)
		product.variationIDs = append(product.variationIDs, variation.id)
		f.addProduct(variation)
	}
	return product.id
}

func (f *Fake) addProduct(p *fakeProduct) {
	if p.manageStock {
		p.stockStatus = stockStatusFor(p.stock, p.backorders)
	}
	f.products[p.id] = p
	f.productIDs = append(f.productIDs, p.id)
}

// Product returns the state of the product or variation whose own SKU is sku.
func (f *Fake) Product(sku string) (ProductState, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.productBySKU(sku)
	if p == nil {
		return ProductState{}, false
	}
	holder := f.stockHolder(p)
	state := ProductState{
		ID: p.id, ParentID: p.parentID, SKU: p.sku, Name: p.name, Type: p.kind, Status: p.status,
		StockStatus: p.stockStatus, TotalSales: p.totalSales,
	}
	if holder != nil {
		state.ManageStock, state.StockQuantity, state.StockStatus = true, holder.stock, holder.stockStatus
	}
	return state, true
}

// productBySKU resolves a SKU as wc_get_product_id_by_sku does: own SKUs only, variations
// included.
func (f *Fake) productBySKU(sku string) *fakeProduct {
	if sku == "" {
		return nil
	}
	for _, id := range f.productIDs {
		if p := f.products[id]; p.sku == sku && p.status != "trash" {
			return p
		}
	}
	return nil
}

// stockHolder is the product whose quantity counts for p: itself, its parent when the parent
// manages stock for it, or nil when nobody counts.
func (f *Fake) stockHolder(p *fakeProduct) *fakeProduct {
	if p.manageStock {
		return p
	}
	if parent := f.products[p.parentID]; p.kind == "variation" && parent != nil && parent.manageStock {
		return parent
	}
	return nil
}

// changeStock adds delta to the counted stock of p and returns the holder and its old level.
func (f *Fake) changeStock(p *fakeProduct, delta int) (holder *fakeProduct, before int) {
	holder = f.stockHolder(p)
	if holder == nil {
		return nil, 0
	}
	before = holder.stock
	holder.stock += delta
	holder.stockStatus = stockStatusFor(holder.stock, holder.backorders)
	holder.modified = f.now()
	return holder, before
}

func stockStatusFor(stock int, backorders string) string {
	switch {
	case stock > 0:
		return "instock"
	case backorders != "no":
		return "onbackorder"
	}
	return "outofstock"
}

// price is what the product sells for now: the sale price when set. A variable product shows
// its cheapest variation.
func (f *Fake) price(p *fakeProduct) string {
	if p.kind == "variable" {
		cheapest, found := int64(0), false
		for _, id := range p.variationIDs {
			micro, err := parseMicro(f.price(f.products[id]))
			if err == nil && f.products[id].status == "publish" && (!found || micro < cheapest) {
				cheapest, found = micro, true
			}
		}
		if !found {
			return ""
		}
		return formatMicro(cheapest, f.decimals)
	}
	return defaultString(p.salePrice, p.regularPrice)
}

// variationName is how WooCommerce titles a variation: "Parent - Black, M".
func variationName(parentName string, options []VariationOption) string {
	values := make([]string, 0, len(options))
	for _, option := range options {
		values = append(values, option.Option)
	}
	if len(values) == 0 {
		return parentName
	}
	return parentName + " - " + strings.Join(values, ", ")
}

func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, ch := range strings.ToLower(name) {
		if 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' {
			b.WriteRune(ch)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func (f *Fake) newPostID() int64 {
	f.nextPostID++
	return f.nextPostID
}
