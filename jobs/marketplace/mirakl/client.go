// Package mirakl connects orderhub to a marketplace run on Mirakl (the seller, or shop, API:
// OR11 orders, OR21 acceptance, OR23/OR24 shipping, OR29 cancellation, SH21 carriers, A01
// account), and holds a stateful fake of that API for tests and the demo sandbox.
package mirakl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Config is one Mirakl shop account on one operator's instance.
type Config struct {
	BaseURL string `json:"base_url"` // the operator's instance, e.g. https://marketplace.example.mirakl.net
	APIKey  string `json:"api_key"`  // the shop API key, sent as it is
	ShopID  string `json:"shop_id"`  // only for a user with several shops; empty: the default shop
	// RequestsPerSecond caps the calls to the instance (default 5); an operator that allows
	// more lets a busy shop go faster.
	RequestsPerSecond float64 `json:"requests_per_second,omitempty"`
}

// Validate says what is wrong with the configuration, in words a merchant can act on.
func (c Config) Validate() error {
	var problems []string
	base, err := url.Parse(strings.TrimSpace(c.BaseURL))
	switch {
	case strings.TrimSpace(c.BaseURL) == "":
		problems = append(problems, "the instance URL is missing (e.g. https://yourmarketplace.mirakl.net)")
	case err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "":
		problems = append(problems, fmt.Sprintf("the instance URL %q is not a web address (e.g. https://yourmarketplace.mirakl.net)", c.BaseURL))
	}
	key := strings.TrimSpace(c.APIKey)
	switch {
	case key == "":
		problems = append(problems, "the shop API key is missing")
	case strings.HasPrefix(strings.ToLower(key), "bearer "):
		problems = append(problems, `the shop API key must be pasted as it is, without "Bearer "`)
	}
	if shop := strings.TrimSpace(c.ShopID); shop != "" {
		if _, err := strconv.ParseInt(shop, 10, 64); err != nil {
			problems = append(problems, fmt.Sprintf("the shop id %q is not a number", c.ShopID))
		}
	}
	if len(problems) > 0 {
		return errors.New("mirakl configuration: " + strings.Join(problems, "; "))
	}
	return nil
}

// Client talks to one Mirakl shop account. It implements jobs.Marketplace.
type Client struct {
	api       apiclient.Client
	shopID    string
	configErr error
	pageSize  int // OR11 page size: 100, the largest Mirakl serves
}

// Option adjusts a Client, mostly for tests.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client (timeouts, transport).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.api.HTTP = hc } }

// WithSleep replaces the wait between retries; tests capture the duration instead.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.api.Sleep = sleep }
}

// WithLimiter replaces the request rate limiter (nil: none).
func WithLimiter(limiter *rate.Limiter) Option { return func(c *Client) { c.api.Limiter = limiter } }

// defaultRate keeps one account under a few calls a second. Mirakl publishes no per-second
// limit, only per-operation frequencies, which the job schedules honour.
const defaultRate = 5

// limiter paces the calls at perSecond (default defaultRate), in bursts of as many.
func limiter(perSecond float64) *rate.Limiter {
	if perSecond <= 0 {
		perSecond = defaultRate
	}
	return rate.NewLimiter(rate.Limit(perSecond), max(int(perSecond), 1))
}

// New builds a client. An invalid configuration is reported by every call (and by
// cfg.Validate, which the connection form runs first).
func New(cfg Config, opts ...Option) *Client {
	apiKey := strings.TrimSpace(cfg.APIKey)
	c := &Client{
		shopID:    strings.TrimSpace(cfg.ShopID),
		configErr: cfg.Validate(),
		pageSize:  100,
		api: apiclient.Client{
			BaseURL: baseURL(cfg.BaseURL),
			Limiter: limiter(cfg.RequestsPerSecond),
			Authorize: func(req *http.Request) {
				req.Header.Set("Authorization", apiKey) // the raw key: Mirakl refuses "Bearer <key>"
			},
			Headers:     http.Header{"Accept": {"application/json"}},
			Secrets:     []string{apiKey},
			DecodeError: decodeError,
		},
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// baseURL accepts the instance address with or without a trailing /api, which merchants
// often paste from the documentation.
func baseURL(raw string) string {
	base := strings.TrimRight(strings.TrimSpace(raw), "/")
	return strings.TrimSuffix(base, "/api")
}

// do sends one call with the shop_id every call takes, and explains refused credentials.
func (c *Client) do(ctx context.Context, req apiclient.Request) (*apiclient.Response, error) {
	if c.configErr != nil {
		return nil, c.configErr
	}
	if c.shopID != "" {
		if req.Query == nil {
			req.Query = url.Values{}
		}
		req.Query.Set("shop_id", c.shopID)
	}
	res, err := c.api.Do(ctx, req)
	var apiErr *apiclient.Error
	if errors.As(err, &apiErr) {
		switch apiErr.Status {
		case http.StatusUnauthorized:
			apiErr.Message = "the API key was refused: check the shop API key (Mirakl back office, My user settings > API key)"
		case http.StatusForbidden:
			apiErr.Message = "the API key may not do this: check that it belongs to the shop (and the shop id, if set): " + apiErr.Message
		}
	}
	return res, err
}

// CheckCredentials reads the shop's account (A01).
func (c *Client) CheckCredentials(ctx context.Context) error {
	var account accountResponse
	_, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/api/account", Out: &account})
	return err
}

// Carriers lists the carriers the operator knows (SH21).
func (c *Client) Carriers(ctx context.Context) ([]models.Carrier, error) {
	var answer carriersResponse
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/api/shipping/carriers", Out: &answer}); err != nil {
		return nil, err
	}
	carriers := make([]models.Carrier, 0, len(answer.Carriers))
	for _, w := range answer.Carriers {
		carriers = append(carriers, toCarrier(w))
	}
	return carriers, nil
}
