package vendure

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

func TestCheckCredentials(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(cfg *Config, serverURL string)
		wantErr string // "" for success
	}{
		{"good", func(*Config, string) {}, ""},
		{"shop root given", func(cfg *Config, url string) { cfg.BaseURL = url }, ""},
		{"channel token", func(cfg *Config, _ string) { cfg.ChannelToken = "default-channel" }, ""},
		{"bad password", func(cfg *Config, _ string) { cfg.Password = "wrong" }, "INVALID_CREDENTIALS_ERROR"},
		{"unknown user", func(cfg *Config, _ string) { cfg.Username = "admin" }, "The provided credentials are invalid"},
		{"unknown channel", func(cfg *Config, _ string) { cfg.ChannelToken = "other" }, `No channel with the token "other" exists`},
		{"wrong path", func(cfg *Config, url string) { cfg.BaseURL = url + "/api" }, "no Vendure Admin API"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t)
			cfg := b.fake.Config(b.server.URL)
			tc.change(&cfg, b.server.URL)
			err := b.newClient(cfg).CheckCredentials(context.Background())
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckCredentials: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !apiclient.IsPermanent(err) {
				t.Fatalf("got %v, want a permanent error with %q", err, tc.wantErr)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	good := Config{BaseURL: "https://shop.example.com/admin-api", Username: "orderhub", Password: "pw"}
	for _, tc := range []struct {
		name    string
		change  func(*Config)
		wantErr string
	}{
		{"good", func(*Config) {}, ""},
		{"no address", func(c *Config) { c.BaseURL = " " }, "address is missing"},
		{"not a URL", func(c *Config) { c.BaseURL = "shop.example.com" }, "not a web address"},
		{"shop api", func(c *Config) { c.BaseURL = "https://shop.example.com/shop-api" }, "Shop API"},
		{"no username", func(c *Config) { c.Username = "" }, "username is missing"},
		{"no password", func(c *Config) { c.Password = "" }, "password is missing"},
		{"empty shipped state", func(c *Config) { c.ShippedStates = []string{"Shipped", " "} }, "shipped order state is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := good
			tc.change(&cfg)
			err := cfg.Validate()
			if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Validate() = %v, want %q", err, tc.wantErr)
			}
		})
	}
	normalized, _ := Config{BaseURL: "https://shop.example.com/", Username: "a", Password: "b"}.normalized()
	if normalized.BaseURL != "https://shop.example.com/admin-api" || normalized.ShippingMethodCode != "standard" || normalized.LookbackDays != 30 {
		t.Errorf("normalized %+v", normalized)
	}
	var fromJSON Config
	json.Unmarshal([]byte(`{"base_url":"http://x/admin-api","username":"u","password":"p","channel_token":"c","shipping_method_code":"express","shipped_states":["Delivered"]}`), &fromJSON)
	if fromJSON.ChannelToken != "c" || fromJSON.ShippingMethodCode != "express" || fromJSON.ShippedStates[0] != "Delivered" {
		t.Errorf("JSON keys: %+v", fromJSON)
	}
}

func TestExpiredSessionLogsInAgainOnce(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	recorder := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), recorder)
	if _, err := b.client.Products(ctx, ""); err != nil {
		t.Fatal(err)
	}
	b.fake.ExpireSessions()
	if _, err := b.client.Products(ctx, ""); err != nil {
		t.Fatalf("after the session expired: %v", err)
	}
	logins := 0
	for _, exchange := range recorder.Exchanges() {
		if strings.Contains(exchange.RequestBody, "login(") {
			logins++
		}
		if strings.Contains(exchange.RequestBody, testPassword) || strings.Contains(exchange.ResponseBody, testPassword) {
			t.Errorf("the password reached the timeline: %s", exchange.RequestBody)
		}
	}
	if logins != 2 || len(recorder.Exchanges()) != 5 {
		t.Errorf("%d logins in %d exchanges, want 2 in 5 (login, read, refused read, login, read)", logins, len(recorder.Exchanges()))
	}
}

func TestThrottlingIsHonoured(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.Faults().ThrottleNext(MatchOperation("productVariants"), 2, 3*time.Second)
	if _, err := b.client.Products(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if waits := b.sleeps.all(); len(waits) != 2 || waits[0] != 3*time.Second || waits[1] != 3*time.Second {
		t.Errorf("waits %v, want two of 3s", waits)
	}
	// A throttled mutation was not acted on: it is retried too.
	b.fake.Faults().ThrottleNext(MatchOperation("createDraftOrder"), 1, time.Second)
	mustCreate(t, b, marketplaceOrder(800))
	// A long Retry-After is handed back to the job instead of blocking.
	b.fake.Faults().ThrottleNext(MatchOperation("productVariants"), 1, 10*time.Minute)
	_, err := b.client.Products(context.Background(), "")
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 10*time.Minute || apiclient.IsPermanent(err) {
		t.Errorf("long throttle: %v", err)
	}
	// Server errors on reads are retried; the store's 5xx is temporary.
	b.fake.Faults().FailNext(MatchOperation("productVariants"), 1, http.StatusServiceUnavailable)
	if _, err := b.client.Products(context.Background(), ""); err != nil {
		t.Errorf("after a 503: %v", err)
	}
}

func TestInvalidConfigIsReportedByEveryCall(t *testing.T) {
	b := setup(t)
	client := b.newClient(Config{BaseURL: b.server.URL})
	for name, err := range map[string]error{
		"check":     client.CheckCredentials(context.Background()),
		"cancel":    client.CancelOrder(context.Background(), "1"),
		"shipments": func() error { _, err := client.Shipments(context.Background(), ""); return err }(),
	} {
		if err == nil || !strings.Contains(err.Error(), "username is missing") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
