package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

func oneLine(sku string, quantity int) mirakl.FakeOrder {
	order := mirakl.SampleOrder(0)
	order.Lines = []mirakl.FakeLine{{SKU: sku, Title: sku, Quantity: quantity, UnitPrice: "19.90", ShippingPrice: "4.90"}}
	return order
}

func (f *flow) retry(o *models.Order) {
	f.t.Helper()
	if err := f.runner.RetryOrder(context.Background(), f.db.Gorm, o.MerchantID, o.ID, "user:1"); err != nil {
		f.t.Fatal(err)
	}
}

func (f *flow) updateConnection(change func(c *models.Connection)) {
	f.t.Helper()
	change(f.conn)
	if err := models.SaveConnection(context.Background(), f.db.Gorm, f.conn); err != nil {
		f.t.Fatal(err)
	}
}

func blockedWith(reason string) func(o *models.Order) bool {
	return func(o *models.Order) bool {
		return o.StoreState == models.StoreBlocked && o.StoreBlockedReason == reason
	}
}

func imported(o *models.Order) bool { return o.StoreState == models.StoreImported }

func TestBlockedOrdersNeverReachTheStoreAndGoOnceFixed(t *testing.T) {
	f := newFlow(t, func(c *models.Connection) { c.ActiveCountries = "FR,DE" })
	f.start()

	unknown := f.mirakl.AddOrder(oneLine("NOT-IN-STORE", 1))
	short := f.mirakl.AddOrder(oneLine("LAMP-DESK-01", 2))
	belgian := mirakl.SampleOrder(0)
	belgian.Shipping.Country, belgian.Shipping.CountryISOCode = "Belgique", "BEL"
	inactive := f.mirakl.AddOrder(belgian)
	noCity := mirakl.SampleOrder(0)
	noCity.Shipping.City = ""
	missing := f.mirakl.AddOrder(noCity)

	cases := []struct {
		id, reason, says string
	}{
		{unknown, models.BlockedUnknownProduct, "SKU NOT-IN-STORE matches no active product"},
		{short, models.BlockedOutOfStock, "has 1 of SKU LAMP-DESK-01 and the order needs 2"},
		{inactive, models.BlockedCountryInactive, "BE is not active"},
		{missing, models.BlockedMissingField, "city is missing"},
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

	// Fix each cause, retry, and the order goes to the store.
	f.store.AddProduct(woocommerce.ProductSpec{Name: "New", SKU: "NOT-IN-STORE", RegularPrice: "19.90", ManageStock: true, StockQuantity: 5})
	f.enqueue(jobs.SyncCatalogueArgs{ConnectionID: f.conn.ID})
	f.waitFor("the new product in the catalogue", func() bool {
		var n int64
		f.db.Gorm.Model(&models.Product{}).Where("connection_id = ? AND sku = ?", f.conn.ID, "NOT-IN-STORE").Count(&n)
		return n == 1
	})
	f.retry(blocked[models.BlockedUnknownProduct])

	f.updateConnection(func(c *models.Connection) { c.ActivateCountry("BE") })
	f.retry(blocked[models.BlockedCountryInactive])

	f.updateConnection(func(c *models.Connection) { c.BlockOutOfStock = false })
	f.retry(blocked[models.BlockedOutOfStock])

	o := blocked[models.BlockedMissingField]
	address := o.Shipping
	address.City = "Paris"
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
}

func TestLostCreateAnswerMakesExactlyOneStoreOrder(t *testing.T) {
	f := newFlow(t)
	f.store.Faults().LoseNextResponse(apiclient.Match("POST", "/wp-json/wc/v3/orders"), 1)
	f.start()
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	o := f.waitForOrder(id, "in the store", imported)
	if n := len(f.storeOrders(o)); n != 1 {
		t.Fatalf("%d store orders, want exactly 1", n)
	}
	if !strings.Contains(describe(f, o), "Found in the store") {
		t.Fatalf("the timeline does not tell the order was found after the lost answer:\n%s", describe(f, o))
	}
}

func TestShipmentAfterALostAnswerIsSentOnce(t *testing.T) {
	f := newFlow(t)
	f.start()
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	o := f.waitForOrder(id, "in the store", imported)
	f.mirakl.Faults().LoseNextResponse(apiclient.Match("PUT", "/api/orders/"+id+"/ship"), 1)
	if err := f.store.CompleteOrder(storeID(t, o), &woocommerce.TrackingItem{TrackingProvider: "ups", TrackingNumber: "1Z999AA10123456784"}); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(id, "confirmed", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentConfirmed })
	if n := f.mirakl.ShipCalls(id); n != 1 {
		t.Fatalf("the marketplace confirmed %d shipments, want 1", n)
	}
}

func TestTrackingWait(t *testing.T) {
	f := newFlow(t)
	f.start()

	// Tracking added within the wait: sent with it.
	early := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	o := f.waitForOrder(early, "in the store", imported)
	if err := f.store.CompleteOrder(storeID(t, o), nil); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(early, "awaiting tracking", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentAwaitingTracking })
	if err := f.store.AddTracking(storeID(t, o), woocommerce.TrackingItem{TrackingProvider: "dhl", TrackingNumber: "JD014600003828"}); err != nil {
		t.Fatal(err)
	}
	o = f.waitForOrder(early, "confirmed", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentConfirmed })
	if o.TrackingNumber != "JD014600003828" || o.CarrierCode != "DHL" {
		t.Fatalf("sent %s %q", o.CarrierCode, o.TrackingNumber)
	}

	// None within the wait: sent without, once the wait is over.
	late := f.mirakl.AddOrder(mirakl.SampleOrder(2))
	o = f.waitForOrder(late, "in the store", imported)
	if err := f.store.CompleteOrder(storeID(t, o), nil); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(late, "awaiting tracking", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentAwaitingTracking })
	time.Sleep(2 * time.Second) // a few sweeps and syncs while the wait runs: nothing is sent
	if n := f.mirakl.ShipCalls(late); n != 0 {
		t.Fatalf("sent before the tracking wait was over")
	}
	f.clock.Advance(3*time.Hour + time.Minute)
	o = f.waitForOrder(late, "confirmed", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentConfirmed })
	if o.TrackingNumber != "" || f.mirakl.ShipCalls(late) != 1 || o.CarrierName != "GLS" {
		t.Fatalf("sent without tracking: carrier %q tracking %q, %d shipments", o.CarrierName, o.TrackingNumber, f.mirakl.ShipCalls(late))
	}
}

func TestUnmappedCarrierBlocksUntilChosen(t *testing.T) {
	f := newFlow(t)
	f.updateConnection(func(c *models.Connection) { c.DefaultCarrierCode, c.DefaultCarrierName = "", "" })
	f.start()
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	o := f.waitForOrder(id, "in the store", imported)
	if err := f.store.CompleteOrder(storeID(t, o), &woocommerce.TrackingItem{CustomTrackingProvider: "Coursier Vélo", TrackingNumber: "CV-88"}); err != nil {
		t.Fatal(err)
	}
	o = f.waitForOrder(id, "blocked on its carrier", func(o *models.Order) bool {
		return o.ShipmentState == models.ShipmentBlocked && o.ShipmentBlockedReason == models.BlockedCarrierUnmapped
	})
	if f.mirakl.ShipCalls(id) != 0 || !strings.Contains(o.ShipmentBlockedMessage, "Coursier Vélo") {
		t.Fatalf("message %q, %d shipments", o.ShipmentBlockedMessage, f.mirakl.ShipCalls(id))
	}
	err := f.db.Gorm.Create(&models.CarrierRule{MerchantID: f.conn.MerchantID, ConnectionID: f.conn.ID, Position: 1,
		MatchKind: models.MatchStartsWith, Pattern: "CV-", CarrierName: "Coursier Vélo", TrackingURLTemplate: "https://coursier.example/{tracking}"}).Error
	if err != nil {
		t.Fatal(err)
	}
	f.retry(o)
	o = f.waitForOrder(id, "confirmed", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentConfirmed })
	if snap, _ := f.mirakl.Order(id); snap.CarrierName != "Coursier Vélo" || snap.TrackingURL != "https://coursier.example/CV-88" {
		t.Fatalf("marketplace got %+v", snap)
	}
}

func TestMarketplaceCancellationCancelsTheStoreOrder(t *testing.T) {
	f := newFlow(t)
	f.start()
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	o := f.waitForOrder(id, "in the store", imported)
	if err := f.mirakl.CancelOrder(id); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(id, "cancelled", func(o *models.Order) bool {
		return o.Status == models.StatusCancelled && o.StoreState == models.StoreCancelled
	})
	so, _ := f.store.Order(storeID(t, o))
	if so.Status != "cancelled" {
		t.Fatalf("store order status %s", so.Status)
	}
}

func TestManualAcceptanceAndRefusal(t *testing.T) {
	f := newFlow(t, func(c *models.Connection) { c.AutoAccept = false })
	f.start()
	accepted := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	refused := f.mirakl.AddOrder(mirakl.SampleOrder(2))
	a := f.waitForOrder(accepted, "waiting acceptance", func(o *models.Order) bool { return o.Status == models.StatusWaitingAcceptance })
	r := f.waitForOrder(refused, "waiting acceptance", func(o *models.Order) bool { return o.Status == models.StatusWaitingAcceptance })
	time.Sleep(1500 * time.Millisecond) // polls go by: nothing accepts it without a person
	if snap, _ := f.mirakl.Order(accepted); snap.State != "WAITING_ACCEPTANCE" || f.mirakl.Calls("OR21") != 0 {
		t.Fatalf("accepted without a person: %s", snap.State)
	}
	ctx := context.Background()
	if err := f.runner.DecideOrder(ctx, f.db.Gorm, a.MerchantID, a.ID, true, "user:1", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.runner.DecideOrder(ctx, f.db.Gorm, r.MerchantID, r.ID, false, "user:1", "out of stock"); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(accepted, "in the store", imported)
	r = f.waitForOrder(refused, "refused", func(o *models.Order) bool {
		return o.Status == models.StatusRefused && o.StoreState == models.StoreCancelled
	})
	if n := len(f.storeOrders(r)); n != 0 {
		t.Fatalf("a refused order reached the store")
	}
	if timeline := describe(f, r); !strings.Contains(timeline, "Refused on the marketplace: out of stock") || !strings.Contains(timeline, "never reached the store") {
		t.Fatalf("the refusal's timeline:\n%s", timeline)
	}
}

func TestActivationDate(t *testing.T) {
	f := newFlow(t)
	old := mirakl.SampleOrder(0)
	old.CreatedAt = time.Now().Add(-48 * time.Hour)
	oldID := f.mirakl.AddOrder(old)
	f.start()
	newID := f.mirakl.AddOrder(mirakl.SampleOrder(2))
	f.waitForOrder(newID, "in the store", imported)
	if f.order(oldID) != nil {
		t.Fatal("an order placed before the activation date was imported")
	}
	f.updateConnection(func(c *models.Connection) {
		if err := c.MoveActivationDate(time.Now().Add(-72*time.Hour), time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	f.waitForOrder(oldID, "in the store after moving the date back", imported)
}

func TestThrottledMarketplaceIsWaitedFor(t *testing.T) {
	f := newFlow(t)
	f.mirakl.Faults().ThrottleNext(apiclient.Match("GET", "/api/orders"), 2, time.Second)
	f.start()
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	f.waitForOrder(id, "in the store", imported)
	if f.mirakl.Calls("OR11") == 0 {
		t.Fatal("no listing call reached the marketplace")
	}
}

func TestStoreCancellationCancelsOnTheMarketplace(t *testing.T) {
	f := newFlow(t)
	f.start()
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	o := f.waitForOrder(id, "in the store", imported)
	if err := f.store.SetOrderStatus(storeID(t, o), "cancelled"); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(id, "cancelled on the marketplace", func(o *models.Order) bool {
		return o.Status == models.StatusCancelled && o.StoreState == models.StoreCancelled
	})
	if snap, _ := f.mirakl.Order(id); snap.State != "CANCELED" {
		t.Fatalf("marketplace state %s", snap.State)
	}
}

// shipAll completes every imported order of the flow in the store, with tracking.
func (f *flow) shipAll(ids []string) {
	f.t.Helper()
	for i, id := range ids {
		o := f.waitForOrder(id, "in the store", imported)
		item := &woocommerce.TrackingItem{TrackingProvider: "colissimo", TrackingNumber: "6A" + strings.Repeat("0", 10) + string(rune('A'+i%26))}
		if err := f.store.CompleteOrder(storeID(f.t, o), item); err != nil {
			f.t.Fatal(err)
		}
	}
}

func TestTwoProcessesOnOneDatabaseDoEachThingOnce(t *testing.T) {
	f := newFlow(t)
	second := f.newRunner(jobs.NewRegistry(f.sealer))
	if err := second.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = second.Stop(10 * time.Second) })
	f.start()
	var ids []string
	for i := 0; i < 12; i++ {
		ids = append(ids, f.mirakl.AddOrder(mirakl.SampleOrder(i*2)))
	}
	f.shipAll(ids)
	f.expectEachOnce(ids)
}

func TestStoppedMidRunAndRestartedEverythingCompletes(t *testing.T) {
	f := newFlow(t)
	f.store.Faults().SetLatency(150 * time.Millisecond) // keep calls in flight when the stop comes
	f.start()
	var ids []string
	for i := 0; i < 8; i++ {
		ids = append(ids, f.mirakl.AddOrder(mirakl.SampleOrder(i*2)))
	}
	f.waitForOrder(ids[0], "in the store", imported)
	if err := f.runner.Stop(time.Millisecond); err != nil { // cancels whatever runs
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
}
