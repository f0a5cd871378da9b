package woocommerce

import (
	"context"
	"fmt"
	"testing"

	"github.com/orderhub/orderhub/models"
)

func TestProductsPagesThroughCatalogueWithVariations(t *testing.T) {
	b := setup(t)
	b.client.pageSize = 2
	mug := b.fake.AddProduct(ProductSpec{Name: "Mug", SKU: "MUG-1", EAN: "4006381333931", RegularPrice: "20.00", ManageStock: true, StockQuantity: 10})
	b.fake.AddProduct(ProductSpec{Name: "Poster", SKU: "POSTER-1", RegularPrice: "9.90"})
	b.fake.AddProduct(ProductSpec{Name: "Sold out sticker", SKU: "STICKER-1", RegularPrice: "2.00", StockStatus: "outofstock"})
	b.fake.AddProduct(ProductSpec{Name: "Draft lamp", SKU: "LAMP-1", RegularPrice: "30.00", Status: "draft"})
	b.fake.AddProduct(ProductSpec{Name: "Hidden pen", SKU: "PEN-1", RegularPrice: "1.00", CatalogVisibility: "hidden"})
	b.fake.AddProduct(ProductSpec{Name: "Preorder book", SKU: "BOOK-1", RegularPrice: "15.00", ManageStock: true, StockQuantity: 0, Backorders: "yes"})
	shirt := b.fake.AddProduct(ProductSpec{
		Name: "T-shirt", SKU: "TSHIRT", Type: "variable", ManageStock: true, StockQuantity: 7,
		Variations: []VariationSpec{
			{SKU: "TSHIRT-BLACK-M", RegularPrice: "25.00", ManageStock: true, StockQuantity: 3, Attributes: []VariationOption{{"Color", "Black"}, {"Size", "M"}}},
			{SKU: "TSHIRT-WHITE-M", RegularPrice: "25.00", Attributes: []VariationOption{{"Color", "White"}, {"Size", "M"}}},
			{RegularPrice: "25.00", Attributes: []VariationOption{{"Color", "Red"}, {"Size", "M"}}},
			{SKU: "TSHIRT-GOLD-M", RegularPrice: "99.00", Status: "private", Attributes: []VariationOption{{"Color", "Gold"}, {"Size", "M"}}},
		},
	})
	b.fake.AddProduct(ProductSpec{Name: "Gift set", Type: "grouped"})
	b.fake.AddProduct(ProductSpec{Name: "Partner book", SKU: "EXT-1", Type: "external", RegularPrice: "12.00"})

	var products []models.Product
	cursor, pages := "", 0
	for {
		page, err := b.client.Products(context.Background(), cursor)
		if err != nil {
			t.Fatalf("Products(%q): %v", cursor, err)
		}
		pages++
		products = append(products, page.Products...)
		if !page.More {
			if page.Cursor != "" {
				t.Errorf("last page cursor %q, want \"\" to start over", page.Cursor)
			}
			break
		}
		cursor = page.Cursor
	}
	if pages != 5 {
		t.Errorf("read %d pages of 2 for 9 products, want 5", pages)
	}
	byID := map[string]models.Product{}
	for _, product := range products {
		byID[product.StoreProductID] = product
	}
	black, _ := b.fake.Product("TSHIRT-BLACK-M")
	white, _ := b.fake.Product("TSHIRT-WHITE-M")
	gold, _ := b.fake.Product("TSHIRT-GOLD-M")
	want := map[string]models.Product{
		fmt.Sprint(mug):                       {SKU: "MUG-1", EAN: "4006381333931", Name: "Mug", Stock: 10, ManageStock: true, Active: true},
		fmt.Sprintf("%d/%d", shirt, black.ID): {SKU: "TSHIRT-BLACK-M", Name: "T-shirt - Black, M", Stock: 3, ManageStock: true, Active: true},
		fmt.Sprintf("%d/%d", shirt, white.ID): {SKU: "TSHIRT-WHITE-M", Name: "T-shirt - White, M", Stock: 7, ManageStock: true, Active: true},
		fmt.Sprintf("%d/%d", shirt, gold.ID):  {SKU: "TSHIRT-GOLD-M", Name: "T-shirt - Gold, M", Stock: 7, ManageStock: true, Active: false},
	}
	for id, w := range want {
		got, ok := byID[id]
		if !ok {
			t.Errorf("product %s missing", id)
			continue
		}
		if got.SKU != w.SKU || got.EAN != w.EAN || got.Name != w.Name || got.Stock != w.Stock || got.ManageStock != w.ManageStock || got.Active != w.Active {
			t.Errorf("product %s = %+v, want %+v", id, got, w)
		}
		if got.UpdatedAt.IsZero() {
			t.Errorf("product %s has no UpdatedAt", id)
		}
	}
	bySKU := map[string]models.Product{}
	for _, product := range products {
		bySKU[product.SKU] = product
	}
	for sku, check := range map[string]func(models.Product) bool{
		"POSTER-1":  func(p models.Product) bool { return p.Active && !p.ManageStock },
		"STICKER-1": func(p models.Product) bool { return p.Active && p.ManageStock && p.Stock == 0 },
		"LAMP-1":    func(p models.Product) bool { return !p.Active },
		"PEN-1":     func(p models.Product) bool { return !p.Active },
		"BOOK-1":    func(p models.Product) bool { return p.Active && !p.ManageStock },
		"EXT-1":     func(p models.Product) bool { return !p.Active },
	} {
		if p, ok := bySKU[sku]; !ok || !check(p) {
			t.Errorf("%s mapped to %+v", sku, p)
		}
	}
	// The variable parent is not orderable and the grouped product has no SKU of its own: neither
	// is listed; the red variation shows its parent's SKU, which would order the parent, so it
	// comes without one.
	if _, listed := byID[fmt.Sprint(shirt)]; listed {
		t.Error("the variable parent is listed as a product")
	}
	if len(products) != 11 {
		t.Errorf("%d products, want 11 (7 simple/external + 4 variations)", len(products))
	}
	if red := findByName(products, "T-shirt - Red, M"); red == nil || red.SKU != "" {
		t.Errorf("red variation = %+v, want it without the parent's SKU", red)
	}
}

func TestProductsCursorMustBeAPage(t *testing.T) {
	b := setup(t)
	if _, err := b.client.Products(context.Background(), "page-two"); err == nil {
		t.Fatal("a garbage cursor was accepted")
	}
}

func findByName(products []models.Product, name string) *models.Product {
	for i := range products {
		if products[i].Name == name {
			return &products[i]
		}
	}
	return nil
}
