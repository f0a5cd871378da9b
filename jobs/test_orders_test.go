package jobs_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

// A test order goes to the store by the real path, and its shipment ends in orderhub: the
// marketplace never hears of it.
func TestTestOrderReachesTheStoreButNeverTheMarketplace(t *testing.T) {
	f := newFlow(t)
	f.start()
	ctx := context.Background()
	o, err := models.NewTestOrder(ctx, f.db.Gorm, f.conn, models.TestOrderRequest{SKU: "MUG-BLUE-350", Country: "FR", Quantity: 3}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.runner.CreateTestOrder(ctx, f.db.Gorm, f.conn, o, "user:1"); err != nil {
		t.Fatal(err)
	}
	in := f.waitForOrder(o.MarketplaceOrderID, "in the store", imported)
	stored := f.storeOrders(in)
	if len(stored) != 1 || stored[0].LineItems[0].Quantity != 3 || stored[0].Shipping.Country != "FR" {
		t.Fatalf("store orders %+v", stored)
	}
	item := &woocommerce.TrackingItem{TrackingProvider: "colissimo", TrackingNumber: "6A99887766554"}
	if err := f.store.CompleteOrder(storeID(t, in), item); err != nil {
		t.Fatal(err)
	}
	done := f.waitForOrder(o.MarketplaceOrderID, "confirmed", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentConfirmed })
	events, _ := models.OrderEvents(ctx, f.db.Gorm, done.MerchantID, done.ID)
	last := events[len(events)-1].Message
	if !strings.Contains(last, "Test order") || !strings.Contains(last, "6A99887766554") || !strings.Contains(last, "nothing is sent") {
		t.Fatalf("last event %q", last)
	}
	if n := f.mirakl.Calls("OR23") + f.mirakl.Calls("OR24") + f.mirakl.Calls("OR21"); n != 0 {
		t.Fatalf("the marketplace was called %d times for a test order", n)
	}

	// Another test order, cancelled by the merchant: cancelled in the store too.
	second, err := models.NewTestOrder(ctx, f.db.Gorm, f.conn, models.TestOrderRequest{SKU: "MUG-BLUE-350", Country: "BE"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if second.Lines[0].Quantity < 1 || second.Lines[0].Quantity > 4 || second.Shipping.Street1 == "" || second.Billing.Email == "" {
		t.Fatalf("random test order %+v", second)
	}
	if err := f.runner.CreateTestOrder(ctx, f.db.Gorm, f.conn, second, "user:1"); err != nil {
		t.Fatal(err)
	}
	placed := f.waitForOrder(second.MarketplaceOrderID, "in the store", imported)
	if err := f.runner.CancelTestOrder(ctx, f.db.Gorm, f.conn.MerchantID, placed.ID, "user:1"); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(second.MarketplaceOrderID, "cancelled in the store", func(o *models.Order) bool { return o.StoreState == models.StoreCancelled })
	if got := f.storeOrders(placed); len(got) != 1 || got[0].Status != "cancelled" {
		t.Fatalf("store order after cancel: %+v", got)
	}
	if n := f.mirakl.Calls("OR29"); n != 0 {
		t.Fatalf("the marketplace was asked to cancel a test order %d times", n)
	}
	// Stock under the minimum is refused.
	if _, err := models.NewTestOrder(ctx, f.db.Gorm, f.conn, models.TestOrderRequest{SKU: "MUG-BLUE-350"}, time.Now()); err == nil {
		t.Fatal("a test order without a country was made (the connection has none)")
	}
	if _, err := models.NewTestOrder(ctx, f.db.Gorm, f.conn, models.TestOrderRequest{SKU: "LAMP-DESK-01", Country: "FR"}, time.Now()); !errors.Is(err, models.ErrTestStock) {
		t.Fatal("a product with 1 in stock was taken for a test order")
	}
}
