package woocommerce

import (
	"context"
	"testing"
)

// An order the marketplace shipped from its own warehouse is created completed and paid,
// takes its stock like any other, and the store's next shipments page reports it completed.
func TestMarketplaceShippedOrderIsCreatedCompleted(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(502)
	order.FulfilledByMarketplace = true
	id := mustCreate(t, b, order)

	created, ok := b.fake.Order(mustID(t, id))
	if !ok {
		t.Fatalf("the store has no order %s", id)
	}
	if created.Status != "completed" || created.DatePaidGMT == nil {
		t.Errorf("status %s paid %v, want completed and paid", created.Status, created.DatePaidGMT)
	}
	if mug, _ := b.fake.Product("MUG-1"); mug.StockQuantity != 8 {
		t.Errorf("mug stock %d after selling 2 of 10, want 8", mug.StockQuantity)
	}
	page, err := b.client.Shipments(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Shipments) != 1 || !page.Shipments[0].Shipped || page.Shipments[0].StoreOrderID != id {
		t.Errorf("shipments %+v", page.Shipments)
	}
}
