package shopify

import (
	"context"
	"testing"

	"github.com/orderhub/orderhub/models"
)

func TestProductsPagesThroughCatalogue(t *testing.T) {
	b := setup(t, WithPageSize(2))
	b.addCatalogue()
	b.fake.AddProduct(FakeProduct{SKU: "LAMP-1", Name: "Lamp", Price: "30.00", Stock: 0})
	b.fake.AddProduct(FakeProduct{SKU: "BOOK-1", Name: "Preorder book", Price: "15.00", Stock: 0})
	b.fake.AddProduct(FakeProduct{SKU: "PEN-1", Name: "Draft pen", Price: "1.00", Stock: 3})
	if err := b.fake.SetVariant("BOOK-1", true, "CONTINUE", "ACTIVE"); err != nil {
		t.Fatal(err)
	}
	if err := b.fake.SetVariant("PEN-1", true, "DENY", "DRAFT"); err != nil {
		t.Fatal(err)
	}

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
	if pages != 3 || len(products) != 5 {
		t.Fatalf("%d pages, %d products; want 3 pages of 2 for 5 products", pages, len(products))
	}
	bySKU := map[string]models.Product{}
	for _, p := range products {
		bySKU[p.SKU] = p
	}
	want := map[string]models.Product{
		"MUG-1":  {SKU: "MUG-1", EAN: "4006381333931", Name: "Mug", Stock: 10, ManageStock: true, Active: true},
		"LAMP-1": {SKU: "LAMP-1", Name: "Lamp", Stock: 0, ManageStock: true, Active: true},
		"BOOK-1": {SKU: "BOOK-1", Name: "Preorder book", Stock: 0, ManageStock: false, Active: true},
		"PEN-1":  {SKU: "PEN-1", Name: "Draft pen", Stock: 3, ManageStock: true, Active: false},
	}
	for sku, w := range want {
		got := bySKU[sku]
		if got.SKU != w.SKU || got.EAN != w.EAN || got.Name != w.Name || got.Stock != w.Stock || got.ManageStock != w.ManageStock || got.Active != w.Active {
			t.Errorf("%s = %+v, want %+v", sku, got, w)
		}
		if got.StoreProductID == "" || got.UpdatedAt.IsZero() {
			t.Errorf("%s has no id or UpdatedAt: %+v", sku, got)
		}
	}

	// A pass over: stock taken by an order shows in the next pass.
	mustCreate(t, b, marketplaceOrder(11))
	page, err := b.client.Products(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Products {
		if p.SKU == "MUG-1" && p.Stock != 8 {
			t.Errorf("MUG-1 stock %d after an order of 2, want 8", p.Stock)
		}
	}
}

func TestProductsCursorFromAnotherListIsRefused(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	if _, err := b.client.Products(context.Background(), "not-a-cursor"); err == nil {
		t.Fatal("a bad cursor was accepted")
	}
}
