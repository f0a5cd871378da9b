package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

// The engine's scenarios, run against the fake of every marketplace kind over loopback HTTP.

func forEachMarket(t *testing.T, run func(t *testing.T, m *market)) {
	for _, mk := range markets {
		t.Run(mk.kind, func(t *testing.T) {
			t.Parallel() // each has its own database and fakes
			run(t, mk.open(t))
		})
	}
}

func confirmed(o *models.Order) bool { return o.ShipmentState == models.ShipmentConfirmed }

// ship completes the order's store order with a UPS tracking number and returns it.
func (f *flow) ship(o *models.Order, tracking string) {
	f.t.Helper()
	item := &woocommerce.TrackingItem{TrackingProvider: "ups", TrackingNumber: tracking}
	if err := f.store.CompleteOrder(storeID(f.t, o), item); err != nil {
		f.t.Fatal(err)
	}
}

// expectShipped checks the marketplace accepted exactly one shipment of the order, with the
// tracking number and a carrier naming want.
func (f *flow) expectShipped(id, carrier, tracking string) {
	f.t.Helper()
	sent := f.market.shipments(id)
	if len(sent) != 1 {
		f.t.Fatalf("order %s: the marketplace has %d shipments, want 1: %+v", id, len(sent), sent)
	}
	if sent[0].tracking != tracking || !strings.Contains(strings.ToUpper(sent[0].carrier), carrier) {
		f.t.Fatalf("order %s: the marketplace has carrier %q tracking %q, want %s %q", id, sent[0].carrier, sent[0].tracking, carrier, tracking)
	}
}

func TestEachMarketplaceOrderReachesTheStoreAndItsShipmentGoesBack(t *testing.T) {
	forEachMarket(t, func(t *testing.T, m *market) {
		f := newMarketFlow(t, m)
		f.start()
		before, _ := f.store.Product("MUG-BLUE-350")
		id := m.addOrder(newOrder{n: 0})
		o := f.waitForOrder(id, "in the store", imported)
		made := f.storeOrders(o)
		if len(made) != 1 {
			t.Fatalf("%d store orders", len(made))
		}
		so := made[0]
		if len(so.LineItems) != 1 || so.LineItems[0].SKU != "MUG-BLUE-350" || so.LineItems[0].Quantity != o.Lines[0].Quantity {
			t.Fatalf("store lines %+v, order lines %+v", so.LineItems, o.Lines)
		}
		if so.Shipping.Address1 == "" || so.Shipping.City != o.Shipping.City || so.Shipping.Country != o.Shipping.Country {
			t.Fatalf("store shipping address %+v, order's %+v", so.Shipping, o.Shipping)
		}
		if after, _ := f.store.Product("MUG-BLUE-350"); after.StockQuantity != before.StockQuantity-o.Lines[0].Quantity {
			t.Fatalf("stock went from %d to %d for %d sold", before.StockQuantity, after.StockQuantity, o.Lines[0].Quantity)
		}

		f.ship(o, "1Z999AA10123456784")
		o = f.waitForOrder(id, "confirmed", confirmed)
		if o.Status != models.StatusShipped || o.CarrierCode != "UPS" {
			t.Fatalf("status %s, carrier %s", o.Status, o.CarrierCode)
		}
		f.expectShipped(id, "UPS", "1Z999AA10123456784")
	})
}

func TestEachMarketplaceBlockedOrdersWaitForTheirFix(t *testing.T) {
	forEachMarket(t, func(t *testing.T, m *market) {
		f := newMarketFlow(t, m, func(c *models.Connection) { c.ActiveCountries = "FR,DE,NL,BE,ES" })
		f.start()
		cases := []struct {
			id, reason, says string
		}{
			{m.addOrder(newOrder{sku: "NOT-IN-STORE", qty: 1}), models.BlockedUnknownProduct, "SKU NOT-IN-STORE matches no active product"},
			{m.addOrder(newOrder{sku: "LAMP-DESK-01", qty: 2}), models.BlockedOutOfStock, "has 1 of SKU LAMP-DESK-01 and the order needs 2"},
			{m.addOrder(newOrder{country: "IT"}), models.BlockedCountryInactive, "IT is not active"},
			{m.addOrder(newOrder{noCity: true}), models.BlockedMissingField, "city is missing"},
		}
		blocked := map[string]*models.Order{}
		for _, tc := range cases {
			o := f.waitForOrder(tc.id, tc.reason, blockedWith(tc.reason))
			if !strings.Contains(o.StoreBlockedMessage, tc.says) {
				t.Errorf("%s: message %q, want it to say %q", tc.reason, o.StoreBlockedMessage, tc.says)
			}
			if n := len(f.storeOrders(o)); n != 0 {
				t.Errorf("%s: %d store orders for a blocked order", tc.reason, n)
			}
			blocked[tc.reason] = o
		}

		f.store.AddProduct(woocommerce.ProductSpec{Name: "New", SKU: "NOT-IN-STORE", RegularPrice: "19.90", ManageStock: true, StockQuantity: 5})
		f.enqueue(jobs.SyncCatalogueArgs{ConnectionID: f.conn.ID, RetryBlocked: true})
		f.updateConnection(func(c *models.Connection) { c.ActivateCountry("IT") })
		f.retry(blocked[models.BlockedCountryInactive])
		f.updateConnection(func(c *models.Connection) { c.BlockOutOfStock = false })
		f.retry(blocked[models.BlockedOutOfStock])
		o := blocked[models.BlockedMissingField]
		address := o.Shipping
		address.City = "Lyon"
		err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
			return models.UpdateShippingAddress(context.Background(), tx, o, address, "user:1", time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		f.retry(o)

		for _, tc := range cases {
			o := f.waitForOrder(tc.id, "in the store after the fix", imported)
			if n := len(f.storeOrders(o)); n != 1 {
				t.Errorf("%s: %d store orders after the fix", tc.reason, n)
			}
		}
	})
}

func TestEachMarketplaceTrackingWait(t *testing.T) {
	forEachMarket(t, func(t *testing.T, m *market) {
		f := newMarketFlow(t, m)
		f.start()

		early := m.addOrder(newOrder{n: 0})
		o := f.waitForOrder(early, "in the store", imported)
		if err := f.store.CompleteOrder(storeID(t, o), nil); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(early, "awaiting tracking", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentAwaitingTracking })
		if err := f.store.AddTracking(storeID(t, o), woocommerce.TrackingItem{TrackingProvider: "dhl", TrackingNumber: "JD014600003828"}); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(early, "confirmed", confirmed)
		f.expectShipped(early, "DHL", "JD014600003828")

		late := m.addOrder(newOrder{n: 2})
		o = f.waitForOrder(late, "in the store", imported)
		if err := f.store.CompleteOrder(storeID(t, o), nil); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(late, "awaiting tracking", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentAwaitingTracking })
		time.Sleep(1500 * time.Millisecond) // syncs and sweeps go by: nothing is sent during the wait
		if sent := m.shipments(late); len(sent) != 0 {
			t.Fatalf("sent before the tracking wait was over: %+v", sent)
		}
		f.clock.Advance(3*time.Hour + time.Minute)
		if !m.needsTracking {
			f.waitForOrder(late, "confirmed", confirmed)
			f.expectShipped(late, "GLS", "")
			return
		}
		o = f.waitForOrder(late, "blocked for its tracking number", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentBlocked })
		if o.ShipmentBlockedReason != models.BlockedMarketplaceRejected || !strings.Contains(o.ShipmentBlockedMessage, "tracking number") {
			t.Fatalf("blocked %s: %q", o.ShipmentBlockedReason, o.ShipmentBlockedMessage)
		}
		if sent := m.shipments(late); len(sent) != 0 {
			t.Fatalf("%s accepted a shipment without tracking: %+v", m.kind, sent)
		}
	})
}

func TestEachMarketplaceLostAnswersMakeNoDuplicate(t *testing.T) {
	forEachMarket(t, func(t *testing.T, m *market) {
		f := newMarketFlow(t, m)
		f.store.Faults().LoseNextResponse(apiclient.Match("POST", "/wp-json/wc/v3/orders"), 1)
		f.start()
		id := m.addOrder(newOrder{n: 0})
		o := f.waitForOrder(id, "in the store", imported)
		if n := len(f.storeOrders(o)); n != 1 {
			t.Fatalf("%d store orders after a lost create answer, want 1", n)
		}
		m.loseShipAnswer(id)
		f.ship(o, "1Z999AA10123456785")
		f.waitForOrder(id, "confirmed", confirmed)
		f.expectShipped(id, "UPS", "1Z999AA10123456785")
	})
}

func TestEachMarketplaceOverlappingReadsImportOnce(t *testing.T) {
	forEachMarket(t, func(t *testing.T, m *market) {
		f := newMarketFlow(t, m)
		f.start()
		var ids []string
		for i := 0; i < 4; i++ {
			ids = append(ids, m.addOrder(newOrder{n: i * 2}))
		}
		f.shipAll(ids)
		for _, id := range ids {
			f.waitForOrder(id, "confirmed", confirmed)
		}
		// Read everything again from the start, as after a lost cursor or pages that overlap.
		f.updateConnection(func(c *models.Connection) { c.MarketplaceCursor = "" })
		ids = append(ids, m.addOrder(newOrder{n: 1}))
		f.shipAll(ids[len(ids)-1:])
		f.expectEachOnce(ids)
	})
}

func TestEachMarketplaceRestartMidRun(t *testing.T) {
	forEachMarket(t, func(t *testing.T, m *market) {
		f := newMarketFlow(t, m)
		f.store.Faults().SetLatency(150 * time.Millisecond)
		f.start()
		var ids []string
		for i := 0; i < 6; i++ {
			ids = append(ids, m.addOrder(newOrder{n: i * 2}))
		}
		f.waitForOrder(ids[0], "in the store", imported)
		if err := f.runner.Stop(time.Millisecond); err != nil {
			t.Logf("stop: %v", err)
		}
		f.runner = f.newRunner(jobs.NewRegistry(f.sealer))
		if err := f.runner.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = f.runner.Stop(10 * time.Second) })
		f.store.Faults().SetLatency(0)
		f.shipAll(ids)
		f.expectEachOnce(ids)
	})
}

func TestEachMarketplaceCancellationReachesTheStore(t *testing.T) {
	forEachMarket(t, func(t *testing.T, m *market) {
		if m.cancel == nil {
			t.Skipf("on %s only the seller cancels an order", m.kind)
		}
		f := newMarketFlow(t, m)
		f.start()
		id := m.addOrder(newOrder{n: 0})
		o := f.waitForOrder(id, "in the store", imported)
		if err := m.cancel(id); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(id, "cancelled", func(o *models.Order) bool {
			return o.Status == models.StatusCancelled && o.StoreState == models.StoreCancelled
		})
		if so, _ := f.store.Order(storeID(t, o)); so.Status != "cancelled" {
			t.Fatalf("store order status %s", so.Status)
		}
	})
}

// expectEachOnce checks every order reached the store once and the marketplace accepted
// one shipment of each.
func (f *flow) expectEachOnce(ids []string) {
	f.t.Helper()
	for _, id := range ids {
		o := f.waitForOrder(id, "confirmed", confirmed)
		if n := len(f.storeOrders(o)); n != 1 {
			f.t.Errorf("order %s: %d store orders", id, n)
		}
		if n := len(f.market.shipments(id)); n != 1 {
			f.t.Errorf("order %s: %d shipments on the marketplace", id, n)
		}
	}
}
