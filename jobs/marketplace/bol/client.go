// Package bol connects orderhub to bol.com through the Retailer API v10 (orders, shipments,
// cancellations, process status), authenticated by OAuth2 client credentials, and holds a
// stateful fake of that API for tests and the demo sandbox.
package bol

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Media type of the Retailer API v10: sent as Accept on every call and as Content-Type on
// every body.
const mediaType = "application/vnd.retailer.v10+json"

// Default addresses of bol's production API and login server.
const (
	DefaultBaseURL  = "https://api.bol.com"
	DefaultLoginURL = "https://login.bol.com/token"
)

// Fulfilment methods: the retailer ships (Fulfilment by Retailer) or bol does from its own
// warehouse (Fulfilment by bol).
const (
	FulfilmentFBR = "FBR"
	FulfilmentFBB = "FBB"
)

// Config is one bol.com retailer account (API credentials from the seller dashboard).
type Config struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	BaseURL      string `json:"base_url"`   // empty: https://api.bol.com
	LoginURL     string `json:"login_url"`  // empty: https://login.bol.com/token
	Fulfilment   string `json:"fulfilment"` // FBR (default) or FBB: which orders are imported
}

// Validate says what is wrong with the configuration, in words a merchant can act on.
func (c Config) Validate() error {
	var problems []string
	if strings.TrimSpace(c.ClientID) == "" {
		problems = append(problems, "the client id is missing (seller dashboard, Settings > API settings)")
	}
	if strings.TrimSpace(c.ClientSecret) == "" {
		problems = append(problems, "the client secret is missing")
	}
	for _, field := range []struct{ name, value string }{{"API URL", c.BaseURL}, {"login URL", c.LoginURL}} {
		if strings.TrimSpace(field.value) == "" {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(field.value))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			problems = append(problems, fmt.Sprintf("the %s %q is not a web address", field.name, field.value))
		}
	}
	switch strings.ToUpper(strings.TrimSpace(c.Fulfilment)) {
	case "", FulfilmentFBR, FulfilmentFBB:
	default:
		problems = append(problems, fmt.Sprintf("the fulfilment %q is not FBR or FBB", c.Fulfilment))
	}
	if len(problems) > 0 {
		return errors.New("bol configuration: " + strings.Join(problems, "; "))
	}
	return nil
}

// Client talks to one bol.com retailer account. It implements jobs.Marketplace.
type Client struct {
	api       apiclient.Client
	tokens    *tokenSource
	configErr error
	now       func() time.Time
	method    string // FBR or FBB, the order list's fulfilment-method filter

	// pollWaits are the pauses between process-status reads after a write; when they run
	// out with the process still PENDING, the call fails temporarily and is retried later.
	pollWaits []time.Duration

	mu         sync.Mutex
	pauseUntil time.Time // X-RateLimit-Remaining reached 0: no call before this
}

// Option adjusts a Client, mostly for tests.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client (timeouts, transport), for the API and the login.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.api.HTTP, c.tokens.http = hc, hc }
}

// WithSleep replaces every wait (retries, rate-limit pauses, process-status polling); tests
// record the duration instead.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.api.Sleep = sleep }
}

// WithLimiter replaces the request rate limiter (nil: none).
func WithLimiter(limiter *rate.Limiter) Option { return func(c *Client) { c.api.Limiter = limiter } }

// WithClock replaces the clock that decides when a token has expired.
func WithClock(now func() time.Time) Option {
	return func(c *Client) { c.now, c.tokens.now = now, now }
}

// defaultRate stays under bol's published per-endpoint limits for order calls (the
// tightest are a few calls a second); X-RateLimit-* headers slow the client further.
const defaultRate = 5

// New builds a client. An invalid configuration is reported by every call (and by
// cfg.Validate, which the connection form runs first).
func New(cfg Config, opts ...Option) *Client {
	clientID, secret := strings.TrimSpace(cfg.ClientID), strings.TrimSpace(cfg.ClientSecret)
	loginURL := strings.TrimSpace(cfg.LoginURL)
	if loginURL == "" {
		loginURL = DefaultLoginURL
	}
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if base == "" {
		base = DefaultBaseURL
	}
	c := &Client{
		configErr: cfg.Validate(),
		now:       time.Now,
		method:    FulfilmentFBR,
		pollWaits: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 3 * time.Second, 5 * time.Second, 5 * time.Second},
		tokens:    &tokenSource{url: loginURL, clientID: clientID, secret: secret, now: time.Now},
	}
	c.api = apiclient.Client{
		BaseURL: base,
		Limiter: rate.NewLimiter(defaultRate, defaultRate),
		Authorize: func(req *http.Request) {
			req.Header.Set("Authorization", "Bearer "+c.tokens.current())
			if req.ContentLength > 0 {
				req.Header.Set("Content-Type", mediaType)
			}
		},
		Headers:     http.Header{"Accept": {mediaType}},
		Secrets:     []string{secret},
		DecodeError: decodeError,
	}
	if strings.EqualFold(strings.TrimSpace(cfg.Fulfilment), FulfilmentFBB) {
		c.method = FulfilmentFBB
	}
	for _, opt := range opts {
		opt(c)
	}
	c.api.HTTP = c.watchRateLimits(c.api.HTTP)
	return c
}

// do sends one call with a valid token. A 401 for an expired token (bol's clock and ours
// disagree, or the token was revoked) fetches a new token and tries once more.
func (c *Client) do(ctx context.Context, req apiclient.Request) (*apiclient.Response, error) {
	if c.configErr != nil {
		return nil, c.configErr
	}
	for attempt := 0; ; attempt++ {
		if err := c.waitRateLimit(ctx); err != nil {
			return nil, err
		}
		token, err := c.tokens.token(ctx)
		if err != nil {
			return nil, err
		}
		res, err := c.api.Do(ctx, req)
		if attempt == 0 && isExpiredToken(err) {
			c.tokens.invalidate(token)
			continue
		}
		explain(err)
		return res, err
	}
}

// CheckCredentials fetches a token and reads the first page of open orders: the token
// proves the credentials, the call proves the account may use the Retailer API.
func (c *Client) CheckCredentials(ctx context.Context) error {
	var answer reducedOrders
	_, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/retailer/orders",
		Query: url.Values{"page": {"1"}, "fulfilment-method": {c.method}, "status": {"OPEN"}}, Out: &answer})
	return err
}

// Carriers lists bol's transporter codes. The API has no endpoint for them: the list is the
// transporterCode enum of the v10 specification.
func (c *Client) Carriers(ctx context.Context) ([]models.Carrier, error) {
	carriers := make([]models.Carrier, 0, len(transporters))
	for _, t := range transporters {
		carriers = append(carriers, models.Carrier{Code: t.Code, Name: t.Name, StandardCode: t.Standard, TrackingURLTemplate: t.TrackingURL})
	}
	return carriers, nil
}
