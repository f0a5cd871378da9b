package magento

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

func TestCheckCredentials(t *testing.T) {
	b := setup(t)
	if err := b.client.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("good token: %v", err)
	}
	cfg := b.fake.Config(b.server.URL)
	cfg.AccessToken = "wrong"
	err := b.newClient(cfg).CheckCredentials(context.Background())
	if !apiclient.IsPermanent(err) || apiclient.StatusOf(err) != http.StatusUnauthorized ||
		!strings.Contains(err.Error(), "The consumer isn't authorized to access Magento_Catalog::products.") {
		t.Fatalf("bad token: %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{AccessToken: "t"}, "address is missing"},
		{Config{BaseURL: "shop.example.com", AccessToken: "t"}, "not a web address"},
		{Config{BaseURL: "https://shop.example.com"}, "access token is missing"},
		{Config{BaseURL: "https://shop.example.com", AccessToken: "a b"}, "contains spaces"},
		{Config{BaseURL: "https://shop.example.com", AccessToken: "t", CarrierURLs: map[string]string{"ups": "https://ups.example"}}, "{tracking}"},
		{Config{BaseURL: "https://shop.example.com/rest/default/V1/", AccessToken: "Bearer t"}, ""},
	} {
		err := tc.cfg.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	normalized, _ := Config{BaseURL: "https://shop.example.com/index.php/rest/default/V1", AccessToken: "t"}.normalized()
	if normalized.BaseURL != "https://shop.example.com" || normalized.StoreCode != "default" || normalized.PaymentMethod != "checkmo" {
		t.Errorf("normalized %+v", normalized)
	}
	var cfg Config
	if err := json.Unmarshal([]byte(`{"shipped_statuses":"shipped, delivered"}`), &cfg); err != nil || len(cfg.ShippedStatuses) != 2 {
		t.Errorf("statuses as text: %v %v", cfg.ShippedStatuses, err)
	}
}

func TestPlaceholdersAreFilled(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"message":"No such entity with %fieldName = %fieldValue","parameters":{"fieldName":"cartId","fieldValue":"abc"}}`, "No such entity with cartId = abc"},
		{`{"message":"Invalid attribute name: %1","parameters":["foo"]}`, "Invalid attribute name: foo"},
		{`{"message":"The requested qty is not available"}`, "The requested qty is not available"},
	} {
		if _, got := decodeError(400, []byte(tc.body)); got != tc.want {
			t.Errorf("%s: %q", tc.body, got)
		}
	}
}

func TestThrottlingIsHonoured(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.Faults().ThrottleNext(apiclient.Match(http.MethodGet, "/rest/default/V1/products"), 1, 7*time.Second)
	b.fake.Faults().ThrottleNext(apiclient.Match(http.MethodPost, "/rest/default/V1/guest-carts"), 1, 3*time.Second)
	if _, err := b.client.Products(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, b, marketplaceOrder(800))
	if len(b.sleeps.waits) != 2 || b.sleeps.waits[0] != 7*time.Second || b.sleeps.waits[1] != 3*time.Second {
		t.Errorf("waits %v, want [7s 3s]", b.sleeps.waits)
	}
}

func TestServerErrorOnPlacementIsNotRetried(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.Faults().FailNext(func(r *http.Request) bool { return r.Method == http.MethodPut }, 1, http.StatusServiceUnavailable)
	if _, err := b.client.CreateOrder(context.Background(), marketplaceOrder(810)); err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("err %v, want transient", err)
	}
	if len(b.sleeps.waits) != 0 {
		t.Errorf("placement retried: %v", b.sleeps.waits)
	}
}

func TestTokenNeverReachesRecordedExchanges(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	rec := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), rec)
	if _, err := b.client.CreateOrder(ctx, marketplaceOrder(820)); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(rec.Exchanges())
	if len(rec.Exchanges()) < 8 || strings.Contains(string(raw), testToken) {
		t.Errorf("%d exchanges; token recorded: %v", len(rec.Exchanges()), strings.Contains(string(raw), testToken))
	}
}

// raw calls the fake without the client.
func raw(t *testing.T, b *testBundle, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, b.server.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	json.Unmarshal(data, &out)
	return res.StatusCode, out
}

func TestFakeRefusesBadAuthAndMalformedInput(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	for _, tc := range []struct {
		method, path, token, body string
		status                    int
		message                   string
	}{
		{"GET", "/rest/default/V1/orders", "", "", 401, "The consumer isn't authorized to access %resources."},
		{"GET", "/rest/default/V1/products", "nope", "", 401, "The consumer isn't authorized to access %resources."},
		{"GET", "/rest/default/V1/nothing", testToken, "", 404, "Request does not match any route."},
		{"GET", "/rest/nostore/V1/products", testToken, "", 404, "The store that was requested wasn't found. Verify the store and try again."},
		{"GET", "/rest/default/V1/orders?searchCriteria[pageSize]=abc", testToken, "", 400, `The "%value" value's type is invalid. The "%type" type was expected. Verify and try again.`},
		{"GET", "/rest/default/V1/orders?searchCriteria[filter_groups][0][filters][0][field]=updated_at&searchCriteria[filter_groups][0][filters][0][condition_type]=about", testToken, "", 400, "Invalid condition type: %1"},
		{"GET", "/rest/default/V1/orders/999", testToken, "", 404, entityMissing},
		{"POST", "/rest/default/V1/guest-carts/nocart/items", "", `{"cartItem":{"sku":"MUG-1","qty":1}}`, 404, cartMissing},
		{"POST", "/rest/default/V1/orders", testToken, `{"entity":`, 400, "Decoding error: %1"},
		{"POST", "/rest/default/V1/orders", testToken, `{"entity":{"entity_id":1234}}`, 404, entityMissing},
	} {
		status, body := raw(t, b, tc.method, tc.path, tc.token, tc.body)
		if status != tc.status || body["message"] != tc.message {
			t.Errorf("%s %s: %d %v, want %d %q", tc.method, tc.path, status, body, tc.status, tc.message)
		}
	}
}

func TestFakeGuestCartChainChecksEachStep(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	res, err := http.Post(b.server.URL+"/rest/default/V1/guest-carts", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var cart string
	json.NewDecoder(res.Body).Decode(&cart)
	res.Body.Close()
	if len(cart) != 32 {
		t.Fatalf("masked cart id %q", cart)
	}
	base := "/rest/default/V1/guest-carts/" + cart
	address := `{"firstname":"A","lastname":"B","street":["1 Main St"],"city":"Paris","postcode":"75001","country_id":"FR","telephone":"1","email":"a@b.c"}`
	info := `{"addressInformation":{"shipping_address":` + address + `,"billing_address":` + address + `,"shipping_carrier_code":"flatrate","shipping_method_code":"flatrate"}}`
	steps := []struct {
		method, path, body string
		status             int
	}{
		{"POST", base + "/shipping-information", info, 400}, // empty cart
		{"POST", base + "/items", `{"cartItem":{"sku":"MUG-1","qty":"many","quote_id":"` + cart + `"}}`, 400},
		{"POST", base + "/items", `{"cartItem":{"sku":"MUG-1","qty":1,"quote_id":"` + cart + `"}}`, 200},
		{"POST", base + "/shipping-information", info, 400}, // rates not estimated
		{"POST", base + "/estimate-shipping-methods", `{"address":` + address + `}`, 200},
		{"PUT", base + "/order", `{"paymentMethod":{"method":"checkmo"}}`, 400}, // no shipping information
		{"POST", base + "/shipping-information", info, 200},
		{"PUT", base + "/order", `{"paymentMethod":{"method":"banktransfer"}}`, 400},
		{"PUT", base + "/order", `{"paymentMethod":{"method":"checkmo"}}`, 200},
		{"PUT", base + "/order", `{"paymentMethod":{"method":"checkmo"}}`, 404}, // the cart is gone
	}
	for i, step := range steps {
		if status, body := raw(t, b, step.method, step.path, "", step.body); status != step.status {
			t.Errorf("step %d %s %s: %d %v, want %d", i, step.method, step.path, status, body, step.status)
		}
	}
}

func TestFakePageBeyondTheEndRepeatsTheLastPage(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	status, body := raw(t, b, "GET", "/rest/default/V1/products?searchCriteria[pageSize]=1&searchCriteria[currentPage]=9", testToken, "")
	items, _ := body["items"].([]any)
	if status != 200 || len(items) != 1 || body["total_count"] != float64(2) || items[0].(map[string]any)["sku"] != "POSTER-1" {
		t.Errorf("%d %v", status, body)
	}
}
