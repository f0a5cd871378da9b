package jobs_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

// An order whose creation answer was lost is in the store before orderhub looks it up. If the
// merchant ships it meanwhile, the store sync reads that shipment once: it must find the order
// by orderhub's id kept in the store, or the shipment never reaches the marketplace (the soak
// found this).
func TestShipmentOfAnOrderWhoseCreateAnswerWasLostIsNotMissed(t *testing.T) {
	f := newFlow(t)
	runner, err := jobs.New(f.db, jobs.Options{
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		Connectors:   jobs.NewRegistry(f.sealer),
		Now:          f.clock.Now,
		PollInterval: 100 * time.Millisecond, DispatchInterval: time.Second, SweepInterval: time.Second,
		CreateSettle: time.Hour, // orderhub would look the order up only in an hour
	})
	if err != nil {
		t.Fatal(err)
	}
	f.runner = runner
	f.store.Faults().LoseNextResponse(apiclient.Match("POST", "/wp-json/wc/v3/orders"), 1)
	f.start()
	id := f.market.addOrder(newOrder{n: 0})
	f.waitFor("the store to hold the order", func() bool { return len(f.store.Orders()) == 1 })
	if o := f.order(id); o.StoreState != models.StorePending || o.StoreOrderID != "" {
		t.Fatalf("before the lookup the order is %s with store id %q; want pending without one", o.StoreState, o.StoreOrderID)
	}

	item := &woocommerce.TrackingItem{TrackingProvider: "ups", TrackingNumber: "1Z999AA10123456786"}
	if err := f.store.CompleteOrder(f.store.Orders()[0].ID, item); err != nil {
		t.Fatal(err)
	}
	o := f.waitForOrder(id, "confirmed", confirmed)
	f.expectShipped(id, "UPS", "1Z999AA10123456786")
	if n := len(f.store.Orders()); n != 1 {
		t.Fatalf("%d store orders, want 1", n)
	}
	var events []models.OrderEvent
	if err := f.db.Gorm.Where("order_id = ?", o.ID).Find(&events).Error; err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		found = found || strings.Contains(e.Message, "the store reported it first")
	}
	if !found {
		t.Fatal("the timeline does not say how the order was found in the store")
	}
}
