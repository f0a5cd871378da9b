package magento

import (
	"context"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

func readProducts(t *testing.T, b *testBundle, cursor string) (map[string]models.Product, string, int) {
	t.Helper()
	seen := map[string]models.Product{}
	pages := 0
	for range 50 {
		page, err := b.client.Products(context.Background(), cursor)
		if err != nil {
			t.Fatalf("Products(%s): %v", cursor, err)
		}
		pages++
		for _, p := range page.Products {
			seen[p.SKU] = p
		}
		cursor = page.Cursor
		if !page.More {
			return seen, cursor, pages
		}
	}
	t.Fatal("Products never finished")
	return nil, "", 0
}

func TestProductsPagesThenReadsOnlyChanges(t *testing.T) {
	b := setup(t, WithPageSize(2))
	b.addCatalogue()
	b.fake.AddProduct(FakeProduct{SKU: "CAP-1", Name: "Cap", Price: "7.50", Stock: 0})
	b.fake.AddProduct(FakeProduct{SKU: "BAG-1", Name: "Bag", Price: "30", Stock: 3})
	b.fake.AddProduct(FakeProduct{SKU: "PEN-1", Name: "Pen", Price: "1.20", Stock: 9})
	b.fake.SetManageStock("PEN-1", false)
	b.fake.SetProductStatus("BAG-1", false)
	mustCreate(t, b, marketplaceOrder(700)) // reserves 2 MUG-1
	b.clock.Advance(time.Minute)

	seen, cursor, pages := readProducts(t, b, "")
	if len(seen) != 5 || pages != 3 {
		t.Fatalf("%d products in %d pages, want 5 in 3", len(seen), pages)
	}
	mug := seen["MUG-1"]
	if mug.Stock != 8 || !mug.ManageStock || !mug.Active || mug.EAN != "4006381333931" || mug.Name != "Mug" {
		t.Errorf("MUG-1 %+v, want the salable 8", mug)
	}
	if cap := seen["CAP-1"]; cap.Stock != 0 || !cap.ManageStock {
		t.Errorf("CAP-1 %+v", cap)
	}
	if pen := seen["PEN-1"]; pen.ManageStock {
		t.Errorf("PEN-1 %+v, want unmanaged", pen)
	}
	if bag := seen["BAG-1"]; bag.Active {
		t.Errorf("BAG-1 %+v, want inactive", bag)
	}

	b.clock.Advance(time.Hour)
	b.fake.AddProduct(FakeProduct{SKU: "CAP-1", Name: "Cap", Price: "7.50", Stock: 4})
	changed, _, _ := readProducts(t, b, cursor)
	if len(changed) != 1 || changed["CAP-1"].Stock != 4 {
		t.Errorf("changes %+v, want CAP-1 alone", changed)
	}
}

func TestProductsWithoutMSIReadTheStockItem(t *testing.T) {
	b := setup(t)
	b.fake.SetMSI(false)
	b.addCatalogue()
	seen, _, _ := readProducts(t, b, "")
	if seen["MUG-1"].Stock != 10 || b.client.msi != -1 {
		t.Errorf("MUG-1 %+v, msi %d", seen["MUG-1"], b.client.msi)
	}
}
