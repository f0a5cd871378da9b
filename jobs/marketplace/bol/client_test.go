package bol

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// TestTokenIsReusedUntilItExpires: one token serves many calls; past its lifetime the
// client fetches the next one before calling.
func TestTokenIsReusedUntilItExpires(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	for range 3 {
		if err := b.client.CheckCredentials(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := b.fake.Calls("token"); n != 1 {
		t.Errorf("%d token requests for three calls, want 1", n)
	}
	b.clock.Advance(5 * time.Minute)
	if err := b.client.CheckCredentials(ctx); err != nil {
		t.Fatal(err)
	}
	if n := b.fake.Calls("token"); n != 2 {
		t.Errorf("%d token requests after expiry, want 2", n)
	}
}

// TestExpiredTokenMidRunIsRenewedOnce: bol says the token expired although the client
// thought it valid (bol's clock ahead): a new token is fetched and the call succeeds.
func TestExpiredTokenMidRunIsRenewedOnce(t *testing.T) {
	b := setup(t)
	ctx := t.Context()
	b.fake.SetTokenLifetime(time.Minute) // short tokens, renewed 20 s early by the client
	for n := range 3 {
		b.fake.AddOrder(SampleOrder(n))
	}
	page, err := b.client.ChangedOrders(ctx, "")
	if err != nil || len(page.Orders) != 3 {
		t.Fatalf("%d orders, %v", len(page.Orders), err)
	}
	b.fake.ExpireTokens()
	if _, err := b.client.Order(ctx, page.Orders[0].MarketplaceOrderID); err != nil {
		t.Fatalf("after bol expired the token: %v", err)
	}
	if n := b.fake.Calls("token"); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	b.clock.Advance(45 * time.Second) // past the client's renewal point for a 60 s token
	if _, err := b.client.Order(ctx, page.Orders[1].MarketplaceOrderID); err != nil {
		t.Fatal(err)
	}
	if n := b.fake.Calls("token"); n != 3 {
		t.Errorf("%d token requests, want 3", n)
	}
}

func TestBadCredentialsArePermanentAndExplained(t *testing.T) {
	b := setup(t)
	cfg := b.config()
	cfg.ClientSecret = "wrong-secret"
	err := b.newClient(cfg).CheckCredentials(t.Context())
	if !apiclient.IsPermanent(err) || apiclient.StatusOf(err) != http.StatusUnauthorized || !strings.Contains(err.Error(), "client id and secret") {
		t.Errorf("got %v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("the secret shows in %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{ClientID: "id", ClientSecret: "secret"}, ""},
		{Config{ClientSecret: "secret"}, "client id is missing"},
		{Config{ClientID: "id"}, "client secret is missing"},
		{Config{ClientID: "id", ClientSecret: "s", BaseURL: "api.bol.com"}, "not a web address"},
		{Config{ClientID: "id", ClientSecret: "s", LoginURL: "ftp://login"}, "not a web address"},
	} {
		err := tc.cfg.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if err := New(Config{}).CheckCredentials(t.Context()); err == nil {
		t.Error("an empty configuration made a call")
	}
}

// TestEveryCallSendsTheV10MediaType: the fake refuses other media types, as bol does.
func TestEveryCallSendsTheV10MediaType(t *testing.T) {
	b := setup(t)
	if err := b.client.CheckCredentials(t.Context()); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, b.server.URL+"/retailer/orders", nil)
	req.Header.Set("Authorization", "Bearer "+b.client.tokens.current())
	req.Header.Set("Accept", "application/json")
	res, err := b.server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotAcceptable {
		t.Errorf("plain JSON got %d, want 406", res.StatusCode)
	}
}

// TestRateLimitHeadersPauseTheClient: with X-RateLimit-Remaining at 0, the next call waits
// for X-RateLimit-Reset instead of running into a 429.
func TestRateLimitHeadersPauseTheClient(t *testing.T) {
	b := setup(t)
	b.fake.SetRateLimit(2, 10*time.Second, true)
	for range 3 {
		if err := b.client.CheckCredentials(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if sleeps := b.sleeps.all(); len(sleeps) != 1 || sleeps[0] != 10*time.Second {
		t.Errorf("waits %v, want one of 10s", sleeps)
	}
}

// TestRetryAfterIsHonoured: a 429 with Retry-After waits that long and tries again; one
// without it waits for X-RateLimit-Reset.
func TestRetryAfterIsHonoured(t *testing.T) {
	b := setup(t)
	b.fake.Faults().ThrottleNext(apiclient.Match(http.MethodGet, "/retailer/orders"), 1, 4*time.Second)
	if err := b.client.CheckCredentials(t.Context()); err != nil {
		t.Fatal(err)
	}
	if sleeps := b.sleeps.all(); len(sleeps) != 1 || sleeps[0] != 4*time.Second {
		t.Errorf("waits %v, want 4s", sleeps)
	}

	b.fake.SetRateLimit(1, 30*time.Second, false)
	other := b.newClient(b.config())
	if err := b.client.CheckCredentials(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := other.CheckCredentials(t.Context()); err != nil {
		t.Fatalf("429 without Retry-After: %v", err)
	}
	if sleeps := b.sleeps.all(); len(sleeps) != 2 || sleeps[1] != 30*time.Second {
		t.Errorf("waits %v: after a 429 without Retry-After, want the X-RateLimit-Reset of 30s", sleeps)
	}
}

// TestLongRetryAfterIsReturned: a wait beyond the client's patience comes back as a
// temporary error carrying RetryAfter, for the job to reschedule.
func TestLongRetryAfterIsReturned(t *testing.T) {
	b := setup(t)
	b.fake.Faults().ThrottleNext(apiclient.Match(http.MethodGet, "/retailer/orders"), 1, 5*time.Minute)
	err := b.client.CheckCredentials(t.Context())
	apiErr := apiError(t, err)
	if !apiErr.Temporary() || apiErr.RetryAfter != 5*time.Minute {
		t.Errorf("got %v (retry after %v)", err, apiErr.RetryAfter)
	}
}
