package woocommerce

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

func TestThrottledCallWaitsForRetryAfter(t *testing.T) {
	b := setup(t)
	b.fake.Faults().ThrottleNext(apiclient.Match(http.MethodGet, "/wp-json/wc/v3/products"), 1, 7*time.Second)
	if err := b.client.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("CheckCredentials after a 429: %v", err)
	}
	if waits := b.sleeps.all(); !reflect.DeepEqual(waits, []time.Duration{7 * time.Second}) {
		t.Errorf("waits %v, want [7s] as Retry-After said", waits)
	}
}

func TestThrottledCreateIsRetriedSinceNothingWasDone(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.Faults().ThrottleNext(apiclient.Match(http.MethodPost, "/wp-json/wc/v3/orders"), 1, 2*time.Second)
	mustCreate(t, b, marketplaceOrder(801))
	if n := len(b.fake.Orders()); n != 1 {
		t.Errorf("%d orders after a throttled create, want 1", n)
	}
}

func TestServerErrorOnReadIsRetried(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	mustCreate(t, b, marketplaceOrder(802))
	b.fake.Faults().FailNext(apiclient.Match(http.MethodGet, "/wp-json/wc/v3/orders"), 2, http.StatusServiceUnavailable)
	page, err := b.client.Shipments(context.Background(), "")
	if err != nil || len(page.Shipments) != 1 {
		t.Fatalf("Shipments after two 503s: %+v, %v", page, err)
	}
	if n := len(b.sleeps.all()); n != 2 {
		t.Errorf("%d waits, want 2 (one per 503)", n)
	}
}

// When a kept-alive connection drops after WooCommerce did a read, Go's HTTP client sends the
// GET again by itself, with the same OAuth nonce, which WooCommerce refuses as already used.
// The client signs the read anew instead of reporting refused credentials.
func TestReadReplayedWithAUsedNonceIsSignedAnew(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	mustCreate(t, b, marketplaceOrder(804)) // the connection is kept alive for the next call
	b.fake.Faults().LoseNextResponse(apiclient.Match(http.MethodGet, "/wp-json/wc/v3/orders"), 1)
	page, err := b.client.Shipments(context.Background(), "")
	if err != nil {
		t.Fatalf("Shipments after an answer lost on a kept-alive connection: %v", err)
	}
	if len(page.Shipments) != 1 {
		t.Errorf("%d shipments read, want 1", len(page.Shipments))
	}
}

func TestServerErrorOnCreateIsNotRetried(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.Faults().FailNext(apiclient.Match(http.MethodPost, "/wp-json/wc/v3/orders"), 1, http.StatusInternalServerError)
	_, err := b.client.CreateOrder(context.Background(), marketplaceOrder(803))
	if err == nil || apiclient.IsPermanent(err) || apiclient.StatusOf(err) != http.StatusInternalServerError {
		t.Fatalf("want a transient 500, got %v", err)
	}
	if n := len(b.sleeps.all()); n != 0 {
		t.Errorf("the POST was retried %d times after a 500", n)
	}
	if n := len(b.fake.Orders()); n != 0 {
		t.Errorf("%d orders, want none", n)
	}
}

func TestSecretsNeverAppearInRecordedExchanges(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	recorder := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), recorder)
	order := marketplaceOrder(804)
	attempt := b.clock.Now()
	order.StoreAttemptAt = &attempt
	// A lost answer records the transport's error, which quotes the signed URL.
	b.fake.Faults().LoseNextResponse(apiclient.Match(http.MethodGet, "/wp-json/wc/v3/products"), 1)
	b.client.CheckCredentials(ctx)
	id, _ := b.client.CreateOrder(ctx, order)
	b.client.FindOrder(ctx, order)
	b.client.Shipments(ctx, "")
	b.client.Products(ctx, "")
	b.client.CancelOrder(ctx, id)
	wrong := b.newClient(Config{BaseURL: b.server.URL, ConsumerKey: testKey, ConsumerSecret: "cs_wrong_secret_value"})
	wrong.CheckCredentials(ctx)

	exchanges := recorder.Exchanges()
	if len(exchanges) < 8 || exchanges[0].Error == "" {
		t.Fatalf("%d exchanges recorded, the first with error %q; want at least 8, the first lost", len(exchanges), exchanges[0].Error)
	}
	for _, e := range exchanges {
		text := strings.Join([]string{e.URL, e.RequestBody, e.ResponseBody, e.Error}, " ")
		for _, secret := range []string{testKey, testSecret, "cs_wrong_secret_value"} {
			if strings.Contains(text, secret) {
				t.Errorf("exchange %s %s shows %q", e.Method, e.URL, secret)
			}
		}
	}
}
