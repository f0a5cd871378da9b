// Package woocommerce connects orderhub to a WooCommerce store through the REST API v3: it
// reads the catalogue, creates marketplace orders, and reads shipments back. The fake beside
// the client reproduces the API for tests and the demo.
package woocommerce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// apiPath is where WooCommerce serves the REST API v3 under the shop root (pretty permalinks).
const apiPath = "/wp-json/wc/v3"

// Config is what a merchant enters for a WooCommerce store.
type Config struct {
	BaseURL        string `json:"base_url"` // the shop root, e.g. https://shop.example.com
	ConsumerKey    string `json:"consumer_key"`
	ConsumerSecret string `json:"consumer_secret"`
	// RequestsPerSecond caps the calls to the shop (default 5, in bursts of 10); a shop on
	// its own server may take more.
	RequestsPerSecond float64 `json:"requests_per_second,omitempty"`
}

// Validate reports the first problem a merchant has to fix, in words they can act on.
func (cfg Config) Validate() error {
	_, err := cfg.normalized()
	return err
}

// normalized trims what people paste by accident and checks the rest.
func (cfg Config) normalized() (Config, error) {
	cfg.BaseURL = strings.TrimSpace(cfg.BaseURL)
	cfg.ConsumerKey = strings.TrimSpace(cfg.ConsumerKey)
	cfg.ConsumerSecret = strings.TrimSpace(cfg.ConsumerSecret)
	if cfg.BaseURL == "" {
		return cfg, errors.New("the store address is missing: enter the shop's root URL, e.g. https://shop.example.com")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, fmt.Errorf("the store address %q is not a web address: enter it as https://shop.example.com", cfg.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return cfg, fmt.Errorf("the store address %q should not carry a query or fragment: enter the shop's root URL only", cfg.BaseURL)
	}
	// People often paste the API address itself; the shop root is what is meant.
	path := strings.TrimRight(u.Path, "/")
	for _, suffix := range []string{apiPath, "/wp-json"} {
		path = strings.TrimSuffix(path, suffix)
	}
	u.Path, u.RawPath = path, ""
	cfg.BaseURL = u.String()

	switch {
	case cfg.ConsumerKey == "":
		return cfg, errors.New("the consumer key is missing: create a key under WooCommerce > Settings > Advanced > REST API")
	case cfg.ConsumerSecret == "":
		return cfg, errors.New("the consumer secret is missing: it is shown once, next to the consumer key, when the key is created")
	case strings.HasPrefix(cfg.ConsumerKey, "cs_") && strings.HasPrefix(cfg.ConsumerSecret, "ck_"):
		return cfg, errors.New("the consumer key and secret are swapped: the key starts with ck_, the secret with cs_")
	case !strings.HasPrefix(cfg.ConsumerKey, "ck_"):
		return cfg, errors.New("the consumer key should start with ck_: copy it again from WooCommerce > Settings > Advanced > REST API")
	case !strings.HasPrefix(cfg.ConsumerSecret, "cs_"):
		return cfg, errors.New("the consumer secret should start with cs_: copy it again from WooCommerce > Settings > Advanced > REST API")
	}
	return cfg, nil
}

// Client calls one WooCommerce store. It implements jobs.Store (asserted in store_test.go,
// since jobs may import this package for its registry).
type Client struct {
	cfg       Config
	configErr error
	api       *apiclient.Client
	now       func() time.Time
	pageSize  int // 100, the most WordPress serves; tests lower it to page through few orders
}

// Option changes a Client, mostly for tests.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client (e.g. an httptest TLS server's client).
func WithHTTPClient(httpClient *http.Client) Option {
	return func(c *Client) { c.api.HTTP = httpClient }
}

// WithSleep replaces the wait between retries.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.api.Sleep = sleep }
}

// WithLimiter replaces the request rate limiter.
func WithLimiter(limiter *rate.Limiter) Option {
	return func(c *Client) { c.api.Limiter = limiter }
}

// WithClock replaces the clock that dates OAuth signatures.
func WithClock(now func() time.Time) Option {
	return func(c *Client) { c.now = now }
}

// limiter paces the calls at perSecond (default 5), in bursts of twice as many.
func limiter(perSecond float64) *rate.Limiter {
	if perSecond <= 0 {
		perSecond = 5
	}
	return rate.NewLimiter(rate.Limit(perSecond), max(int(2*perSecond), 1))
}

// New returns a client for the store cfg names. An invalid cfg is reported by every call, so
// a connection saved with a typo shows the reason where it is used.
func New(cfg Config, opts ...Option) *Client {
	normalized, err := cfg.normalized()
	c := &Client{cfg: normalized, configErr: err, now: time.Now, pageSize: 100}
	c.api = &apiclient.Client{
		BaseURL: normalized.BaseURL + apiPath,
		// Core WooCommerce sets no rate limit, but stores often run on small shared hosting.
		Limiter:     limiter(normalized.RequestsPerSecond),
		Authorize:   c.authorize,
		Secrets:     []string{normalized.ConsumerKey, normalized.ConsumerSecret},
		DecodeError: decodeError,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// decodeError reads the WordPress REST error body {"code","message","data":{"status"}}.
func decodeError(status int, body []byte) (code, message string) {
	var e wireError
	if json.Unmarshal(body, &e) != nil {
		return "", ""
	}
	// WordPress escapes messages for HTML; people read them as text.
	return e.Code, html.UnescapeString(e.Message)
}

// do sends one request and turns the answers a merchant must act on into plain words.
func (c *Client) do(ctx context.Context, r apiclient.Request) (*apiclient.Response, error) {
	if c.configErr != nil {
		return nil, c.configErr
	}
	res, err := c.api.Do(ctx, r)
	// When a kept-alive connection drops after the shop did a read, Go's HTTP client sends the
	// GET again by itself, nonce and all, and WooCommerce refuses the nonce as used. A read is
	// safe to repeat: it is signed anew.
	for again := 0; again < 2 && r.Method == http.MethodGet && nonceReused(err); again++ {
		res, err = c.api.Do(ctx, r)
	}
	var apiErr *apiclient.Error
	switch apiclient.StatusOf(err) {
	case http.StatusUnauthorized:
		if errors.As(err, &apiErr) && strings.HasPrefix(apiErr.Code, "woocommerce_rest_cannot_") {
			// WooCommerce saw no credentials at all: something in front of it removed them.
			return nil, fmt.Errorf("the consumer key or secret was refused: no credentials reached WooCommerce (the web server may drop the Authorization header; see WooCommerce's REST API docs): %w", err)
		}
		return nil, fmt.Errorf("the consumer key or secret was refused (check the key under WooCommerce > Settings > Advanced > REST API, with Read/Write permissions): %w", err)
	case http.StatusForbidden:
		return nil, fmt.Errorf("the consumer key's user may not do this (give the key to a Shop manager or Administrator): %w", err)
	}
	return res, err
}

// nonceReused reports WooCommerce's refusal of an OAuth nonce it has already seen.
func nonceReused(err error) bool {
	var apiErr *apiclient.Error
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized &&
		apiErr.Code == "woocommerce_rest_authentication_error" && strings.Contains(apiErr.Message, "nonce has already been used")
}

// CheckCredentials makes one cheap authenticated call.
func (c *Client) CheckCredentials(ctx context.Context) error {
	_, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/products", Query: url.Values{"per_page": {"1"}}})
	if apiclient.StatusOf(err) == http.StatusNotFound {
		return fmt.Errorf("no WooCommerce REST API at %s%s/ (is WooCommerce active, and are pretty permalinks on?): %w", c.cfg.BaseURL, apiPath, err)
	}
	return err
}
