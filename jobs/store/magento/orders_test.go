package magento

import (
	"context"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

func TestCreateOrderKeepsMarketplacePricesAndIsPaid(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(501)
	id := mustCreate(t, b, order)

	view, ok := b.fake.Order(id)
	if !ok {
		t.Fatalf("order %s not in the store", id)
	}
	if view.Status != "processing" || !view.Paid {
		t.Errorf("status %q paid %v, want processing and paid (invoiced)", view.Status, view.Paid)
	}
	if view.Total != order.TotalAmount {
		t.Errorf("total %d, want the marketplace's %d", view.Total, order.TotalAmount)
	}
	want := map[string][2]int64{"MUG-1": {2, 1749}, "POSTER-1": {1, 990}}
	if len(view.Lines) != 2 {
		t.Fatalf("lines %+v", view.Lines)
	}
	for _, line := range view.Lines {
		if w := want[line.SKU]; int64(line.Quantity) != w[0] || line.UnitPrice != w[1] {
			t.Errorf("line %+v, want qty %d at %d", line, w[0], w[1])
		}
	}
	if view.ShippingName != "Ada Lovelace" || view.City != "Paris" || view.Country != "FR" {
		t.Errorf("shipping %+v", view)
	}
	if got := b.fake.OrdersFor(501); len(got) != 1 || got[0] != id {
		t.Errorf("OrdersFor(501) = %v, want [%s]", got, id)
	}
	ext, comments := b.fake.OrderExtID(id)
	if ext != "orderhub-7-501" || len(comments) != 1 || !strings.Contains(comments[0], "MKP-") || !strings.Contains(comments[0], "REF-1") {
		t.Errorf("ext_order_id %q, comments %q", ext, comments)
	}
	// MSI reserves what was placed: the salable quantity drops, the physical one stays.
	if stock, _ := b.fake.Stock("MUG-1"); stock != 8 {
		t.Errorf("salable MUG-1 = %d, want 8", stock)
	}
}

func TestMarketplaceFulfilledOrderIsCreatedComplete(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(502)
	order.FulfilledByMarketplace = true
	id := mustCreate(t, b, order)
	if view, _ := b.fake.Order(id); view.Status != "complete" || !view.Paid {
		t.Errorf("view %+v, want complete and paid", view)
	}
}

func TestCreateOrderRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(b *testBundle, order *models.Order)
		message string
	}{
		{"unknown SKU", func(b *testBundle, o *models.Order) { o.Lines[0].SKU = "NOPE-1" }, "The product that was requested doesn't exist"},
		{"out of stock", func(b *testBundle, o *models.Order) { o.Lines[0].Quantity = 11 }, "The requested qty is not available"},
		{"disabled product", func(b *testBundle, o *models.Order) { b.fake.SetProductStatus("MUG-1", false) }, "Product that you are trying to add is not available."},
		{"no phone", func(b *testBundle, o *models.Order) { o.Shipping.Phone, o.Billing.Phone = "", "" }, `"telephone" is required`},
		{"other currency", func(b *testBundle, o *models.Order) { b.fake.SetCurrency("USD") }, "sells in USD and the order is in EUR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t)
			b.addCatalogue()
			order := marketplaceOrder(510)
			tc.change(b, order)
			_, err := b.client.CreateOrder(context.Background(), order)
			if !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("err %v, want a permanent error with %q", err, tc.message)
			}
			if b.fake.OrderCount() != 0 {
				t.Errorf("an order was placed")
			}
		})
	}
}

func TestOrderIsFoundAfterLostCreateAnswer(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := attempted(marketplaceOrder(520), b.clock.Now())
	b.fake.LoseNextCreateAnswer()
	if _, err := b.client.CreateOrder(context.Background(), order); err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("lost answer: err %v, want a transient error", err)
	}
	if b.fake.OrderCount() != 1 {
		t.Fatalf("%d orders placed, want 1", b.fake.OrderCount())
	}
	b.clock.Advance(5 * 60 * 1e9)
	id, err := b.client.FindOrder(context.Background(), order)
	if err != nil || id == "" {
		t.Fatalf("FindOrder = %q, %v", id, err)
	}
	// FindOrder finished what the lost answer interrupted: prices, ext_order_id, invoice.
	view, _ := b.fake.Order(id)
	if view.Total != order.TotalAmount || !view.Paid {
		t.Errorf("view %+v", view)
	}
	if got := b.fake.OrdersFor(520); len(got) != 1 || got[0] != id {
		t.Errorf("OrdersFor = %v", got)
	}
	again, err := b.client.FindOrder(context.Background(), order)
	if err != nil || again != id || b.fake.OrderCount() != 1 {
		t.Errorf("second FindOrder = %q, %v; %d orders", again, err, b.fake.OrderCount())
	}
	if _, comments := b.fake.OrderExtID(id); len(comments) != 1 {
		t.Errorf("comments %q, want one", comments)
	}
}

func TestFindOrderNeverAttemptedOrAnotherBuyersOrder(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	if id, err := b.client.FindOrder(context.Background(), marketplaceOrder(530)); id != "" || err != nil {
		t.Fatalf("never attempted: %q, %v", id, err)
	}
	mustCreate(t, b, marketplaceOrder(531))
	other := attempted(marketplaceOrder(532), b.clock.Now())
	if id, err := b.client.FindOrder(context.Background(), other); id != "" || err != nil {
		t.Fatalf("another order's store order was claimed: %q, %v", id, err)
	}
}

func TestCancelOrderRefundsAPaidOrderAndReleasesStock(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(540))
	if err := b.client.CancelOrder(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if view, _ := b.fake.Order(id); view.Status != "closed" {
		t.Errorf("status %q, want closed (refunded: an invoiced order cannot be cancelled)", view.Status)
	}
	if stock, _ := b.fake.Stock("MUG-1"); stock != 10 {
		t.Errorf("salable MUG-1 = %d, want 10 again", stock)
	}
	if err := b.client.CancelOrder(context.Background(), id); err != nil {
		t.Errorf("cancelling again: %v", err)
	}
}

func TestCreateOrderWithoutMSITakesTheStockItemQty(t *testing.T) {
	b := setup(t)
	b.fake.SetMSI(false)
	b.addCatalogue()
	mustCreate(t, b, marketplaceOrder(550))
	if stock, _ := b.fake.Stock("MUG-1"); stock != 8 {
		t.Errorf("MUG-1 = %d, want 8", stock)
	}
}
