package vendure

import (
	"context"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// readPass follows the cursor through one whole pass.
func readPass(t *testing.T, b *testBundle, cursor string) (map[string]models.StoreShipment, string) {
	t.Helper()
	seen := map[string]models.StoreShipment{}
	for range 50 {
		page, err := b.client.Shipments(context.Background(), cursor)
		if err != nil {
			t.Fatalf("Shipments(%s): %v", cursor, err)
		}
		for _, s := range page.Shipments {
			seen[s.StoreOrderID] = s
		}
		cursor = page.Cursor
		if !page.More {
			return seen, cursor
		}
	}
	t.Fatal("Shipments never finished its pass")
	return nil, ""
}

func TestShipmentsReportFulfilmentsAndCancellations(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.AddProduct(FakeProduct{SKU: "LAMP", Name: "Lamp", Price: "30.00", Stock: 100})
	ids := map[string]string{}
	for name, orderID := range map[string]int64{"tracked": 601, "untracked": 602, "later": 603, "cancelled": 604, "open": 605} {
		order := marketplaceOrder(orderID)
		order.Lines = order.Lines[:0]
		order.Lines = append(order.Lines, models.OrderLine{SKU: "LAMP", Quantity: 1, UnitPrice: 3000})
		ids[name] = mustCreate(t, b, order)
	}
	// An order the shop took itself (no orderhub marker) is not reported.
	b.fake.mu.Lock()
	foreign, _ := b.fake.resolveCreateDraftOrder(nil, nil)
	b.fake.mu.Unlock()

	_, cursor := readPass(t, b, "")
	b.clock.Advance(time.Hour)
	shippedAt := b.clock.Now()
	mustDo(t, b.fake.Ship(ids["tracked"], "Colissimo", "6A12345678901"))
	mustDo(t, b.fake.Ship(ids["untracked"], "", ""))
	mustDo(t, b.fake.Ship(ids["later"], "DHL", ""))
	mustDo(t, b.fake.Cancel(ids["cancelled"]))

	seen, cursor := readPass(t, b, cursor)
	if _, listed := seen[foreign.(object)["id"].(string)]; listed {
		t.Error("an order orderhub did not create was reported")
	}
	check := func(seen map[string]models.StoreShipment, name string, want models.StoreShipment) {
		t.Helper()
		got, ok := seen[ids[name]]
		if !ok {
			t.Errorf("%s: not reported", name)
			return
		}
		if got.RawStatus != want.RawStatus || got.Shipped != want.Shipped || got.Cancelled != want.Cancelled ||
			got.Carrier != want.Carrier || got.TrackingNumber != want.TrackingNumber || got.TrackingURL != "" {
			t.Errorf("%s: got %+v\nwant %+v", name, got, want)
		}
		if (want.ShippedAt == nil) != (got.ShippedAt == nil) || (want.ShippedAt != nil && !want.ShippedAt.Equal(*got.ShippedAt)) {
			t.Errorf("%s: shipped at %v, want %v", name, got.ShippedAt, want.ShippedAt)
		}
		if !want.UpdatedAt.IsZero() && !got.UpdatedAt.Equal(want.UpdatedAt) {
			t.Errorf("%s: updated at %v, want %v", name, got.UpdatedAt, want.UpdatedAt)
		}
	}
	check(seen, "tracked", models.StoreShipment{RawStatus: "Shipped", Shipped: true, Carrier: "Colissimo", TrackingNumber: "6A12345678901", ShippedAt: &shippedAt, UpdatedAt: shippedAt})
	check(seen, "untracked", models.StoreShipment{RawStatus: "Shipped", Shipped: true, ShippedAt: &shippedAt})
	check(seen, "later", models.StoreShipment{RawStatus: "Shipped", Shipped: true, Carrier: "DHL", ShippedAt: &shippedAt})
	check(seen, "cancelled", models.StoreShipment{RawStatus: "Cancelled", Cancelled: true, UpdatedAt: shippedAt})
	check(seen, "open", models.StoreShipment{RawStatus: "PaymentSettled"})

	// The tracking number comes later, on the same fulfilment.
	b.clock.Advance(time.Hour)
	mustDo(t, b.fake.AddTracking(ids["later"], "", "JJD000123"))
	seen, _ = readPass(t, b, cursor)
	check(seen, "later", models.StoreShipment{RawStatus: "Shipped", Shipped: true, Carrier: "DHL", TrackingNumber: "JJD000123", ShippedAt: &shippedAt, UpdatedAt: b.clock.Now()})
}

// Vendure leaves Order.updatedAt alone when a fulfilment is added: a poll on updatedAt alone
// would never see this shipment of a week-old order.
func TestShipmentOfAnOldOrderIsSeenThoughUpdatedAtStays(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(610))
	created := b.fake.orderByID(id).updatedAt
	_, cursor := readPass(t, b, "")
	b.clock.Advance(7 * 24 * time.Hour)
	mustDo(t, b.fake.Ship(id, "Colissimo", "6A999"))
	if got := b.fake.orderByID(id).updatedAt; !got.Equal(created) {
		t.Fatalf("the fake moved updatedAt to %v on shipping", got)
	}
	seen, _ := readPass(t, b, cursor)
	if got := seen[id]; !got.Shipped || got.TrackingNumber != "6A999" {
		t.Fatalf("shipment of an old order: %+v", got)
	}
}

func TestShipmentsPageThroughOrdersAndSeeLateChangesOutsideTheWindow(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.client.pageSize = 2
	var ids []string
	for orderID := int64(620); orderID < 625; orderID++ {
		order := marketplaceOrder(orderID)
		order.Lines = order.Lines[:1]
		order.Lines[0].Quantity = 1
		ids = append(ids, mustCreate(t, b, order))
	}
	seen, cursor := readPass(t, b, "")
	if len(seen) != 5 {
		t.Fatalf("first pass saw %d orders, want 5", len(seen))
	}
	// Forty days later the orders are outside the window; a cancellation moves updatedAt
	// and is still seen.
	b.clock.Advance(40 * 24 * time.Hour)
	_, cursor = readPass(t, b, cursor)
	b.clock.Advance(time.Minute)
	mustDo(t, b.fake.Cancel(ids[3]))
	seen, _ = readPass(t, b, cursor)
	if len(seen) != 1 || !seen[ids[3]].Cancelled {
		t.Fatalf("late pass saw %+v, want only the cancelled order", seen)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
