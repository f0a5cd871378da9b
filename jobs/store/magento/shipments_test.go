package magento

import (
	"context"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// readShipments follows the cursor through one pass.
func readShipments(t *testing.T, b *testBundle, cursor string) (map[string]models.StoreShipment, string) {
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

func TestShipmentsReportTracksStatesAndLaterTracking(t *testing.T) {
	b := setup(t, WithPageSize(2))
	b.addCatalogue()
	b.fake.AddProduct(FakeProduct{SKU: "MUG-1", Name: "Mug", Price: "20.00", Stock: 100})
	ids := map[string]string{}
	for i, name := range []string{"ups", "custom", "untracked", "cancelled", "open"} {
		ids[name] = mustCreate(t, b, marketplaceOrder(int64(600+i)))
	}
	b.clock.Advance(time.Minute)
	_, cursor := readShipments(t, b, "")

	b.clock.Advance(time.Hour)
	b.fake.Ship(ids["ups"], "ups", "1Z999AA10123456784")
	b.fake.Ship(ids["custom"], "Colissimo", "6A12345678901")
	b.fake.Ship(ids["untracked"], "", "")
	b.fake.Cancel(ids["cancelled"])
	b.clock.Advance(time.Minute)

	seen, cursor := readShipments(t, b, cursor)
	check := func(name string, want models.StoreShipment) {
		t.Helper()
		got, ok := seen[ids[name]]
		if !ok {
			t.Errorf("%s not reported", name)
			return
		}
		if got.RawStatus != want.RawStatus || got.Shipped != want.Shipped || got.Cancelled != want.Cancelled ||
			got.Carrier != want.Carrier || got.TrackingNumber != want.TrackingNumber || got.TrackingURL != want.TrackingURL {
			t.Errorf("%s: got %+v\nwant %+v", name, got, want)
		}
		if want.Shipped && (got.ShippedAt == nil || !got.ShippedAt.Equal(time.Date(2025, 3, 14, 10, 31, 0, 0, time.UTC))) {
			t.Errorf("%s shipped at %v", name, got.ShippedAt)
		}
	}
	check("ups", models.StoreShipment{RawStatus: "complete", Shipped: true, Carrier: "ups", TrackingNumber: "1Z999AA10123456784",
		TrackingURL: "https://www.ups.com/track?tracknum=1Z999AA10123456784"})
	check("custom", models.StoreShipment{RawStatus: "complete", Shipped: true, Carrier: "Colissimo", TrackingNumber: "6A12345678901"})
	check("untracked", models.StoreShipment{RawStatus: "complete", Shipped: true})
	check("cancelled", models.StoreShipment{RawStatus: "closed", Cancelled: true})
	if _, ok := seen[ids["open"]]; ok {
		t.Error("the unchanged open order was reported again")
	}

	// A track added to the shipment leaves the order's updated_at alone; the watch list finds it.
	b.clock.Advance(time.Hour)
	if err := b.fake.AddTracking(ids["untracked"], "dhl", "JD014600006281230704"); err != nil {
		t.Fatal(err)
	}
	seen, _ = readShipments(t, b, cursor)
	got := seen[ids["untracked"]]
	if got.TrackingNumber != "JD014600006281230704" || got.Carrier != "dhl" || got.TrackingURL == "" || !got.Shipped {
		t.Errorf("later tracking: %+v", got)
	}
}

func TestShippedStatusesAreConfigurable(t *testing.T) {
	b := setup(t)
	cfg := b.fake.Config(b.server.URL)
	cfg.ShippedStatuses = stringList{"Shipped"}
	c := b.newClient(cfg)
	s := c.shipmentFromWire(wireOrder{EntityID: 3, State: "processing", Status: "shipped", UpdatedAt: "2025-03-14 10:00:00"}, nil)
	if !s.Shipped {
		t.Errorf("custom status not taken as shipped: %+v", s)
	}
	s = b.client.shipmentFromWire(wireOrder{EntityID: 3, State: "processing", Status: "shipped"}, nil)
	if s.Shipped {
		t.Errorf("status shipped counted without being configured")
	}
}

func TestShipmentsCursorMustBeReadable(t *testing.T) {
	b := setup(t)
	for _, cursor := range []string{"12", `{"since":"yesterday"}`} {
		if _, err := b.client.Shipments(context.Background(), cursor); err == nil {
			t.Errorf("cursor %s accepted", cursor)
		}
	}
}
