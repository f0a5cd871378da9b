package web_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

const shopifyWebhookSecret = "shpss_webhook_secret_for_tests"

// shopifyDelivery posts one fulfilment webhook as Shopify sends it, signed with secret.
func shopifyDelivery(t *testing.T, app *testApp, connectionID int64, deliveryID, secret string, body []byte) (int, string) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/webhooks/stores/%d", app.base, connectionID), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Topic", "fulfillments/create")
	req.Header.Set("X-Shopify-Hmac-Sha256", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req.Header.Set("X-Shopify-Webhook-Id", deliveryID)
	req.Header.Set("X-Shopify-Shop-Domain", "acme.myshopify.com")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(answer)
}

func fulfilmentPayload(storeOrder int64, tracking string) []byte {
	return fulfilmentPayloadAt(storeOrder, tracking, time.Now().Add(-time.Minute))
}

func fulfilmentPayloadAt(storeOrder int64, tracking string, at time.Time) []byte {
	body, _ := json.Marshal(map[string]any{
		"id": 4400000 + storeOrder, "order_id": storeOrder, "status": "success",
		"created_at": at.Format(time.RFC3339), "updated_at": at.Format(time.RFC3339),
		"tracking_company": "UPS", "tracking_number": tracking, "tracking_numbers": []string{tracking},
		"tracking_url": "https://www.ups.com/track?tracknum=" + tracking, "tracking_urls": []string{"https://www.ups.com/track?tracknum=" + tracking},
		"line_items": []any{},
	})
	return body
}

// A Shopify fulfilment webhook signed with the connection's secret moves the order at once,
// once: the same delivery again is ignored. A bad signature is refused with 401 and changes
// nothing, and so is an address naming no connection.
func TestShopifyFulfilmentWebhooks(t *testing.T) {
	db := testdb.Open(t)
	app := serve(t, db, workingJobs(t, db))
	m, _ := app.signUp("Acme", "admin@acme.test")
	sealer, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn := models.NewConnection(m.ID, "Fnac → Shopify", "mirakl")
	conn.Country, conn.StoreKind = "FR", "shopify"
	conn.MarketplaceSettings = `{"base_url":"http://127.0.0.1:9"}`
	conn.StoreSettings = `{"shop_domain":"acme.myshopify.com"}`
	conn.PollIntervalSeconds = 3600 // nothing but the webhook can bring the shipment in
	if err := conn.SetMarketplaceCredentials(sealer, models.Credentials{"api_key": "k"}); err != nil {
		t.Fatal(err)
	}
	if err := conn.SetStoreCredentials(sealer, models.Credentials{"access_token": "shpat_x", "webhook_secret": shopifyWebhookSecret}); err != nil {
		t.Fatal(err)
	}
	conn.State = models.ConnectionActive
	if err := models.SaveConnection(ctx, db.Gorm, conn); err != nil {
		t.Fatal(err)
	}
	inStore := func(marketplaceID string, storeOrder int64) *models.Order {
		o := app.orderOn(conn, marketplaceID, models.StatusWaitingShipment)
		err := db.Gorm.Model(&models.Order{}).Where("id = ?", o.ID).
			Updates(map[string]any{"store_state": models.StoreImported, "store_order_id": fmt.Sprintf("gid://shopify/Order/%d", storeOrder)}).Error
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	shipped := inStore("FNAC-1", 1001)
	untouched := inStore("FNAC-2", 1002)
	deliveries := func() int64 {
		var n int64
		db.Gorm.Model(&models.WebhookDelivery{}).Count(&n)
		return n
	}

	admin := app.client()
	admin.login("admin@acme.test", testPassword)
	if got := admin.get(fmt.Sprintf("/connections/%d", conn.ID)).text("[data-testid=webhook-url] code"); got != fmt.Sprintf("http://127.0.0.1/webhooks/stores/%d", conn.ID) {
		t.Fatalf("the connection page shows the webhook address %q", got)
	}

	status, body := shopifyDelivery(t, app, conn.ID, "delivery-1", shopifyWebhookSecret, fulfilmentPayload(1001, "1Z999AA10123456784"))
	if status != http.StatusOK || !strings.Contains(body, `"taken"`) {
		t.Fatalf("a signed delivery: %d %s", status, body)
	}
	o, _ := models.MerchantOrder(ctx, db.Gorm, m.ID, shipped.ID)
	if o.TrackingNumber != "1Z999AA10123456784" || o.ShipmentState == models.ShipmentNone {
		t.Fatalf("after the webhook: shipment %s, tracking %q", o.ShipmentState, o.TrackingNumber)
	}

	first := fulfilmentPayload(1001, "1Z999AA10123456784")
	status, body = shopifyDelivery(t, app, conn.ID, "delivery-1", shopifyWebhookSecret, first)
	if status != http.StatusOK || !strings.Contains(body, `"replayed"`) || deliveries() != 1 {
		t.Fatalf("the same delivery again: %d %s, %d deliveries kept", status, body, deliveries())
	}
	// The signature covers the body, not the headers: the same body under another delivery id
	// is the same delivery.
	status, body = shopifyDelivery(t, app, conn.ID, "delivery-1-replayed", shopifyWebhookSecret, first)
	if status != http.StatusOK || !strings.Contains(body, `"replayed"`) || deliveries() != 1 {
		t.Fatalf("a captured delivery under a new id: %d %s, %d deliveries kept", status, body, deliveries())
	}
	// A delivery telling of a change older than the deliveries remembered is refused.
	status, body = shopifyDelivery(t, app, conn.ID, "delivery-old", shopifyWebhookSecret, fulfilmentPayloadAt(1002, "1Z999AA10123456786", time.Now().AddDate(0, 0, -20)))
	if status != http.StatusBadRequest || !strings.Contains(body, "replay") {
		t.Fatalf("a delivery of a change 20 days old: %d %s, want 400 naming a replay", status, body)
	}

	status, _ = shopifyDelivery(t, app, conn.ID, "delivery-2", "not the secret", fulfilmentPayload(1002, "1Z999AA10123456785"))
	if status != http.StatusUnauthorized {
		t.Fatalf("a bad signature: %d, want 401", status)
	}
	status, _ = shopifyDelivery(t, app, conn.ID+100, "delivery-3", shopifyWebhookSecret, fulfilmentPayload(1002, "1Z999AA10123456785"))
	if status != http.StatusUnauthorized {
		t.Fatalf("an unknown connection: %d, want 401", status)
	}
	if o, _ := models.MerchantOrder(ctx, db.Gorm, m.ID, untouched.ID); o.ShipmentState != models.ShipmentNone || o.TrackingNumber != "" || deliveries() != 1 {
		t.Fatalf("refused deliveries changed something: shipment %s, tracking %q, %d deliveries", o.ShipmentState, o.TrackingNumber, deliveries())
	}

	huge := bytes.Repeat([]byte("x"), 300<<10)
	if status, _ := shopifyDelivery(t, app, conn.ID, "delivery-4", shopifyWebhookSecret, huge); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("an oversized delivery: %d, want 413", status)
	}
}
