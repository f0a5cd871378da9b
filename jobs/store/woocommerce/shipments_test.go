package woocommerce

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/apiclient/apitest"
	"github.com/orderhub/orderhub/models"
)

// readAllShipments follows the cursor until the window is exhausted.
func readAllShipments(t *testing.T, b *testBundle, cursor string) (map[string]models.StoreShipment, string) {
	t.Helper()
	seen := map[string]models.StoreShipment{}
	for range 50 {
		page, err := b.client.Shipments(context.Background(), cursor)
		if err != nil {
			t.Fatalf("Shipments(%s): %v", cursor, err)
		}
		for _, shipment := range page.Shipments {
			seen[shipment.StoreOrderID] = shipment
		}
		cursor = page.Cursor
		if !page.More {
			return seen, cursor
		}
	}
	t.Fatal("Shipments never finished its window")
	return nil, ""
}

func TestShipmentsReportShippedAndCancelledOrders(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	ids := map[string]string{}
	for name, id := range map[string]int64{"custom": 701, "ups": 702, "untracked": 703, "cancelled": 704, "refunded": 705, "open": 706} {
		ids[name] = mustCreate(t, b, marketplaceOrder(id))
	}
	// An order the shop took itself carries no orderhub meta and is not reported.
	res, apiErr := b.call(t, apiclient.Request{Method: http.MethodPost, Path: "/orders", Body: map[string]any{
		"set_paid": true, "line_items": []map[string]any{{"sku": "POSTER-1", "quantity": 1}},
	}})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var shopOrder wireOrder
	json.Unmarshal(res.Body, &shopOrder)

	b.clock.Advance(time.Hour)
	shippedAt := time.Date(2025, 3, 14, 8, 15, 0, 0, time.UTC)
	b.fake.CompleteOrder(mustID(t, ids["custom"]), &TrackingItem{
		CustomTrackingProvider: "Chronopost", CustomTrackingLink: "https://www.chronopost.fr/suivi?listeNumerosLT=%1$s",
		TrackingNumber: "XY123456789FR", DateShipped: shippedAt,
	})
	b.fake.CompleteOrder(mustID(t, ids["ups"]), &TrackingItem{TrackingProvider: "ups", TrackingNumber: "1Z999AA10123456784"})
	b.fake.CompleteOrder(mustID(t, ids["untracked"]), nil)
	if err := b.client.CancelOrder(context.Background(), ids["cancelled"]); err != nil {
		t.Fatal(err)
	}
	b.fake.SetOrderStatus(mustID(t, ids["refunded"]), "refunded")
	now := b.clock.Now()

	seen, _ := readAllShipments(t, b, "")
	if _, listed := seen[strconv.FormatInt(shopOrder.ID, 10)]; listed {
		t.Error("the shop's own order was reported")
	}
	if len(seen) != 6 {
		t.Errorf("%d shipments, want the 6 orderhub orders", len(seen))
	}
	check := func(name string, want models.StoreShipment) {
		t.Helper()
		got := seen[ids[name]]
		if got.RawStatus != want.RawStatus || got.Shipped != want.Shipped || got.Cancelled != want.Cancelled ||
			got.Carrier != want.Carrier || got.TrackingNumber != want.TrackingNumber || got.TrackingURL != want.TrackingURL {
			t.Errorf("%s: got %+v\nwant %+v", name, got, want)
		}
		if !equalTimes(got.ShippedAt, want.ShippedAt) {
			t.Errorf("%s: shipped at %v, want %v", name, got.ShippedAt, want.ShippedAt)
		}
		if want.UpdatedAt.IsZero() {
			return
		}
		if !got.UpdatedAt.Equal(want.UpdatedAt) || got.UpdatedAt.Location() != time.UTC {
			t.Errorf("%s: updated at %v, want %v UTC (the _gmt date)", name, got.UpdatedAt, want.UpdatedAt)
		}
	}
	check("custom", models.StoreShipment{RawStatus: "completed", Shipped: true, Carrier: "Chronopost", TrackingNumber: "XY123456789FR",
		TrackingURL: "https://www.chronopost.fr/suivi?listeNumerosLT=XY123456789FR", ShippedAt: &shippedAt, UpdatedAt: now})
	check("ups", models.StoreShipment{RawStatus: "completed", Shipped: true, Carrier: "ups", TrackingNumber: "1Z999AA10123456784", ShippedAt: &now, UpdatedAt: now})
	check("untracked", models.StoreShipment{RawStatus: "completed", Shipped: true, ShippedAt: &now, UpdatedAt: now})
	check("cancelled", models.StoreShipment{RawStatus: "cancelled", Cancelled: true, UpdatedAt: now})
	check("refunded", models.StoreShipment{RawStatus: "refunded", Cancelled: true, UpdatedAt: now})
	check("open", models.StoreShipment{RawStatus: "processing"})
}

func TestTrackingAddedThroughTheExtensionRouteIsRead(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(710))
	_, apiErr := b.callNamespace(t, "wc-shipment-tracking/v3", apiclient.Request{
		Method: http.MethodPost,
		Path:   "/orders/" + id + "/shipment-trackings",
		Body: map[string]string{
			"custom_tracking_provider": "Colis Privé", "custom_tracking_link": "https://colisprive.com/moncolis?numColis=%1$s",
			"tracking_number": "CP0042", "date_shipped": "2025-03-13",
		},
	})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	b.fake.CompleteOrder(mustID(t, id), nil)
	seen, _ := readAllShipments(t, b, "")
	got := seen[id]
	shipped := time.Date(2025, 3, 13, 0, 0, 0, 0, time.UTC)
	if got.Carrier != "Colis Privé" || got.TrackingNumber != "CP0042" || got.TrackingURL != "https://colisprive.com/moncolis?numColis=CP0042" || !equalTimes(got.ShippedAt, &shipped) {
		t.Errorf("got %+v (shipped %v)", got, got.ShippedAt)
	}
}

// An order read on an early page and changed while later pages are read must come back in the
// next window, even when a later page shows a more recent change.
func TestShipmentsCursorKeepsOrderChangedDuringPaging(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.client.pageSize = 2
	var ids []string
	for id := int64(720); id < 725; id++ {
		ids = append(ids, mustCreate(t, b, marketplaceOrder(id)))
	}
	b.clock.Advance(time.Minute)

	first, err := b.client.Shipments(context.Background(), "")
	if err != nil || !first.More || len(first.Shipments) != 2 || first.Shipments[0].StoreOrderID != ids[0] {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	b.clock.Advance(10 * time.Second)
	b.fake.CompleteOrder(mustID(t, ids[0]), &TrackingItem{TrackingProvider: "ups", TrackingNumber: "1ZFIRST"})
	b.clock.Advance(10 * time.Second)
	b.fake.CompleteOrder(mustID(t, ids[3]), &TrackingItem{TrackingProvider: "ups", TrackingNumber: "1ZFOURTH"})

	second, err := b.client.Shipments(context.Background(), first.Cursor)
	if err != nil || !second.More || len(second.Shipments) != 2 {
		t.Fatalf("second page: %+v, %v", second, err)
	}
	if s := second.Shipments[1]; s.StoreOrderID != ids[3] || !s.Shipped || s.TrackingNumber != "1ZFOURTH" {
		t.Errorf("the fourth order on page 2 = %+v, want it shipped", s)
	}
	third, err := b.client.Shipments(context.Background(), second.Cursor)
	if err != nil || third.More || len(third.Shipments) != 1 {
		t.Fatalf("third page: %+v, %v", third, err)
	}

	next, _ := readAllShipments(t, b, third.Cursor)
	if s, ok := next[ids[0]]; !ok || !s.Shipped || s.TrackingNumber != "1ZFIRST" {
		t.Fatalf("the order completed after its page was read is lost: next window has %v", keys(next))
	}
	if len(next) != 2 {
		t.Errorf("next window has %v, want only the two changed orders", keys(next))
	}
}

// The modified_after filter is strict and dates have whole seconds: a change in the same second
// as the latest one seen must still be found.
func TestShipmentsNextWindowOverlapsOneSecond(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	first := mustCreate(t, b, marketplaceOrder(730))
	created := b.clock.Now()
	seen, cursor := readAllShipments(t, b, "")
	if _, ok := seen[first]; !ok {
		t.Fatalf("first poll missed the order")
	}
	var cur shipmentsCursor
	if err := json.Unmarshal([]byte(cursor), &cur); err != nil || cur.Since != formatWooTime(created.Add(-time.Second)) || cur.Page != 0 {
		t.Fatalf("cursor %s, want since %s", cursor, formatWooTime(created.Add(-time.Second)))
	}

	second := mustCreate(t, b, marketplaceOrder(731)) // same second as the first
	seen, cursor = readAllShipments(t, b, cursor)
	if _, ok := seen[second]; !ok {
		t.Fatalf("an order changed in the same second as the cursor was lost; saw %v", keys(seen))
	}

	b.clock.Advance(5 * time.Minute)
	seen, _ = readAllShipments(t, b, cursor)
	if len(seen) != 2 {
		t.Errorf("poll with nothing new saw %v, want only the last second's two orders again", keys(seen))
	}
}

func TestShipmentsCursorMustBeReadable(t *testing.T) {
	b := setup(t)
	for _, cursor := range []string{"yesterday", `{"since":"14/03/2025"}`} {
		if _, err := b.client.Shipments(context.Background(), cursor); err == nil {
			t.Errorf("cursor %s was accepted", cursor)
		}
	}
}

// An order whose modification date is past year 9999 (a broken plugin, a bad clock) does not
// send the next window back to the beginning: the window follows the other orders' dates.
func TestShipmentsWindowIgnoresDatesPastYear9999(t *testing.T) {
	answer := &apitest.Answer{}
	answer.Set(http.StatusOK, []byte(`[
		{"id":1,"status":"completed","date_modified_gmt":"2025-03-14T09:30:00","meta_data":[{"key":"_orderhub_order_id","value":"7"}]},
		{"id":2,"status":"processing","date_modified_gmt":"9999-12-31T23:00:00-10:00","meta_data":[{"key":"_orderhub_order_id","value":"8"}]}]`))
	server := httptest.NewServer(answer)
	t.Cleanup(server.Close)
	client := New(Config{BaseURL: server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret},
		WithHTTPClient(server.Client()), WithLimiter(rate.NewLimiter(rate.Inf, 0)))
	page, err := client.Shipments(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	next, err := parseShipmentsCursor(page.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	if next.Since != "2025-03-14T09:29:59" {
		t.Errorf("next window starts at %q, want one second before the last sane change, 2025-03-14T09:29:59", next.Since)
	}
}

func equalTimes(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func keys(shipments map[string]models.StoreShipment) []string {
	var ids []string
	for id := range shipments {
		ids = append(ids, id)
	}
	return ids
}
