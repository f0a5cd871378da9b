// Package vendure connects orderhub to a Vendure 3.x store through its Admin GraphQL API: it
// reads the catalogue (product variants), creates marketplace orders as draft orders paid by a
// manual payment, and reads fulfilments back. The fake beside the client reproduces the parts
// of the API it uses for tests and the demo.
package vendure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Defaults for the optional settings.
const (
	DefaultShippingMethodCode = "standard"
	DefaultPaymentMethodCode  = "marketplace"
	DefaultFulfillmentHandler = "manual-fulfillment"
	DefaultLookbackDays       = 30
)

// Config is what a merchant enters for a Vendure store.
type Config struct {
	BaseURL  string `json:"base_url"` // the Admin API address, e.g. https://shop.example.com/admin-api
	Username string `json:"username"` // an Administrator's identifier
	Password string `json:"password"`
	// ChannelToken selects a channel other than the default one (the vendure-token header).
	ChannelToken string `json:"channel_token,omitempty"`
	// ShippingMethodCode is the shipping method set on created orders.
	ShippingMethodCode string `json:"shipping_method_code,omitempty"`
	// PaymentMethodCode names the manual payment recorded for the marketplace's payment.
	PaymentMethodCode string `json:"payment_method_code,omitempty"`
	// FulfillmentHandler is the handler code used for orders the marketplace shipped itself.
	FulfillmentHandler string `json:"fulfillment_handler,omitempty"`
	// ShippedStates are the order states that mean "shipped" (default Shipped, Delivered,
	// PartiallyDelivered), for stores with a custom order process.
	ShippedStates []string `json:"shipped_states,omitempty"`
	// LookbackDays bounds the orders re-read for new fulfilments (default 30).
	LookbackDays int `json:"lookback_days,omitempty"`
	// MarketplacePrices: the shop prices order lines with the OrderLine custom field
	// marketplaceUnitPrice (tax included, minor units) when set, through the price
	// calculation strategy orderhub documents; the lines then carry the buyer's prices.
	MarketplacePrices bool `json:"marketplace_prices,omitempty"`
}

// Validate reports the first problem a merchant has to fix, in words they can act on.
func (cfg Config) Validate() error {
	_, err := cfg.normalized()
	return err
}

func (cfg Config) normalized() (Config, error) {
	cfg.BaseURL = strings.TrimSpace(cfg.BaseURL)
	cfg.Username = strings.TrimSpace(cfg.Username)
	cfg.ChannelToken = strings.TrimSpace(cfg.ChannelToken)
	cfg.ShippingMethodCode = strings.TrimSpace(cfg.ShippingMethodCode)
	cfg.PaymentMethodCode = strings.TrimSpace(cfg.PaymentMethodCode)
	cfg.FulfillmentHandler = strings.TrimSpace(cfg.FulfillmentHandler)
	if cfg.ShippingMethodCode == "" {
		cfg.ShippingMethodCode = DefaultShippingMethodCode
	}
	if cfg.PaymentMethodCode == "" {
		cfg.PaymentMethodCode = DefaultPaymentMethodCode
	}
	if cfg.FulfillmentHandler == "" {
		cfg.FulfillmentHandler = DefaultFulfillmentHandler
	}
	if len(cfg.ShippedStates) == 0 {
		cfg.ShippedStates = []string{"Shipped", "PartiallyDelivered", "Delivered"}
	}
	if cfg.LookbackDays <= 0 {
		cfg.LookbackDays = DefaultLookbackDays
	}
	if cfg.BaseURL == "" {
		return cfg, errors.New("the Admin API address is missing: enter it as https://shop.example.com/admin-api")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, fmt.Errorf("the Admin API address %q is not a web address: enter it as https://shop.example.com/admin-api", cfg.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return cfg, fmt.Errorf("the Admin API address %q should not carry a query or fragment", cfg.BaseURL)
	}
	path := strings.TrimRight(u.Path, "/")
	switch {
	case path == "":
		// People paste the shop root; Vendure's default Admin API path is meant.
		path = "/admin-api"
	case strings.HasSuffix(path, "/shop-api"):
		return cfg, fmt.Errorf("%q is the Shop API: orderhub needs the Admin API (usually …/admin-api)", cfg.BaseURL)
	}
	u.Path, u.RawPath = path, ""
	cfg.BaseURL = u.String()
	switch {
	case cfg.Username == "":
		return cfg, errors.New("the username is missing: enter the identifier of a Vendure Administrator allowed to read products and manage orders")
	case cfg.Password == "":
		return cfg, errors.New("the password is missing: enter the password of that Administrator")
	}
	for _, state := range cfg.ShippedStates {
		if strings.TrimSpace(state) == "" {
			return cfg, errors.New("a shipped order state is empty: list Vendure order states such as Shipped, Delivered")
		}
	}
	return cfg, nil
}

// Client calls one Vendure Admin API. It implements jobs.Store (asserted in store_test.go).
type Client struct {
	cfg       Config
	configErr error
	api       *apiclient.Client
	now       func() time.Time
	pageSize  int // 100; tests lower it

	mu    sync.Mutex
	token string // the session token from login's vendure-auth-token header
}

// Option changes a Client, mostly for tests.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client.
func WithHTTPClient(httpClient *http.Client) Option {
	return func(c *Client) { c.api.HTTP = httpClient }
}

// WithSleep replaces the wait between retries.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.api.Sleep = sleep }
}

// WithLimiter replaces the request rate limiter.
func WithLimiter(limiter *rate.Limiter) Option { return func(c *Client) { c.api.Limiter = limiter } }

// WithClock replaces the clock used for the shipments window.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithPageSize sets how many items one list call reads (default 100).
func WithPageSize(n int) Option { return func(c *Client) { c.pageSize = n } }

// New returns a client for the store cfg names. An invalid cfg is reported by every call.
func New(cfg Config, opts ...Option) *Client {
	normalized, err := cfg.normalized()
	c := &Client{cfg: normalized, configErr: err, now: time.Now, pageSize: 100}
	headers := http.Header{}
	if normalized.ChannelToken != "" {
		headers.Set("vendure-token", normalized.ChannelToken)
	}
	c.api = &apiclient.Client{
		BaseURL: normalized.BaseURL,
		// Vendure sets no rate limit of its own; one Node process serves the shop too.
		Limiter:     rate.NewLimiter(10, 20),
		Headers:     headers,
		Authorize:   c.authorize,
		Secrets:     []string{normalized.Password},
		DecodeError: decodeError,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

func (c *Client) authorize(req *http.Request) {
	c.mu.Lock()
	token := c.token
	c.mu.Unlock()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
}

// decodeError reads a GraphQL error body (validation failures come with HTTP 400).
func decodeError(status int, body []byte) (code, message string) {
	var res gqlResponse
	if json.Unmarshal(body, &res) != nil || len(res.Errors) == 0 {
		return "", ""
	}
	return res.Errors[0].Extensions.Code, res.Errors[0].Message
}

// query runs a read: retried after failures, since repeating it changes nothing.
func (c *Client) query(ctx context.Context, document string, variables map[string]any, out any) error {
	return c.graphql(ctx, document, variables, out, true)
}

// mutate runs a write: never repeated after it may have reached the store.
func (c *Client) mutate(ctx context.Context, document string, variables map[string]any, out any) error {
	return c.graphql(ctx, document, variables, out, false)
}

// graphql logs in when there is no session yet, sends the operation, and logs in again once
// when the session was refused (expired, revoked, or the server restarted): Vendure answers
// FORBIDDEN for those, and nothing was done.
func (c *Client) graphql(ctx context.Context, document string, variables map[string]any, out any, safe bool) error {
	if c.configErr != nil {
		return c.configErr
	}
	for attempt := 0; ; attempt++ {
		c.mu.Lock()
		token := c.token
		c.mu.Unlock()
		if token == "" {
			if err := c.login(ctx); err != nil {
				return err
			}
		}
		res, err := c.send(ctx, document, variables, safe)
		if err != nil {
			return err
		}
		if len(res.Errors) > 0 {
			first := res.Errors[0]
			if first.Extensions.Code == "FORBIDDEN" && attempt == 0 {
				c.mu.Lock()
				if c.token == token {
					c.token = ""
				}
				c.mu.Unlock()
				continue
			}
			return c.graphqlError(first)
		}
		if out != nil {
			if err := json.Unmarshal(res.Data, out); err != nil {
				return &apiclient.Error{Method: http.MethodPost, URL: c.cfg.BaseURL, Status: http.StatusOK, Message: "the answer could not be read: " + err.Error()}
			}
		}
		return nil
	}
}

func (c *Client) send(ctx context.Context, document string, variables map[string]any, safe bool) (*gqlResponse, error) {
	var res gqlResponse
	httpRes, err := c.api.Do(ctx, apiclient.Request{
		Method: http.MethodPost,
		Body:   gqlRequest{Query: document, Variables: variables},
		Out:    &res,
		Retry:  apiclient.Bool(safe),
	})
	if err != nil {
		return nil, c.explain(err)
	}
	res.header = httpRes.Header
	return &res, nil
}

// graphqlError turns a GraphQL error into an API error: an internal server error may pass,
// anything else (forbidden, bad input) will not change by retrying.
func (c *Client) graphqlError(e gqlError) error {
	status := http.StatusOK
	if e.Extensions.Code == "INTERNAL_SERVER_ERROR" {
		status = http.StatusInternalServerError
	}
	err := &apiclient.Error{Method: http.MethodPost, URL: c.cfg.BaseURL, Status: status, Code: e.Extensions.Code, Message: e.Message}
	switch e.Extensions.Code {
	case "FORBIDDEN":
		return fmt.Errorf("the Vendure administrator %q may not do this (give its role the order and catalogue permissions on the channel): %w", c.cfg.Username, err)
	case "CHANNEL_NOT_FOUND":
		return fmt.Errorf("the channel token was refused (copy it from Settings > Channels, or leave it empty for the default channel): %w", err)
	}
	return err
}

func (c *Client) explain(err error) error {
	if apiclient.StatusOf(err) == http.StatusNotFound {
		return fmt.Errorf("no Vendure Admin API at %s (check the address; it usually ends in /admin-api): %w", c.cfg.BaseURL, err)
	}
	return err
}

const loginMutation = `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ ... on CurrentUser{ id identifier } ... on ErrorResult{ errorCode message } } }`

// login opens a session; Vendure sends its token in the vendure-auth-token header.
func (c *Client) login(ctx context.Context) error {
	res, err := c.send(ctx, loginMutation, map[string]any{"u": c.cfg.Username, "p": c.cfg.Password}, true)
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		return c.graphqlError(res.Errors[0])
	}
	var data struct {
		Login struct {
			ID string `json:"id"`
			errorResult
		} `json:"login"`
	}
	if err := json.Unmarshal(res.Data, &data); err != nil {
		return &apiclient.Error{Method: http.MethodPost, URL: c.cfg.BaseURL, Status: http.StatusOK, Message: "the login answer could not be read: " + err.Error()}
	}
	if data.Login.ErrorCode != "" {
		return fmt.Errorf("the username or password was refused (check the Administrator under Settings > Administrators): %w", data.Login.apiError(c.cfg.BaseURL))
	}
	token := res.header.Get("vendure-auth-token")
	if token == "" {
		return &apiclient.Error{Method: http.MethodPost, URL: c.cfg.BaseURL, Status: http.StatusOK,
			Message: "Vendure answered the login without a vendure-auth-token header: set authOptions.tokenMethod to include 'bearer'"}
	}
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
	return nil
}

// CheckCredentials logs in and reads one product variant.
func (c *Client) CheckCredentials(ctx context.Context) error {
	if c.configErr != nil {
		return c.configErr
	}
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
	return c.query(ctx, `query{ productVariants(options:{ take:1 }){ totalItems } }`, nil, nil)
}
