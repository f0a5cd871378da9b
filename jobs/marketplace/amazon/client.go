// Package amazon connects orderhub to an Amazon Selling Partner API seller account (Orders API
// 2026-01-01 searchOrders and getOrder to read, Orders v0 confirmShipment to ship, Login with
// Amazon for access tokens), and holds a stateful fake of those operations for tests and the
// demo sandbox.
package amazon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Fulfilment channels: the seller ships (merchant fulfilled) or Amazon does.
const (
	FulfilmentMFN = "MFN"
	FulfilmentAFN = "AFN"
)

// DefaultLoginURL is the Login with Amazon token endpoint.
const DefaultLoginURL = "https://api.amazon.com/auth/o2/token"

// regionHosts are the Selling Partner API endpoints by selling region.
var regionHosts = map[string]string{
	"na": "https://sellingpartnerapi-na.amazon.com",
	"eu": "https://sellingpartnerapi-eu.amazon.com",
	"fe": "https://sellingpartnerapi-fe.amazon.com",
}

// Config is one Selling Partner API authorisation of one seller account.
type Config struct {
	RefreshToken  string `json:"refresh_token"`            // the LWA refresh token issued when the seller authorised the app
	ClientID      string `json:"client_id"`                // the app's LWA client id
	ClientSecret  string `json:"client_secret"`            // the app's LWA client secret
	Region        string `json:"region,omitempty"`         // na, eu or fe
	BaseURL       string `json:"base_url,omitempty"`       // overrides Region (sandbox, fake)
	LoginURL      string `json:"login_url,omitempty"`      // default DefaultLoginURL
	MarketplaceID string `json:"marketplace_id,omitempty"` // e.g. A1PA6795UKMFR9; empty: every marketplace of the account
	Fulfilment    string `json:"fulfilment,omitempty"`     // MFN (default) or AFN: which orders are imported
}

// Validate says what is wrong with the configuration, in words a merchant can act on.
func (c Config) Validate() error {
	var problems []string
	if strings.TrimSpace(c.RefreshToken) == "" {
		problems = append(problems, "the refresh token is missing (Seller Central, Apps and services, authorise the app)")
	}
	if strings.TrimSpace(c.ClientID) == "" {
		problems = append(problems, "the LWA client id is missing")
	}
	if strings.TrimSpace(c.ClientSecret) == "" {
		problems = append(problems, "the LWA client secret is missing")
	}
	if base := strings.TrimSpace(c.BaseURL); base != "" {
		if u, err := url.Parse(base); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			problems = append(problems, fmt.Sprintf("the endpoint %q is not a web address", c.BaseURL))
		}
	} else if _, ok := regionHosts[strings.ToLower(strings.TrimSpace(c.Region))]; !ok {
		problems = append(problems, fmt.Sprintf("the region %q is not one of na, eu, fe", c.Region))
	}
	if login := strings.TrimSpace(c.LoginURL); login != "" {
		if u, err := url.Parse(login); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			problems = append(problems, fmt.Sprintf("the login URL %q is not a web address", c.LoginURL))
		}
	}
	switch strings.ToUpper(strings.TrimSpace(c.Fulfilment)) {
	case "", FulfilmentMFN, FulfilmentAFN:
	default:
		problems = append(problems, fmt.Sprintf("the fulfilment %q is not MFN or AFN", c.Fulfilment))
	}
	if len(problems) > 0 {
		return errors.New("amazon configuration: " + strings.Join(problems, "; "))
	}
	return nil
}

// Client talks to one seller account. It implements jobs.Marketplace.
type Client struct {
	api           apiclient.Client // shared settings; each operation gets its own copy and limiter
	ops           map[string]*apiclient.Client
	limits        map[string]*opLimiter
	auth          *tokenSource
	marketplaceID string
	fulfilledBy   string // MERCHANT or AMAZON, the searchOrders filter
	configErr     error
	pageSize      int
	rateScale     float64
	now           func() time.Time
	firstWindow   time.Duration
}

// Option adjusts a Client, mostly for tests.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client (timeouts, transport) for API and token calls.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.api.HTTP = hc } }

// WithSleep replaces the wait between retries.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.api.Sleep = sleep }
}

// WithRateScale multiplies every documented rate (not the bursts), so tests run the usage
// plans in seconds against a fake scaled the same way.
func WithRateScale(scale float64) Option { return func(c *Client) { c.rateScale = scale } }

// WithPageSize sets searchOrders' maxResultsPerPage (1–100).
func WithPageSize(n int) Option { return func(c *Client) { c.pageSize = min(max(n, 1), 100) } }

// WithClock replaces the clock used for token expiry and the order window.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New builds a client. An invalid configuration is reported by every call (and by
// cfg.Validate, which the connection form runs first).
func New(cfg Config, opts ...Option) *Client {
	refresh, secret := strings.TrimSpace(cfg.RefreshToken), strings.TrimSpace(cfg.ClientSecret)
	c := &Client{
		marketplaceID: strings.TrimSpace(cfg.MarketplaceID),
		fulfilledBy:   "MERCHANT",
		configErr:     cfg.Validate(),
		pageSize:      100,
		rateScale:     1,
		now:           time.Now,
		firstWindow:   30 * 24 * time.Hour,
	}
	if strings.EqualFold(strings.TrimSpace(cfg.Fulfilment), FulfilmentAFN) {
		c.fulfilledBy = "AMAZON"
	}
	loginURL := strings.TrimSpace(cfg.LoginURL)
	if loginURL == "" {
		loginURL = DefaultLoginURL
	}
	c.auth = &tokenSource{
		url:          loginURL,
		clientID:     strings.TrimSpace(cfg.ClientID),
		clientSecret: secret,
		refreshToken: refresh,
		client:       c,
	}
	c.api = apiclient.Client{
		BaseURL:     baseURL(cfg),
		Headers:     http.Header{"Accept": {"application/json"}},
		Secrets:     []string{refresh, secret},
		DecodeError: decodeError,
		Authorize: func(req *http.Request) {
			req.Header.Set("x-amz-access-token", c.auth.current())
		},
	}
	for _, opt := range opts {
		opt(c)
	}
	c.limits = map[string]*opLimiter{}
	c.ops = map[string]*apiclient.Client{}
	for op, plan := range usagePlans {
		limiter := sharedLimiter(c.api.BaseURL+"|"+c.auth.clientID+"|"+refresh+"|"+op, plan, c.rateScale)
		api := c.api
		api.Limiter = limiter.limiter
		c.limits[op] = limiter
		c.ops[op] = &api
	}
	return c
}

func baseURL(cfg Config) string {
	if base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"); base != "" {
		return base
	}
	return regionHosts[strings.ToLower(strings.TrimSpace(cfg.Region))]
}

// do sends one call of operation op with a valid access token, adjusts the operation's rate
// to the x-amzn-RateLimit-Limit the answer carries, and explains refused credentials. An
// access token refused before its announced expiry (revoked, or the clocks disagree) is
// exchanged again once.
func (c *Client) do(ctx context.Context, op string, req apiclient.Request) (*apiclient.Response, error) {
	if c.configErr != nil {
		return nil, c.configErr
	}
	for attempt := 0; ; attempt++ {
		calls := c.auth.exchanges()
		if _, err := c.auth.token(ctx); err != nil {
			return nil, err
		}
		fresh := c.auth.exchanges() != calls
		res, err := c.ops[op].Do(ctx, req)
		if res != nil {
			c.limits[op].adjust(res.Header.Get("x-amzn-RateLimit-Limit"))
		}
		var apiErr *apiclient.Error
		if !errors.As(err, &apiErr) || (apiErr.Status != http.StatusForbidden && apiErr.Status != http.StatusUnauthorized) {
			return res, err
		}
		c.auth.forget()
		if !fresh && attempt == 0 {
			continue
		}
		apiErr.Message = "Amazon refused the access: check that the seller authorised the app and that it has the Orders role: " + apiErr.Message
		return res, err
	}
}

// CheckCredentials exchanges the refresh token and reads one order id that cannot exist with
// getOrder, whose usage plan is far larger than searchOrders': any answer but a refusal shows
// the authorisation works.
func (c *Client) CheckCredentials(ctx context.Context) error {
	if c.configErr != nil {
		return c.configErr
	}
	if _, err := c.auth.token(ctx); err != nil {
		return err
	}
	_, err := c.getOrder(ctx, "000-0000000-0000000", nil)
	if err == nil || IsNotFound(err) || apiclient.StatusOf(err) == http.StatusBadRequest {
		return nil
	}
	return err
}

// Carriers lists Amazon's carrier codes. The API has no operation listing them; any other
// carrier is sent as "Other" with its name.
func (c *Client) Carriers(ctx context.Context) ([]models.Carrier, error) {
	return append([]models.Carrier(nil), carriers...), nil
}
