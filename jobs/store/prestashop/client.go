// Package prestashop connects orderhub to a PrestaShop 1.7/8 store through its webservice
// (/api/): it reads the catalogue, creates marketplace orders through the customer → address
// → cart → order chain, and reads shipments back. Reads ask for JSON (output_format=JSON);
// writes send XML, the only input format the webservice parses. The fake beside the client
// reproduces the webservice for tests and the demo.
package prestashop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// apiPath is the webservice gateway under the shop root.
const apiPath = "/api"

// Default order state ids of a PrestaShop installation (order_states): merchants who renamed
// or added states set their own in Config.
const (
	stateShipped   = 4
	stateDelivered = 5
	stateCanceled  = 6
)

// Config is what a merchant enters for a PrestaShop store.
type Config struct {
	BaseURL       string `json:"base_url"`       // the shop root, e.g. https://shop.example.com
	WebserviceKey string `json:"webservice_key"` // Advanced Parameters > Webservice, 32 characters
	// CarrierID is the carrier orders are created with. Choose a free one: PrestaShop adds the
	// carrier's own price to the order, and an order whose posted total differs from the cart
	// lands in "Payment error".
	CarrierID int64 `json:"carrier_id"`
	// PaymentModule is an installed payment module's technical name; PrestaShop validates the
	// order through it (default ps_wirepayment, installed with every shop).
	PaymentModule string `json:"payment_module,omitempty"`
	LanguageID    int64  `json:"language_id,omitempty"` // default 1
	// ShippedStates are the order_states ids that mean shipped (default 4 Shipped, 5 Delivered).
	ShippedStates []int64 `json:"shipped_states,omitempty"`
	// CancelledStates mean cancelled (default 6 Canceled); the first is the one CancelOrder sets.
	CancelledStates []int64 `json:"cancelled_states,omitempty"`
	// FulfilledState is set on orders the marketplace shipped itself (default 5 Delivered).
	FulfilledState int64 `json:"fulfilled_state,omitempty"`
	// TimeZone is the shop's (International > Localization): PrestaShop writes dates in it,
	// without a zone. Default UTC.
	TimeZone string `json:"time_zone,omitempty"`
}

// Validate reports the first problem a merchant has to fix, in words they can act on.
func (cfg Config) Validate() error {
	_, _, err := cfg.normalized()
	return err
}

// normalized trims what people paste by accident, fills the defaults and checks the rest.
func (cfg Config) normalized() (Config, *time.Location, error) {
	cfg.BaseURL = strings.TrimSpace(cfg.BaseURL)
	cfg.WebserviceKey = strings.TrimSpace(cfg.WebserviceKey)
	cfg.PaymentModule = strings.TrimSpace(cfg.PaymentModule)
	if cfg.PaymentModule == "" {
		cfg.PaymentModule = "ps_wirepayment"
	}
	if cfg.LanguageID == 0 {
		cfg.LanguageID = 1
	}
	if len(cfg.ShippedStates) == 0 {
		cfg.ShippedStates = []int64{stateShipped, stateDelivered}
	}
	if len(cfg.CancelledStates) == 0 {
		cfg.CancelledStates = []int64{stateCanceled}
	}
	if cfg.FulfilledState == 0 {
		cfg.FulfilledState = stateDelivered
	}
	if cfg.BaseURL == "" {
		return cfg, nil, errors.New("the store address is missing: enter the shop's root URL, e.g. https://shop.example.com")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, nil, fmt.Errorf("the store address %q is not a web address: enter it as https://shop.example.com", cfg.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return cfg, nil, fmt.Errorf("the store address %q should not carry a query or fragment: enter the shop's root URL only", cfg.BaseURL)
	}
	// People often paste the webservice address itself; the shop root is what is meant.
	u.Path, u.RawPath = strings.TrimSuffix(strings.TrimRight(u.Path, "/"), apiPath), ""
	cfg.BaseURL = u.String()

	switch {
	case cfg.WebserviceKey == "":
		return cfg, nil, errors.New("the webservice key is missing: create one under Advanced Parameters > Webservice")
	case len(cfg.WebserviceKey) != 32 || strings.Trim(cfg.WebserviceKey, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != "":
		return cfg, nil, errors.New("the webservice key should be 32 letters and digits: copy it again from Advanced Parameters > Webservice")
	case cfg.CarrierID <= 0:
		return cfg, nil, errors.New("the carrier is missing: enter the id of a free carrier (Shipping > Carriers) that orders are created with")
	}
	for _, states := range [][]int64{cfg.ShippedStates, cfg.CancelledStates, {cfg.FulfilledState}} {
		for _, id := range states {
			if id <= 0 {
				return cfg, nil, fmt.Errorf("order state id %d is not valid: use the ids shown under Orders > Statuses", id)
			}
		}
	}
	location := time.UTC
	if cfg.TimeZone != "" {
		if location, err = time.LoadLocation(cfg.TimeZone); err != nil {
			return cfg, nil, fmt.Errorf("the time zone %q is unknown: use the shop's zone as International > Localization shows it, e.g. Europe/Paris", cfg.TimeZone)
		}
	}
	return cfg, location, nil
}

// Client calls one PrestaShop webservice. It implements jobs.Store (asserted in
// store_test.go, since jobs may import this package for its registry).
type Client struct {
	cfg       Config
	configErr error
	location  *time.Location
	api       *apiclient.Client
	pageSize  int // 100; tests lower it to page through few items
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

// WithPageSize changes how many items one list call asks for.
func WithPageSize(n int) Option {
	return func(c *Client) { c.pageSize = n }
}

// New returns a client for the store cfg names. An invalid cfg is reported by every call, so
// a connection saved with a typo shows the reason where it is used.
func New(cfg Config, opts ...Option) *Client {
	normalized, location, err := cfg.normalized()
	if location == nil {
		location = time.UTC
	}
	c := &Client{cfg: normalized, configErr: err, location: location, pageSize: 100}
	c.api = &apiclient.Client{
		BaseURL: normalized.BaseURL + apiPath,
		// PrestaShop sets no rate limit, but every call runs the whole shop's PHP stack.
		Limiter:     rate.NewLimiter(5, 10),
		Authorize:   c.prepare,
		Secrets:     []string{normalized.WebserviceKey},
		DecodeError: decodeError,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// prepare adds the key as the Basic user with an empty password, as the webservice asks, and
// turns a write's body into the XML the webservice parses: apiclient encodes bodies as JSON,
// so writes hand it their XML as one JSON string (see xmlBody), unwrapped here.
func (c *Client) prepare(req *http.Request) {
	req.SetBasicAuth(c.cfg.WebserviceKey, "")
	if req.Body == nil || req.Body == http.NoBody || req.ContentLength == 0 {
		return
	}
	encoded, err := io.ReadAll(req.Body)
	req.Body.Close()
	var document string
	if err != nil || json.Unmarshal(encoded, &document) != nil {
		document = string(encoded)
	}
	req.Body = io.NopCloser(strings.NewReader(document))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(document)), nil }
	req.ContentLength = int64(len(document))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
}

// decodeError reads the webservice's error list, JSON or XML; several errors are joined.
func decodeError(status int, body []byte) (code, message string) {
	var e wireErrors
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '<' {
		var x xmlErrors
		if xmlUnmarshal(trimmed, &x) != nil {
			return "", ""
		}
		e.Errors = x.Errors
	} else if json.Unmarshal(trimmed, &e) != nil {
		return "", ""
	}
	var codes, messages []string
	for _, item := range e.Errors {
		codes = append(codes, item.Code.String())
		messages = append(messages, strings.TrimSpace(item.Message))
	}
	return strings.Join(codes, ","), strings.Join(messages, "; ")
}

// do sends one request, asking for JSON, and turns the answers a merchant must act on into
// plain words.
func (c *Client) do(ctx context.Context, r apiclient.Request) (*apiclient.Response, error) {
	if c.configErr != nil {
		return nil, c.configErr
	}
	if r.Query == nil {
		r.Query = url.Values{}
	}
	r.Query.Set("output_format", "JSON")
	res, err := c.api.Do(ctx, r)
	switch apiclient.StatusOf(err) {
	case http.StatusUnauthorized:
		var apiErr *apiclient.Error
		if errors.As(err, &apiErr) && apiErr.Code == "26" {
			return nil, fmt.Errorf("the webservice key may not use this resource (tick it for the key under Advanced Parameters > Webservice): %w", err)
		}
		return nil, fmt.Errorf("the webservice key was refused (check it, and that it is enabled, under Advanced Parameters > Webservice): %w", err)
	case http.StatusForbidden:
		return nil, fmt.Errorf("the webservice key may not be used on this shop (multistore: tick the shop for the key): %w", err)
	case http.StatusMethodNotAllowed:
		return nil, fmt.Errorf("the webservice key lacks a permission (tick GET/POST/PUT for the resource under Advanced Parameters > Webservice): %w", err)
	case http.StatusServiceUnavailable:
		var apiErr *apiclient.Error
		if errors.As(err, &apiErr) && apiErr.Code == "22" {
			return nil, fmt.Errorf("the webservice is disabled (enable it under Advanced Parameters > Webservice): %w", err)
		}
	}
	return res, err
}

// CheckCredentials makes one cheap authenticated call, then checks the carrier exists.
func (c *Client) CheckCredentials(ctx context.Context) error {
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/products", Query: url.Values{"limit": {"1"}}}); err != nil {
		if apiclient.StatusOf(err) == http.StatusNotFound {
			return fmt.Errorf("no PrestaShop webservice at %s%s/ (is the webservice enabled, and URL rewriting on?): %w", c.cfg.BaseURL, apiPath, err)
		}
		return err
	}
	if _, err := c.carrier(ctx, c.cfg.CarrierID); err != nil {
		if apiclient.StatusOf(err) == http.StatusNotFound {
			return fmt.Errorf("carrier %d does not exist in PrestaShop: enter the id of a carrier under Shipping > Carriers: %w", c.cfg.CarrierID, err)
		}
		return err
	}
	return nil
}
