package mirakl

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		config  Config
		problem string // "" when valid
	}{
		{"valid", Config{BaseURL: "https://shop.mirakl.net", APIKey: "k-123"}, ""},
		{"valid with shop", Config{BaseURL: "https://shop.mirakl.net/api/", APIKey: "k-123", ShopID: "2000"}, ""},
		{"no URL", Config{APIKey: "k-123"}, "instance URL is missing"},
		{"not a URL", Config{BaseURL: "shop.mirakl.net", APIKey: "k-123"}, "not a web address"},
		{"no key", Config{BaseURL: "https://shop.mirakl.net"}, "API key is missing"},
		{"bearer key", Config{BaseURL: "https://shop.mirakl.net", APIKey: "Bearer k-123"}, `without "Bearer "`},
		{"shop not a number", Config{BaseURL: "https://shop.mirakl.net", APIKey: "k-123", ShopID: "my-shop"}, "shop id"},
	}
	for _, tt := range tests {
		err := tt.config.Validate()
		switch {
		case tt.problem == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)):
			t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.problem)
		}
	}
	// Every call reports an invalid configuration, without calling out.
	client := New(Config{BaseURL: "https://shop.mirakl.net"})
	if err := client.CheckCredentials(context.Background()); err == nil || !strings.Contains(err.Error(), "API key is missing") {
		t.Errorf("CheckCredentials with no key: %v", err)
	}
}

func TestCheckCredentials(t *testing.T) {
	b := setup(t)
	if err := b.client.CheckCredentials(context.Background()); err != nil {
		t.Errorf("good key: %v", err)
	}
	if b.fake.Calls("A01") != 1 {
		t.Errorf("A01 called %d times, want 1", b.fake.Calls("A01"))
	}

	withShop := b.newClient(Config{BaseURL: b.server.URL + "/api", APIKey: testKey, ShopID: "2000"})
	if err := withShop.CheckCredentials(context.Background()); err != nil {
		t.Errorf("good key with the shop id and /api in the URL: %v", err)
	}

	wrong := b.newClient(Config{BaseURL: b.server.URL, APIKey: "not-the-key"})
	err := wrong.CheckCredentials(context.Background())
	if apiErr := apiError(t, err); apiErr.Status != http.StatusUnauthorized || !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "the API key was refused") {
		t.Errorf("wrong key: %v, want a permanent 401 saying the API key was refused", err)
	}
	if len(b.sleeps.all()) != 0 {
		t.Errorf("a refused key was retried: %v", b.sleeps.all())
	}

	otherShop := b.newClient(Config{BaseURL: b.server.URL, APIKey: testKey, ShopID: "3001"})
	if err := otherShop.CheckCredentials(context.Background()); apiclient.StatusOf(err) != http.StatusForbidden || !apiclient.IsPermanent(err) {
		t.Errorf("another shop's id: %v, want a permanent 403", err)
	}
}

func TestCarriers(t *testing.T) {
	b := setup(t)
	carriers, err := b.client.Carriers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(carriers) != len(DefaultFakeCarriers) {
		t.Fatalf("%d carriers, want %d", len(carriers), len(DefaultFakeCarriers))
	}
	if !slices.IsSortedFunc(carriers, func(a, b models.Carrier) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("carriers are not sorted by label: %v", carriers)
	}
	want := models.Carrier{Code: "UPS", Name: "UPS", StandardCode: "UPS", TrackingURLTemplate: "https://www.ups.com/track?loc=en_US&tracknum={tracking}"}
	if !slices.Contains(carriers, want) {
		t.Errorf("carriers %v miss %+v", carriers, want)
	}
	for _, carrier := range carriers {
		if strings.Contains(carrier.TrackingURLTemplate, "{trackingId}") || !strings.Contains(carrier.TrackingURLTemplate, "{tracking}") {
			t.Errorf("%s template %q, want {tracking} in place of {trackingId}", carrier.Code, carrier.TrackingURLTemplate)
		}
	}
}

func TestThrottledCallWaitsRetryAfterThenRetries(t *testing.T) {
	b := setup(t)
	b.fake.AddOrder(SampleOrder(0))
	b.fake.Faults().ThrottleNext(apiclient.Match(http.MethodGet, "/api/orders"), 1, 7*time.Second)
	page, err := b.client.ChangedOrders(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Orders) != 1 {
		t.Errorf("%d orders after the retry, want 1", len(page.Orders))
	}
	if sleeps := b.sleeps.all(); !slices.Equal(sleeps, []time.Duration{7 * time.Second}) {
		t.Errorf("waited %v, want exactly the 7 s of Retry-After", sleeps)
	}
}

func TestPollingFasterThanMiraklAllowsIsRescheduled(t *testing.T) {
	b := setup(t)
	b.fake.SetMinPollInterval(time.Minute)
	ctx := context.Background()
	if _, err := b.client.ChangedOrders(ctx, ""); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(20 * time.Second)
	_, err := b.client.ChangedOrders(ctx, "")
	apiErr := apiError(t, err)
	// 40 s is beyond the client's longest wait: the error goes back to the job to reschedule.
	if apiErr.Status != http.StatusTooManyRequests || apiclient.IsPermanent(err) || apiErr.RetryAfter != 40*time.Second {
		t.Errorf("got %v (retry after %v), want a temporary 429 to retry after 40s", err, apiErr.RetryAfter)
	}
	b.clock.Advance(40 * time.Second)
	if _, err := b.client.ChangedOrders(ctx, ""); err != nil {
		t.Errorf("after the interval: %v", err)
	}
}

func TestServerErrorsAreRetried(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	b.fake.Faults().FailNext(apiclient.Match(http.MethodGet, "/api/orders"), 2, http.StatusBadGateway)
	if _, err := b.client.Order(context.Background(), id); err != nil {
		t.Fatalf("after two 502s: %v", err)
	}
	if n := len(b.sleeps.all()); n != 2 {
		t.Errorf("%d waits, want 2 (one per 502)", n)
	}

	b.fake.Faults().FailNext(apiclient.Match(http.MethodGet, "/api/orders"), 10, http.StatusServiceUnavailable)
	_, err := b.client.Order(context.Background(), id)
	if err == nil || apiclient.IsPermanent(err) {
		t.Errorf("an outage lasting past the retries: %v, want a temporary error", err)
	}
}

func TestAPIKeyNeverAppearsInRecordedExchanges(t *testing.T) {
	b := setup(t)
	recorder := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), recorder)
	client := b.newClient(Config{BaseURL: b.server.URL, APIKey: testKey, ShopID: "2000"})
	id := b.fake.AddOrder(SampleOrder(1))
	b.fake.Faults().FailNext(apiclient.Match(http.MethodGet, "/api/account"), 1, http.StatusInternalServerError)

	if err := client.CheckCredentials(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := client.ChangedOrders(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Accept(ctx, &page.Orders[0]); err != nil {
		t.Fatal(err)
	}
	if err := client.Ship(ctx, &models.Order{MarketplaceOrderID: id}, models.Shipment{CarrierCode: "GLS", TrackingNumber: "GLS123"}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Carriers(ctx); err != nil {
		t.Fatal(err)
	}
	wrong := b.newClient(Config{BaseURL: b.server.URL, APIKey: testKey + "-old"})
	_ = wrong.CheckCredentials(ctx) // refused: its exchange is recorded too

	// Some servers quote the key they refuse; the recorded answer must not.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeFakeError(w, http.StatusUnauthorized, "", "Invalid API key "+r.Header.Get("Authorization"))
	}))
	defer echo.Close()
	quoted := New(Config{BaseURL: echo.URL, APIKey: testKey}, WithHTTPClient(echo.Client()), WithLimiter(nil))
	if err := quoted.CheckCredentials(ctx); err == nil || strings.Contains(err.Error(), testKey) {
		t.Errorf("refused key: %v", err)
	}
	last := recorder.Exchanges()[len(recorder.Exchanges())-1]
	if !strings.Contains(last.ResponseBody, "Invalid API key [redacted]") {
		t.Errorf("the quoted key was not redacted: %s", last.ResponseBody)
	}

	exchanges := recorder.Exchanges()
	if len(exchanges) < 8 {
		t.Fatalf("only %d exchanges recorded", len(exchanges))
	}
	for _, e := range exchanges {
		for field, text := range map[string]string{"url": e.URL, "request": e.RequestBody, "response": e.ResponseBody, "error": e.Error} {
			if strings.Contains(text, testKey) {
				t.Errorf("%s %s: the API key is in the %s: %s", e.Method, e.URL, field, text)
			}
		}
	}
}
