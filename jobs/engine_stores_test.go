package jobs_test

import (
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
)

// The engine's scenarios, run against the fake of every store kind over loopback HTTP, with
// orders from the Mirakl fake.

func forEachShop(t *testing.T, run func(t *testing.T, f *flow)) {
	for _, sk := range shops {
		t.Run(sk.kind, func(t *testing.T) {
			t.Parallel() // each has its own database and fakes
			f := newFlowBetween(t, openMirakl(t), sk.open(t))
			run(t, f)
		})
	}
}

// storeOrder returns the one store order made for an orderhub order.
func (f *flow) storeOrder(o *models.Order) string {
	f.t.Helper()
	ids := f.shop.ordersFor(o)
	if len(ids) != 1 {
		f.t.Fatalf("order %s: %d store orders %v, want 1", o.MarketplaceOrderID, len(ids), ids)
	}
	return ids[0]
}

func TestEachStoreGetsTheOrderAndSendsItsShipmentBack(t *testing.T) {
	forEachShop(t, func(t *testing.T, f *flow) {
		f.start()
		id := f.market.addOrder(newOrder{n: 0, sku: "MUG-BLUE-350", qty: 2})
		o := f.waitForOrder(id, "in the store", imported)
		storeID := f.storeOrder(o)
		so := f.shop.order(storeID)
		if len(so.lines) != 1 || so.lines["MUG-BLUE-350"] != 2 || so.city != o.Shipping.City || so.country != o.Shipping.Country {
			t.Fatalf("store order %+v for %+v", so, o.Shipping)
		}
		if stock := f.shop.stock("MUG-BLUE-350"); stock != 18 {
			t.Fatalf("stock %d after selling 2 of 20", stock)
		}
		if o.StoreOrderID != storeID {
			t.Fatalf("orderhub keeps store order %q, the store made %q", o.StoreOrderID, storeID)
		}
		if err := f.shop.ship(storeID, "UPS", "1Z999AA10123456784"); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(id, "confirmed", confirmed)
		f.expectShipped(id, "UPS", "1Z999AA10123456784")
	})
}

func TestEachStoreBlockedOrdersNeverReachIt(t *testing.T) {
	forEachShop(t, func(t *testing.T, f *flow) {
		f.start()
		unknown := f.market.addOrder(newOrder{sku: "NOT-IN-STORE", qty: 1})
		short := f.market.addOrder(newOrder{sku: "LAMP-DESK-01", qty: 2})
		for id, reason := range map[string]string{unknown: models.BlockedUnknownProduct, short: models.BlockedOutOfStock} {
			o := f.waitForOrder(id, reason, blockedWith(reason))
			if ids := f.shop.ordersFor(o); len(ids) != 0 {
				t.Fatalf("%s: store orders %v for a blocked order", reason, ids)
			}
		}
		f.shop.addProduct("NOT-IN-STORE", "New product", "19.90", 5)
		f.enqueue(jobs.SyncCatalogueArgs{ConnectionID: f.conn.ID, RetryBlocked: true})
		o := f.waitForOrder(unknown, "in the store once the product exists", imported)
		f.storeOrder(o)
	})
}

func TestEachStoreTrackingAddedLaterIsSent(t *testing.T) {
	forEachShop(t, func(t *testing.T, f *flow) {
		f.start()
		id := f.market.addOrder(newOrder{n: 0})
		o := f.waitForOrder(id, "in the store", imported)
		storeID := f.storeOrder(o)
		if err := f.shop.ship(storeID, "", ""); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(id, "awaiting tracking", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentAwaitingTracking })
		if err := f.shop.addTracking(storeID, "DHL", "JD014600003828"); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(id, "confirmed", confirmed)
		f.expectShipped(id, "DHL", "JD014600003828")
	})
}

func TestEachStoreUnknownCarrierIsMappedByARule(t *testing.T) {
	forEachShop(t, func(t *testing.T, f *flow) {
		f.updateConnection(func(c *models.Connection) { c.DefaultCarrierCode, c.DefaultCarrierName = "", "" })
		f.start()
		id := f.market.addOrder(newOrder{n: 0})
		o := f.waitForOrder(id, "in the store", imported)
		if err := f.shop.ship(f.storeOrder(o), "Coursier Velo", "CV-88"); err != nil {
			t.Fatal(err)
		}
		o = f.waitForOrder(id, "blocked on its carrier", func(o *models.Order) bool {
			return o.ShipmentState == models.ShipmentBlocked && o.ShipmentBlockedReason == models.BlockedCarrierUnmapped
		})
		err := f.db.Gorm.Create(&models.CarrierRule{MerchantID: f.conn.MerchantID, ConnectionID: f.conn.ID, Position: 1,
			MatchKind: models.MatchStartsWith, Pattern: "CV-", CarrierName: "Coursier Velo", TrackingURLTemplate: "https://coursier.example/{tracking}"}).Error
		if err != nil {
			t.Fatal(err)
		}
		f.retry(o)
		f.waitForOrder(id, "confirmed", confirmed)
		if snap, _ := f.mirakl.Order(id); snap.CarrierName != "Coursier Velo" || snap.TrackingURL != "https://coursier.example/CV-88" {
			t.Fatalf("marketplace got %+v", snap)
		}
	})
}

func TestEachStoreLostCreateAnswerMakesOneOrder(t *testing.T) {
	forEachShop(t, func(t *testing.T, f *flow) {
		f.shop.loseNextCreate()
		f.start()
		id := f.market.addOrder(newOrder{n: 0})
		o := f.waitForOrder(id, "in the store", imported)
		f.storeOrder(o)
		if !strings.Contains(describe(f, o), "Found in the store") {
			t.Fatalf("the timeline does not tell the order was found after the lost answer:\n%s", describe(f, o))
		}
	})
}

func TestEachStoreCancellationsGoBothWays(t *testing.T) {
	forEachShop(t, func(t *testing.T, f *flow) {
		f.start()
		byMarketplace := f.market.addOrder(newOrder{n: 0})
		byStore := f.market.addOrder(newOrder{n: 1})
		a := f.waitForOrder(byMarketplace, "in the store", imported)
		b := f.waitForOrder(byStore, "in the store", imported)

		if err := f.mirakl.CancelOrder(byMarketplace); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(byMarketplace, "cancelled", func(o *models.Order) bool {
			return o.Status == models.StatusCancelled && o.StoreState == models.StoreCancelled
		})
		// Magento cannot cancel an invoiced order: it is refunded and closed.
		if so := f.shop.order(f.storeOrder(a)); !strings.Contains(strings.ToLower(so.status), "cancel") && so.status != "closed" {
			t.Fatalf("store order status %q after the marketplace cancelled", so.status)
		}

		if err := f.shop.cancel(f.storeOrder(b)); err != nil {
			t.Fatal(err)
		}
		f.waitForOrder(byStore, "cancelled on the marketplace", func(o *models.Order) bool {
			return o.Status == models.StatusCancelled && o.StoreState == models.StoreCancelled
		})
		if snap, _ := f.mirakl.Order(byStore); snap.State != "CANCELED" {
			t.Fatalf("marketplace state %s", snap.State)
		}
	})
}
