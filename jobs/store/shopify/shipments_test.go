package shopify

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// readShipments reads every page from cursor and returns the shipments by order and the
// cursor to resume from.
func readShipments(t *testing.T, b *testBundle, cursor string) (map[string]models.StoreShipment, string) {
	t.Helper()
	seen := map[string]models.StoreShipment{}
	for i := 0; i < 20; i++ {
		page, err := b.client.Shipments(context.Background(), cursor)
		if err != nil {
			t.Fatalf("Shipments(%q): %v", cursor, err)
		}
		for _, s := range page.Shipments {
			seen[s.StoreOrderID] = s
		}
		cursor = page.Cursor
		if !page.More {
			return seen, cursor
		}
	}
	t.Fatal("Shipments never ended")
	return nil, ""
}

func TestShipmentsAreReadBack(t *testing.T) {
	b := setup(t, WithPageSize(2))
	b.addCatalogue()
	withTracking := mustCreate(t, b, marketplaceOrder(1))
	withoutTracking := mustCreate(t, b, marketplaceOrder(2))
	trackedLater := mustCreate(t, b, marketplaceOrder(3))
	cancelled := mustCreate(t, b, marketplaceOrder(4))
	untouched := mustCreate(t, b, marketplaceOrder(5))
	// An order the merchant took by hand is not orderhub's.
	b.gql(t, `mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } userErrors { message } } }`,
		map[string]any{"order": map[string]any{"lineItems": []any{map[string]any{"title": "Gift", "quantity": 1,
			"priceSet": map[string]any{"shopMoney": map[string]any{"amount": "5.00", "currencyCode": "EUR"}}}}}})

	_, cursor := readShipments(t, b, "")
	b.clock.Advance(time.Hour)
	if err := b.fake.Ship(withTracking, "UPS", "1Z999AA10123456784"); err != nil {
		t.Fatal(err)
	}
	if err := b.fake.Ship(withoutTracking, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := b.fake.Ship(trackedLater, "Transports Dupont", ""); err != nil {
		t.Fatal(err)
	}
	if err := b.fake.Cancel(cancelled); err != nil {
		t.Fatal(err)
	}

	seen, cursor := readShipments(t, b, cursor)
	// The window starts at the latest change seen, inclusive, so the orders changed in that
	// second come again; nothing older does.
	if s, ok := seen[untouched]; ok && (s.Shipped || s.Cancelled) {
		t.Errorf("untouched order %s: %+v", untouched, s)
	}
	delete(seen, untouched)
	if len(seen) != 4 {
		t.Errorf("read %d changed orders, want 4: %v", len(seen), seen)
	}
	shipped := seen[withTracking]
	if !shipped.Shipped || shipped.Carrier != "UPS" || shipped.TrackingNumber != "1Z999AA10123456784" ||
		shipped.TrackingURL == "" || shipped.ShippedAt == nil || shipped.RawStatus != "FULFILLED" {
		t.Errorf("shipped with tracking: %+v", shipped)
	}
	if s := seen[withoutTracking]; !s.Shipped || s.TrackingNumber != "" || s.Carrier != "" {
		t.Errorf("shipped without tracking: %+v", s)
	}
	if s := seen[trackedLater]; !s.Shipped || s.Carrier != "Transports Dupont" || s.TrackingNumber != "" {
		t.Errorf("shipped, carrier only: %+v", s)
	}
	if s := seen[cancelled]; !s.Cancelled || s.Shipped || s.RawStatus != "CANCELLED" {
		t.Errorf("cancelled: %+v", s)
	}

	b.clock.Advance(time.Hour)
	if err := b.fake.AddTracking(trackedLater, "Transports Dupont", "TD-778899"); err != nil {
		t.Fatal(err)
	}
	seen, _ = readShipments(t, b, cursor)
	later, ok := seen[trackedLater]
	if !ok || later.TrackingNumber != "TD-778899" || later.TrackingURL != "" || !later.Shipped {
		t.Errorf("tracking added later: %+v (found %v); a carrier Shopify does not know has no URL", later, ok)
	}
}

func TestShipmentsCursorMustBeReadable(t *testing.T) {
	b := setup(t)
	for _, cursor := range []string{"page-2", `{"since":"yesterday"}`} {
		if _, err := b.client.Shipments(context.Background(), cursor); err == nil {
			t.Errorf("cursor %q accepted", cursor)
		}
	}
}

func TestFulfillmentWebhooksAreSignedAndParsed(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	type delivery struct {
		topic, hmac, id string
		body            []byte
	}
	received := make(chan delivery, 4)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		received <- delivery{r.Header.Get("X-Shopify-Topic"), r.Header.Get("X-Shopify-Hmac-SHA256"), r.Header.Get("X-Shopify-Webhook-Id"), body}
	}))
	t.Cleanup(receiver.Close)
	const secret = "whsec-client-secret"
	b.fake.DeliverWebhooks(receiver.URL, secret)

	id := mustCreate(t, b, marketplaceOrder(9))
	if err := b.fake.Ship(id, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := b.fake.AddTracking(id, "DHL Express", "JD0146000012345678"); err != nil {
		t.Fatal(err)
	}
	created, updated := <-received, <-received
	if created.topic != "fulfillments/create" || updated.topic != "fulfillments/update" || created.id == "" || created.id == updated.id {
		t.Fatalf("topics %q %q, ids %q %q", created.topic, updated.topic, created.id, updated.id)
	}
	for _, d := range []delivery{created, updated} {
		if !VerifyWebhook(secret, d.body, d.hmac) {
			t.Fatalf("%s: signature refused", d.topic)
		}
	}
	if VerifyWebhook("other-secret", updated.body, updated.hmac) || VerifyWebhook(secret, append(updated.body, ' '), updated.hmac) || VerifyWebhook(secret, updated.body, "") {
		t.Fatal("a wrong secret, a changed body or no signature was accepted")
	}
	first, err := ParseFulfillmentWebhook(created.body)
	if err != nil || first.StoreOrderID != id || !first.Shipped || first.TrackingNumber != "" {
		t.Fatalf("fulfillments/create: %+v, %v", first, err)
	}
	second, err := ParseFulfillmentWebhook(updated.body)
	if err != nil || second.Carrier != "DHL Express" || second.TrackingNumber != "JD0146000012345678" || second.TrackingURL == "" || second.ShippedAt == nil {
		t.Fatalf("fulfillments/update: %+v, %v", second, err)
	}
	if _, err := ParseFulfillmentWebhook([]byte(`{"id":1}`)); err == nil {
		t.Fatal("a payload without order_id was accepted")
	}
}

func TestOrdersOlderThanSixtyDaysNeedReadAllOrders(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(61))
	_, cursor := readShipments(t, b, "")
	b.clock.Advance(61 * 24 * time.Hour)
	if err := b.fake.Ship(id, "UPS", "1Z1"); err != nil {
		t.Fatal(err)
	}
	if seen, _ := readShipments(t, b, cursor); len(seen) != 0 {
		t.Fatalf("an order of 61 days is visible without read_all_orders: %v", seen)
	}
	b.fake.SetScopes(append(allScopes, "read_all_orders")...)
	if seen, _ := readShipments(t, b, cursor); !seen[id].Shipped {
		t.Fatalf("with read_all_orders the shipment is read: %v", seen)
	}
}
