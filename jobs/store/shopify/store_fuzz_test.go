package shopify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/apiclient/apitest"
)

const fuzzWebhookSecret = "shpss_fuzz-webhook-secret"

// fakeExchanges runs the fake shop through an order's life and returns the fulfilment
// webhooks it delivered and its answer to a read of the shipments, for seeds.
func fakeExchanges(f *testing.F) (webhooks, shipments [][]byte) {
	var mu sync.Mutex
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		webhooks = append(webhooks, body)
		mu.Unlock()
	}))
	defer hooks.Close()
	fake := NewFake(testToken)
	fake.SetClock(func() time.Time { return time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC) })
	fake.DeliverWebhooks(hooks.URL, fuzzWebhookSecret)
	fake.AddProduct(FakeProduct{SKU: "MUG-1", Name: "Mug", Price: "20.00", Stock: 10, EAN: "4006381333931"})
	fake.AddProduct(FakeProduct{SKU: "POSTER-1", Name: "Poster", Price: "9.90", Stock: 10})
	server := httptest.NewServer(fake.Handler())
	defer server.Close()
	rec := &apitest.BodyRecorder{Base: server.Client().Transport}
	client := New(fake.Config(server.URL), WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: rec}),
		WithLimiter(rate.NewLimiter(rate.Inf, 0)))
	ctx := context.Background()
	shipped, err := client.CreateOrder(ctx, marketplaceOrder(1))
	if err != nil {
		f.Fatal(err)
	}
	cancelled, err := client.CreateOrder(ctx, marketplaceOrder(2))
	if err != nil {
		f.Fatal(err)
	}
	if err := fake.Ship(shipped, "UPS", "1Z999AA10123456784"); err != nil {
		f.Fatal(err)
	}
	if err := fake.Cancel(cancelled); err != nil {
		f.Fatal(err)
	}
	before := len(rec.Bodies()) // the answers to the reads that follow
	if _, err := client.Shipments(ctx, ""); err != nil {
		f.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(webhooks)
		mu.Unlock()
		if n > 0 {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(webhooks) == 0 {
		f.Fatal("the fake delivered no fulfilment webhook")
	}
	return webhooks, rec.Bodies()[before:]
}

func sign(body []byte) string {
	mac := hmac.New(sha256.New, []byte(fuzzWebhookSecret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// FuzzReadWebhook reads any body signed with the webhook secret as a fulfilment webhook: it
// is refused as a bad webhook, or gives the shipment of a Shopify order under a delivery id
// that the body alone decides; a body that does not match its signature is always refused.
func FuzzReadWebhook(f *testing.F) {
	webhooks, _ := fakeExchanges(f)
	for _, body := range webhooks {
		f.Add(body, "fulfillments/create")
	}
	f.Add([]byte(`{"id":1,"order_id":"12","status":"success","tracking_numbers":["A","B"],"tracking_urls":[]}`), "fulfillments/update")
	f.Add([]byte(`{"order_id":-4}`), "fulfillments/create")
	f.Add([]byte(`{"id":1}`), "orders/create")
	client := New(Config{ShopDomain: "orderhub-test.myshopify.com", AccessToken: testToken, WebhookSecret: fuzzWebhookSecret})
	f.Fuzz(func(t *testing.T, body []byte, topic string) {
		header := http.Header{}
		header.Set("X-Shopify-Hmac-Sha256", sign(body))
		header.Set("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
		header.Set("X-Shopify-Topic", topic)
		id, shipment, err := client.ReadWebhook(header, body)
		switch {
		case err != nil:
			if !errors.Is(err, apiclient.ErrBadWebhook) {
				t.Fatalf("a signed delivery was refused with %v, want a bad webhook", err)
			}
		case id == "":
			t.Fatal("an accepted delivery without an id")
		case topic != "fulfillments/create" && topic != "fulfillments/update":
			if shipment != nil {
				t.Fatalf("topic %q gave a shipment", topic)
			}
		case shipment == nil:
			t.Fatalf("a fulfilment webhook gave no shipment")
		default:
			if !strings.HasPrefix(shipment.StoreOrderID, "gid://shopify/Order/") || shipment.UpdatedAt.IsZero() {
				t.Fatalf("shipment %+v has no order or no date", shipment)
			}
			if shipment.ShippedAt != nil && !shipment.Shipped {
				t.Fatalf("a shipment not shipped has a shipping date: %+v", shipment)
			}
		}
		if err == nil {
			// The same signed body sent again under another delivery id is the same delivery.
			header.Set("X-Shopify-Webhook-Id", "0f4e3c1a-replayed")
			if again, _, err := client.ReadWebhook(header, body); err != nil || again != id {
				t.Fatalf("the same body read again is delivery %q (%v), first %q", again, err, id)
			}
		}
		tampered := append(bytes.Clone(body), ' ')
		if _, _, err := client.ReadWebhook(header, tampered); !errors.Is(err, apiclient.ErrBadSignature) {
			t.Fatalf("a body that does not match its signature gave %v", err)
		}
	})
}

// FuzzShipmentsAnswer serves any body as the shop's answer to the Orders query Shipments
// sends: an error, or shipments of orders and a cursor the next read takes.
func FuzzShipmentsAnswer(f *testing.F) {
	_, shipments := fakeExchanges(f)
	for _, body := range shipments {
		f.Add(body)
	}
	f.Add([]byte(`{"data":{"orders":{"nodes":[{"id":"gid://shopify/Order/1","updatedAt":"9999-12-31T23:00:00-10:00","tags":["orderhub"]}],"pageInfo":{"hasNextPage":false}}}}`))
	f.Add([]byte(`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":100,"throttleStatus":{"maximumAvailable":2000,"currentlyAvailable":0,"restoreRate":100}}}}`))
	f.Add([]byte(`{"data":null}`))
	answer := &apitest.Answer{}
	server := httptest.NewServer(answer)
	f.Cleanup(server.Close)
	noSleep := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	client := New(Config{BaseURL: server.URL, AccessToken: testToken},
		WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: server.Client().Transport}),
		WithSleep(noSleep), WithLimiter(rate.NewLimiter(rate.Inf, 0)))
	f.Fuzz(func(t *testing.T, body []byte) {
		answer.Set(http.StatusOK, body)
		page, err := client.Shipments(context.Background(), "")
		if err != nil {
			return
		}
		if _, err := parseShipmentsCursor(page.Cursor); err != nil {
			t.Fatalf("the next read cannot take the cursor it is given: %v", err)
		}
		for _, s := range page.Shipments {
			if s.ShippedAt != nil && !s.Shipped {
				t.Fatalf("a shipment not shipped has a shipping date: %+v", s)
			}
		}
	})
}
