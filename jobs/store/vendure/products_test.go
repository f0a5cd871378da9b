package vendure

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestProductsPageThroughVariantsThenReadOnlyChanges(t *testing.T) {
	b := setup(t)
	b.client.pageSize = 2
	for i := 1; i <= 5; i++ {
		b.fake.AddProduct(FakeProduct{SKU: fmt.Sprintf("SKU-%d", i), Name: fmt.Sprintf("Item %d", i), Price: "10.00", Stock: i})
	}
	b.clock.Advance(time.Hour)
	mustDo(t, b.fake.UpdateVariant("SKU-4", false, "INHERIT", 4))
	mustDo(t, b.fake.UpdateVariant("SKU-5", true, "FALSE", 0))

	var skus []string
	cursor, pages := "", 0
	for {
		page, err := b.client.Products(context.Background(), cursor)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, p := range page.Products {
			skus = append(skus, p.SKU)
			switch p.SKU {
			case "SKU-2":
				if !p.Active || !p.ManageStock || p.Stock != 2 || p.Name != "Item 2" || p.StoreProductID != "2" {
					t.Errorf("SKU-2 %+v", p)
				}
			case "SKU-4":
				if p.Active {
					t.Errorf("a disabled variant is active: %+v", p)
				}
			case "SKU-5":
				if p.ManageStock {
					t.Errorf("a variant not tracking inventory manages stock: %+v", p)
				}
			}
		}
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	if pages != 3 || fmt.Sprint(skus) != "[SKU-1 SKU-2 SKU-3 SKU-4 SKU-5]" {
		t.Fatalf("%d pages with %v", pages, skus)
	}

	// From the last cursor, only what changed since is read, with the variants of the
	// latest second seen again (whole-second timestamps).
	b.clock.Advance(time.Hour)
	mustDo(t, b.fake.UpdateVariant("SKU-3", true, "INHERIT", 0))
	b.client.pageSize = 10
	page, err := b.client.Products(context.Background(), cursor)
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, p := range page.Products {
		changed = append(changed, p.SKU)
	}
	if fmt.Sprint(changed) != "[SKU-4 SKU-5 SKU-3]" || page.Products[2].Stock != 0 || page.More {
		t.Fatalf("incremental page %v (%+v)", changed, page)
	}
	// Allocated stock is not for sale.
	b.fake.AddProduct(FakeProduct{SKU: "MUG-BLUE", Name: "Blue Mug", Price: "15.00", Stock: 10})
	b.fake.AddProduct(FakeProduct{SKU: "POSTER-1", Name: "Poster", Price: "9.90", Stock: 5})
	mustCreate(t, b, marketplaceOrder(700))
	page, err = b.client.Products(context.Background(), `{"skip":5}`)
	if err != nil || len(page.Products) != 2 || page.Products[0].SKU != "MUG-BLUE" || page.Products[0].Stock != 8 {
		t.Fatalf("after an order: %+v, %v", page, err)
	}
}

func TestProductsFollowTheGlobalTrackInventorySetting(t *testing.T) {
	b := setup(t)
	b.fake.AddProduct(FakeProduct{SKU: "A", Name: "A", Price: "1.00", Stock: 0})
	b.fake.SetGlobalTrackInventory(false)
	page, err := b.client.Products(context.Background(), "")
	if err != nil || len(page.Products) != 1 || page.Products[0].ManageStock {
		t.Fatalf("page %+v, %v: an INHERIT variant with tracking off globally manages no stock", page, err)
	}
	if _, err := b.client.Products(context.Background(), "page 2"); err == nil {
		t.Error("a garbled cursor was accepted")
	}
}
