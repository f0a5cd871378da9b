package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/marketplace/bol"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

// One marketplace account, two connections to the same WooCommerce store: one for the orders
// the merchant ships, one for those the marketplace ships from its own warehouse (Amazon FBA,
// Fulfilled by bol).

// fulfilmentMarket adds orders the marketplace ships itself to a market's fake.
type fulfilmentMarket struct {
	open func(t *testing.T) *market
	// addShippedByMarketplace adds a marketplace-fulfilled order of qty mugs; shipped says
	// whether the marketplace has shipped it already.
	addShippedByMarketplace func(m *market, n, qty int, shipped bool) string
	// shipFromWarehouse ships such an order, as the marketplace does.
	shipFromWarehouse func(m *market, id string)
}

var fulfilmentMarkets = []struct {
	kind string
	fulfilmentMarket
}{
	{"amazon", fulfilmentMarket{
		open: openAmazon,
		addShippedByMarketplace: func(m *market, n, qty int, shipped bool) string {
			o := amazonOrder(newOrder{n: n, sku: "MUG-BLUE-350", qty: qty})
			o.FulfilledBy, o.Status = "AMAZON", "UNSHIPPED"
			if shipped {
				o.Status = "SHIPPED"
			}
			return m.amazon.AddOrder(o)
		},
		shipFromWarehouse: func(m *market, id string) { m.amazon.SetStatus(id, "SHIPPED") },
	}},
	{"bol", fulfilmentMarket{
		open: openBol,
		addShippedByMarketplace: func(m *market, n, qty int, shipped bool) string {
			o := bol.SampleOrder(n)
			o.Items = []bol.FakeItem{{Reference: "MUG-BLUE-350", EAN: "8712345678906", Title: "Ceramic mug", Quantity: qty, UnitPrice: 1290, FulfilmentMethod: "FBB"}}
			id := m.bol.AddOrder(o)
			if shipped {
				m.bol.ShipFromWarehouse(id)
			}
			return id
		},
		shipFromWarehouse: func(m *market, id string) { m.bol.ShipFromWarehouse(id) },
	}},
}

func TestMarketplaceFulfilledOrdersLandCompletedAndNothingGoesBack(t *testing.T) {
	for _, fm := range fulfilmentMarkets {
		t.Run(fm.kind, func(t *testing.T) {
			ctx := context.Background()
			m := fm.open(t)
			f := newMarketFlow(t, m)
			merchantShips := f.conn
			// The account's second connection: same credentials, same store, the marketplace ships.
			// FR is not among its countries and the store has too few mugs for one order: neither
			// blocks an order whose goods have left already.
			marketplaceShips := *merchantShips
			marketplaceShips.ID, marketplaceShips.Name = 0, "Shipped by "+fm.kind
			marketplaceShips.Fulfilment, marketplaceShips.ActiveCountries = models.FulfilmentMarketplace, "DE"
			if err := models.SaveConnection(ctx, f.db.Gorm, &marketplaceShips); err != nil {
				t.Fatal(err)
			}
			f.start()
			f.enqueue(jobs.SyncCatalogueArgs{ConnectionID: marketplaceShips.ID})
			f.waitFor("the second connection's catalogue", func() bool {
				var n int64
				f.db.Gorm.Model(&models.Product{}).Where("connection_id = ?", marketplaceShips.ID).Count(&n)
				return n == 3
			})
			orderOn := func(c *models.Connection, id string) *models.Order {
				var o models.Order
				if f.db.Gorm.Scopes(models.ForMerchant(c.MerchantID)).Preload("Lines").
					Where("connection_id = ? AND marketplace_order_id = ?", c.ID, id).First(&o).Error != nil {
					return nil
				}
				return &o
			}
			waitOn := func(c *models.Connection, id, what string, cond func(o *models.Order) bool) *models.Order {
				t.Helper()
				var o *models.Order
				f.waitFor("order "+id+" to be "+what, func() bool {
					o = orderOn(c, id)
					return o != nil && cond(o)
				})
				return o
			}

			mugs, _ := f.store.Product("MUG-BLUE-350")
			shipped := fm.addShippedByMarketplace(m, 1, 2, true)
			waiting := fm.addShippedByMarketplace(m, 2, 25, false) // more mugs than the store has
			merchants := m.addOrder(newOrder{n: 0, sku: "TSHIRT-ORG-M", qty: 1})

			// Shipped by the marketplace: in the store at once, completed, its stock taken.
			o := waitOn(&marketplaceShips, shipped, "in the store, shipped by the marketplace", func(o *models.Order) bool {
				return o.StoreState == models.StoreImported && o.ShipmentState == models.ShipmentMarketplace
			})
			if !o.FulfilledByMarketplace || o.Status != models.StatusShipped {
				t.Fatalf("order %s: flagged %v, status %s", shipped, o.FulfilledByMarketplace, o.Status)
			}
			made := f.storeOrders(o)
			if len(made) != 1 || made[0].Status != "completed" || made[0].DatePaidGMT == nil {
				t.Fatalf("store orders for %s: %+v", shipped, made)
			}
			if after, _ := f.store.Product("MUG-BLUE-350"); after.StockQuantity != mugs.StockQuantity-2 {
				t.Fatalf("mug stock %d, want %d", after.StockQuantity, mugs.StockQuantity-2)
			}

			// The merchant's own order goes the usual way, on the other connection.
			mine := waitOn(merchantShips, merchants, "in the store", func(o *models.Order) bool { return o.StoreState == models.StoreImported })
			if mine.FulfilledByMarketplace {
				t.Fatalf("merchant's order %s flagged fulfilled by the marketplace", merchants)
			}
			if err := f.store.CompleteOrder(storeID(t, mine), &woocommerce.TrackingItem{TrackingProvider: "ups", TrackingNumber: "1Z999AA10123456784"}); err != nil {
				t.Fatal(err)
			}
			waitOn(merchantShips, merchants, "shipped back", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentConfirmed })
			if sent := m.shipments(merchants); len(sent) != 1 {
				t.Fatalf("the merchant's order has %d shipments on the marketplace, want 1", len(sent))
			}

			// Not shipped yet: it waits, out of the store, whatever the stock; then the
			// marketplace ships it and it follows.
			w := waitOn(&marketplaceShips, waiting, "imported", func(*models.Order) bool { return true })
			time.Sleep(time.Second) // a few engine runs
			if w = orderOn(&marketplaceShips, waiting); w.StoreState != models.StorePending || w.ShipmentState != models.ShipmentNone {
				t.Fatalf("order %s before the marketplace shipped it: %s", waiting, describe(f, w))
			}
			fm.shipFromWarehouse(m, waiting)
			waitOn(&marketplaceShips, waiting, "in the store, shipped by the marketplace", func(o *models.Order) bool {
				return o.StoreState == models.StoreImported && o.ShipmentState == models.ShipmentMarketplace
			})

			// The store sync reads the completed orders: nothing goes back to the marketplace.
			// A sync that changes nothing leaves no sync run: count the finished jobs instead,
			// ours and the dispatcher's, which polls both connections every second.
			var before int64
			f.db.Gorm.Raw("SELECT COALESCE(MAX(id), 0) FROM river_job").Scan(&before)
			f.enqueue(jobs.SyncStoreArgs{ConnectionID: marketplaceShips.ID})
			f.waitFor("store syncs after both orders reached the store", func() bool {
				var n int64
				f.db.Gorm.Raw("SELECT count(*) FROM river_job WHERE kind = 'sync_store' AND state = 'completed' AND id > ?", before).Scan(&n)
				return n >= 3
			})
			for _, id := range []string{shipped, waiting} {
				if sent := m.shipments(id); len(sent) != 0 {
					t.Errorf("order %s: the marketplace got shipments %+v", id, sent)
				}
				o := orderOn(&marketplaceShips, id)
				if o.ShipmentState != models.ShipmentMarketplace || o.TrackingNumber != "" {
					t.Errorf("order %s after the store sync: %s", id, describe(f, o))
				}
				events, err := models.OrderEvents(ctx, f.db.Gorm, o.MerchantID, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range events {
					if strings.HasPrefix(e.Kind, "accept") || strings.HasPrefix(e.Kind, "shipment.sent") {
						t.Errorf("order %s: %s: %s", id, e.Kind, e.Message)
					}
				}
			}

			// No order is in both connections.
			var both int64
			f.db.Gorm.Model(&models.Order{}).Scopes(models.ForMerchant(merchantShips.MerchantID)).
				Where("marketplace_order_id IN (SELECT marketplace_order_id FROM orders WHERE connection_id = ?) AND connection_id = ?", merchantShips.ID, marketplaceShips.ID).
				Count(&both)
			if both != 0 || orderOn(merchantShips, shipped) != nil || orderOn(merchantShips, waiting) != nil || orderOn(&marketplaceShips, merchants) != nil {
				t.Fatalf("%d orders are in both connections", both)
			}
		})
	}
}
