package shopify

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

func TestCheckCredentials(t *testing.T) {
	b := setup(t)
	tests := []struct {
		name      string
		cfg       Config
		wantError string
	}{
		{"good token", b.fake.Config(b.server.URL), ""},
		{"wrong token", Config{BaseURL: b.server.URL, AccessToken: "shpat_wrong"}, "access token was refused"},
		{"unknown API version path", Config{BaseURL: b.server.URL, AccessToken: testToken, APIVersion: "2025-02"}, "not a Shopify version"},
		{"admin address pasted", Config{BaseURL: b.server.URL + "/admin/api/2025-01/graphql.json", AccessToken: testToken}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := b.newClient(tt.cfg).CheckCredentials(context.Background())
			if tt.wantError == "" {
				if err != nil {
					t.Fatalf("CheckCredentials: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantError) {
				t.Fatalf("err %v, want %q", err, tt.wantError)
			}
		})
	}
	err := b.newClient(Config{BaseURL: b.server.URL, AccessToken: "shpat_wrong"}).CheckCredentials(context.Background())
	if !apiclient.IsPermanent(err) || apiclient.StatusOf(err) != http.StatusUnauthorized || !strings.Contains(err.Error(), "Invalid API key or access token") {
		t.Fatalf("bad token: err %v, want a permanent 401 with Shopify's message", err)
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // "" = valid
	}{
		{"shop name only", Config{ShopDomain: "my-shop", AccessToken: "shpat_x"}, ""},
		{"full domain with scheme", Config{ShopDomain: "https://My-Shop.myshopify.com/admin", AccessToken: "shpat_x"}, ""},
		{"no shop", Config{AccessToken: "shpat_x"}, "shop domain is missing"},
		{"custom domain", Config{ShopDomain: "shop.example.com", AccessToken: "shpat_x"}, "not a myshopify.com domain"},
		{"no token", Config{ShopDomain: "my-shop"}, "access token is missing"},
		{"API secret instead of token", Config{ShopDomain: "my-shop", AccessToken: "shpss_abc"}, "API secret key"},
		{"bad version", Config{ShopDomain: "my-shop", AccessToken: "shpat_x", APIVersion: "2025-1"}, "not a Shopify version"},
		{"bad inventory behaviour", Config{ShopDomain: "my-shop", AccessToken: "shpat_x", InventoryBehaviour: "decrement"}, "inventory behaviour"},
		{"inventory behaviour in lower case", Config{ShopDomain: "my-shop", AccessToken: "shpat_x", InventoryBehaviour: "bypass"}, ""},
		{"bad shipped status", Config{ShopDomain: "my-shop", AccessToken: "shpat_x", ShippedStatuses: []string{"SHIPPED"}}, "not a Shopify fulfilment status"},
		{"partial counts as shipped", Config{ShopDomain: "my-shop", AccessToken: "shpat_x", ShippedStatuses: []string{"fulfilled", "PARTIALLY_FULFILLED"}}, ""},
		{"base URL not a URL", Config{BaseURL: "my-shop", AccessToken: "shpat_x"}, "not a web address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" && err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Validate: %v, want %q", err, tt.want)
			}
		})
	}
	normalized, _ := Config{ShopDomain: "https://My-Shop.myshopify.com/admin", AccessToken: "shpat_x"}.normalized()
	if normalized.BaseURL != "https://my-shop.myshopify.com" || normalized.APIVersion != DefaultAPIVersion || normalized.InventoryBehaviour != InventoryDecrementObeyingPolicy {
		t.Fatalf("normalized %+v", normalized)
	}
}

func TestInvalidConfigIsReportedByEveryCall(t *testing.T) {
	c := New(Config{ShopDomain: "my-shop"})
	if err := c.CheckCredentials(context.Background()); err == nil || !strings.Contains(err.Error(), "access token is missing") {
		t.Fatalf("err %v", err)
	}
	if _, err := c.CreateOrder(context.Background(), marketplaceOrder(1)); err == nil {
		t.Fatal("CreateOrder with an invalid config succeeded")
	}
}

func TestThrottledQueryWaitsForTheBucketToRefill(t *testing.T) {
	b := setup(t, WithPageSize(5))
	b.addCatalogue()
	// ProductVariants with first:5 costs 2 + 5×3 = 17 and, reading 2 variants, really 8: the
	// first call leaves 20 - 8 = 12 points, the second needs 17 and waits for 5 at 10/s.
	b.fake.SetThrottle(20, 10)
	for i := 0; i < 2; i++ {
		if _, err := b.client.Products(context.Background(), ""); err != nil {
			t.Fatalf("Products #%d: %v", i+1, err)
		}
	}
	if waits := b.allWaits(); len(waits) != 1 || waits[0] != 500*time.Millisecond {
		t.Fatalf("waits %v, want [500ms] for the bucket to refill", waits)
	}
}

func TestThrottleLongerThanMaxWaitIsReturnedAsRetryAfter(t *testing.T) {
	b := setup(t, WithPageSize(5))
	b.addCatalogue()
	b.fake.SetThrottle(20, 0.1) // a tenth of a point a second: 50 s for the 5 missing points
	if _, err := b.client.Products(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	_, err := b.client.Products(context.Background(), "")
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "THROTTLED" || apiErr.RetryAfter < 30*time.Second || apiclient.IsPermanent(err) {
		t.Fatalf("err %v, want a temporary THROTTLED error with a long RetryAfter", err)
	}
	if waits := b.allWaits(); len(waits) != 0 {
		t.Fatalf("waited %v; a long wait is the job's to schedule", waits)
	}
}

func TestServerErrorOnReadIsRetriedButNotOnCreate(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.Faults().FailNext(nil, 2, http.StatusServiceUnavailable)
	if _, err := b.client.Products(context.Background(), ""); err != nil {
		t.Fatalf("Products after two 503s: %v", err)
	}
	creates := &operationCounter{name: "orderCreate"}
	b.fake.Faults().FailNext(creates.match, 1, http.StatusBadGateway)
	_, err := b.client.CreateOrder(context.Background(), marketplaceOrder(501))
	if err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("CreateOrder meeting a 502: err %v, want a temporary error", err)
	}
	if creates.count() != 1 || len(b.fake.OrdersFor(501)) != 0 {
		t.Fatalf("orderCreate sent %d times, orders %v; want once and none", creates.count(), b.fake.OrdersFor(501))
	}
}

func TestAccessTokenNeverReachesRecordedExchanges(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	rec := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), rec)
	if _, err := b.client.CreateOrder(ctx, marketplaceOrder(77)); err != nil {
		t.Fatal(err)
	}
	exchanges := rec.Exchanges()
	if len(exchanges) < 2 {
		t.Fatalf("%d exchanges recorded, want the lookup and the create", len(exchanges))
	}
	for _, e := range exchanges {
		if strings.Contains(e.URL+e.RequestBody+e.ResponseBody, testToken) {
			t.Fatalf("token recorded in %+v", e)
		}
	}
	if !strings.Contains(exchanges[len(exchanges)-1].RequestBody, "orderCreate") {
		t.Fatalf("last exchange is not the create: %s", exchanges[len(exchanges)-1].RequestBody)
	}
}
