package amazon

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

func TestAccessTokenIsExchangedOnceAndReused(t *testing.T) {
	b := setup(t, 1)
	id := b.fake.AddOrder(mfnOrder("408-0000000-0000001"))
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := b.client(1, WithClock(clock))
	ctx := context.Background()
	for range 3 {
		if _, err := c.Order(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if n := b.fake.TokenCalls(); n != 1 {
		t.Errorf("%d token exchanges for 3 calls, want 1", n)
	}
	mu.Lock()
	now = now.Add(59*time.Minute + 30*time.Second) // inside the renewal margin
	mu.Unlock()
	if _, err := c.Order(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := b.fake.TokenCalls(); n != 2 {
		t.Errorf("%d token exchanges after expiry, want 2", n)
	}
	// A token Amazon no longer accepts is exchanged again, once.
	b.fake.ExpireTokens()
	if _, err := c.Order(ctx, id); err != nil {
		t.Fatalf("after the token was revoked: %v", err)
	}
	if n := b.fake.TokenCalls(); n != 3 {
		t.Errorf("%d token exchanges after revocation, want 3", n)
	}
}

func TestRefusedCredentialsArePermanentAndRedacted(t *testing.T) {
	b := setup(t, 1)
	b.cfg.RefreshToken = "Atzr|wrong-refresh-token"
	err := b.client(1).CheckCredentials(context.Background())
	if !apiclient.IsPermanent(err) {
		t.Fatalf("wrong refresh token: %v, want a permanent error", err)
	}
	if strings.Contains(err.Error(), "wrong-refresh-token") || strings.Contains(err.Error(), testClientSecret) {
		t.Errorf("the error shows a secret: %v", err)
	}
	b.cfg.RefreshToken = testRefreshToken
	if err := b.client(1).CheckCredentials(context.Background()); err != nil {
		t.Errorf("right credentials: %v", err)
	}
}

func TestRateLimitHeaderAdjustsThePace(t *testing.T) {
	l := &opLimiter{limiter: rate.NewLimiter(1, 5)}
	l.adjust("0.5")
	if got := l.limiter.Limit(); got != rate.Limit(0.5*pacing) {
		t.Errorf("limit = %v, want %v", got, 0.5*pacing)
	}
	l.adjust("")
	l.adjust("not a number")
	if got := l.limiter.Limit(); got != rate.Limit(0.5*pacing) {
		t.Errorf("limit changed on a bad header: %v", got)
	}
}

func TestGetOrderIsThrottledAndRetried(t *testing.T) {
	// getOrder: 0.5 rps, burst 30. A second client of the same account shares the pace, so
	// 40 reads spread over two clients stay within the plan.
	const scale = 40 // 20 rps
	b := setup(t, scale)
	id := b.fake.AddOrder(mfnOrder("408-0000000-0000002"))
	first, second := b.client(scale), b.client(scale)
	for i := range 40 {
		c := first
		if i%2 == 1 {
			c = second
		}
		if _, err := c.Order(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	if n := b.fake.Throttled(opGetOrder); n > 2 {
		t.Errorf("%d calls throttled, want at most 2", n)
	}
}

func TestConfigValidate(t *testing.T) {
	good := Config{RefreshToken: "r", ClientID: "c", ClientSecret: "s", Region: "eu"}
	if err := good.Validate(); err != nil {
		t.Errorf("good config: %v", err)
	}
	if got := baseURL(good); got != "https://sellingpartnerapi-eu.amazon.com" {
		t.Errorf("eu host = %s", got)
	}
	for name, cfg := range map[string]Config{
		"no region":      {RefreshToken: "r", ClientID: "c", ClientSecret: "s"},
		"bad region":     {RefreshToken: "r", ClientID: "c", ClientSecret: "s", Region: "mars"},
		"no secret":      {RefreshToken: "r", ClientID: "c", Region: "na"},
		"bad fulfilment": {RefreshToken: "r", ClientID: "c", ClientSecret: "s", Region: "fe", Fulfilment: "FBA"},
		"bad base url":   {RefreshToken: "r", ClientID: "c", ClientSecret: "s", BaseURL: "localhost"},
	} {
		if cfg.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
