package bol

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// TestChangedOrdersPagesThroughOpenOrdersAndResumes: the first window reads every open order
// 50 a page, each with its detail; a cursor handed to a new client resumes where the last
// page ended, and later windows read only what changed.
func TestChangedOrdersPagesThroughOpenOrdersAndResumes(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	for n := range 120 {
		o := SampleOrder(n)
		o.PlacedAt = b.clock.Now().Add(-time.Hour)
		b.fake.AddOrder(o)
	}
	fbb := SampleOrder(0)
	fbb.Items[0].FulfilmentMethod = "FBB"
	b.fake.AddOrder(fbb)

	page, err := b.client.ChangedOrders(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Orders) != 50 || !page.More {
		t.Fatalf("first page: %d orders, more %v", len(page.Orders), page.More)
	}
	first := page.Orders[0]
	if first.Shipping.Street1 != "Prinsengracht 263 A" || first.Lines[0].SKU != "MUG-BLUE-350" || first.Lines[0].UnitPrice != 1290 ||
		first.Status != models.StatusWaitingShipment || first.Currency != "EUR" {
		t.Errorf("first order %+v", first)
	}
	if b.fake.Calls("order") != 50 {
		t.Errorf("%d detail calls for 50 orders", b.fake.Calls("order"))
	}

	resumed := b.newClient(b.config())
	seen := map[string]bool{}
	for _, o := range page.Orders {
		seen[o.MarketplaceOrderID] = true
	}
	cursor := page.Cursor
	for page.More {
		if page, err = resumed.ChangedOrders(ctx, cursor); err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Orders {
			if seen[o.MarketplaceOrderID] {
				t.Errorf("order %s listed twice", o.MarketplaceOrderID)
			}
			seen[o.MarketplaceOrderID] = true
		}
		cursor = page.Cursor
	}
	if len(seen) != 120 {
		t.Errorf("%d orders read, want the 120 retailer-fulfilled ones", len(seen))
	}

	// Ten minutes later: one new order; the window by change-interval-minute has only it.
	b.clock.Advance(10 * time.Minute)
	newID := b.fake.AddOrder(SampleOrder(7))
	page, err = b.client.ChangedOrders(ctx, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Orders) != 1 || page.Orders[0].MarketplaceOrderID != newID || page.More {
		t.Fatalf("changed window: %d orders, more %v", len(page.Orders), page.More)
	}
	var at struct {
		Since time.Time `json:"since"`
	}
	if err := json.Unmarshal([]byte(page.Cursor), &at); err != nil || !at.Since.Equal(b.clock.Now()) {
		t.Errorf("cursor %s: the next window should start now", page.Cursor)
	}

	// A day later (no poll for hours): windows by latest-change-date, day by day to today.
	b.clock.Advance(26 * time.Hour)
	lateID := b.fake.AddOrder(SampleOrder(8))
	var late []string
	cursor, more := page.Cursor, true
	for more {
		page, err = b.client.ChangedOrders(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Orders {
			late = append(late, o.MarketplaceOrderID)
		}
		cursor, more = page.Cursor, page.More
	}
	// Windows overlap by a couple of minutes, so the order of the last window may come
	// again (orderhub de-duplicates); the day's older changes are skipped without detail.
	if len(late) == 0 || late[len(late)-1] != lateID || len(late) > 2 || (len(late) == 2 && late[0] != newID) {
		t.Errorf("catch-up read %v, want %s (and at most the overlap %s)", late, lateID, newID)
	}
}

// TestChangedOrdersReportsShippedAndCancelled: once handled, an order comes back with its
// new status in the next window.
func TestChangedOrdersReportsShippedAndCancelled(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	shippedID := b.fake.AddOrder(SampleOrder(0))
	cancelledID := b.fake.AddOrder(SampleOrder(1))
	page, err := b.client.ChangedOrders(ctx, "")
	if err != nil || len(page.Orders) != 2 {
		t.Fatalf("%d orders, %v", len(page.Orders), err)
	}
	b.clock.Advance(5 * time.Minute)
	if err := b.client.Ship(ctx, &page.Orders[0], models.Shipment{CarrierCode: "TNT", TrackingNumber: "3SBOL0987654321"}); err != nil {
		t.Fatal(err)
	}
	if err := b.client.Cancel(ctx, &page.Orders[1], "out of stock"); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(5 * time.Minute)
	next, err := b.client.ChangedOrders(ctx, page.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, o := range next.Orders {
		status[o.MarketplaceOrderID] = o.Status
	}
	if status[shippedID] != models.StatusShipped || status[cancelledID] != models.StatusCancelled {
		t.Errorf("statuses %v", status)
	}
}

func TestOrderNotFound(t *testing.T) {
	b := setup(t)
	_, err := b.client.Order(t.Context(), "NOPE123")
	if !IsNotFound(err) || apiError(t, err).Temporary() {
		t.Errorf("got %v, want a permanent 404", err)
	}
}

func TestCursorRejectsForeignText(t *testing.T) {
	b := setup(t)
	if _, err := b.client.ChangedOrders(t.Context(), `{"page":-1}`); err == nil {
		t.Error("a negative page was accepted")
	}
	if _, err := b.client.ChangedOrders(t.Context(), "offset=3"); err == nil {
		t.Error("a cursor from another connector was accepted")
	}
}

// TestOnlyOrdersOfTheConfiguredFulfilmentAreListed: an FBR client reads the retailer's own
// orders, an FBB client those bol ships from its warehouse, flagged so; none is read by both.
func TestOnlyOrdersOfTheConfiguredFulfilmentAreListed(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	for n, method := range []string{"FBR", "FBB", "FBR", "FBB", "FBR"} {
		o := SampleOrder(n)
		o.Items = o.Items[:1]
		o.Items[0].FulfilmentMethod = method
		o.PlacedAt = b.clock.Now().Add(-time.Hour)
		b.fake.AddOrder(o)
	}
	read := func(cfg Config) map[string]models.Order {
		t.Helper()
		page, err := b.newClient(cfg).ChangedOrders(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]models.Order{}
		for _, o := range page.Orders {
			out[o.MarketplaceOrderID] = o
		}
		return out
	}
	fbr := read(b.config())
	cfg := b.config()
	cfg.Fulfilment = FulfilmentFBB
	fbb := read(cfg)
	if len(fbr) != 3 || len(fbb) != 2 {
		t.Fatalf("FBR read %d orders (want 3), FBB %d (want 2)", len(fbr), len(fbb))
	}
	for id, o := range fbr {
		if _, both := fbb[id]; both {
			t.Errorf("order %s read for both fulfilments", id)
		}
		if o.FulfilledByMarketplace {
			t.Errorf("FBR order %s flagged fulfilled by bol", id)
		}
	}
	for id, o := range fbb {
		if !o.FulfilledByMarketplace || o.ShippingMethod != FulfilmentFBB {
			t.Errorf("FBB order %s: flagged %v, method %q", id, o.FulfilledByMarketplace, o.ShippingMethod)
		}
	}

	// bol ships an FBB order itself: the order reads as shipped, with nothing for the retailer to send.
	var shipped string
	for id := range fbb {
		shipped = id
		break
	}
	b.fake.ShipFromWarehouse(shipped)
	o, err := b.newClient(cfg).Order(ctx, shipped)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != models.StatusShipped || !o.FulfilledByMarketplace {
		t.Errorf("after bol shipped it: status %s, flagged %v", o.Status, o.FulfilledByMarketplace)
	}
	if len(b.fake.Shipments(shipped)) != 0 {
		t.Errorf("bol's own shipment shows as a retailer shipment: %+v", b.fake.Shipments(shipped))
	}

	cfg.Fulfilment = "FBX"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "not FBR or FBB") {
		t.Errorf("fulfilment FBX: %v", err)
	}
}
