// Package shopify connects orderhub to a Shopify store through the Admin GraphQL API: it reads
// the catalogue (product variants by SKU), creates marketplace orders with orderCreate, reads
// fulfilments back and cancels orders. The fake beside the client reproduces the API for tests
// and the demo.
package shopify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// DefaultAPIVersion is the Admin API version the client is written against.
const DefaultAPIVersion = "2025-01"

// Inventory behaviours orderCreate accepts (OrderCreateInputsInventoryBehavior).
const (
	InventoryDecrementObeyingPolicy  = "DECREMENT_OBEYING_POLICY"
	InventoryBypass                  = "BYPASS"
	InventoryDecrementIgnoringPolicy = "DECREMENT_IGNORING_POLICY"
)

// defaultShippedStatus is the displayFulfillmentStatus that counts as shipped by default.
const defaultShippedStatus = "FULFILLED"

// fulfillmentStatuses are the values of Order.displayFulfillmentStatus.
var fulfillmentStatuses = []string{"FULFILLED", "IN_PROGRESS", "ON_HOLD", "OPEN", "PARTIALLY_FULFILLED",
	"PENDING_FULFILLMENT", "REQUEST_DECLINED", "RESTOCKED", "SCHEDULED", "UNFULFILLED"}

// Config is what a merchant enters for a Shopify store.
type Config struct {
	// ShopDomain is the shop's permanent domain, e.g. my-shop.myshopify.com (or just my-shop).
	ShopDomain string `json:"shop_domain"`
	// BaseURL replaces https://<shop_domain> (tests, proxies).
	BaseURL     string `json:"base_url"`
	AccessToken string `json:"access_token"`
	APIVersion  string `json:"api_version"` // default DefaultAPIVersion
	// InventoryBehaviour is what orderCreate does with stock: DECREMENT_OBEYING_POLICY (the
	// default: take stock, refuse what is not in stock), BYPASS, DECREMENT_IGNORING_POLICY.
	InventoryBehaviour string `json:"inventory_behaviour"`
	// ShippedStatuses are the displayFulfillmentStatus values that count as shipped
	// (default FULFILLED; PARTIALLY_FULFILLED may be added).
	ShippedStatuses []string `json:"shipped_statuses"`
	// WebhookSecret is the app's API secret key, which signs the webhooks the shop sends
	// (fulfilments reach orderhub at once; the poll stays as the safety net).
	WebhookSecret string `json:"webhook_secret"`
}

var (
	shopNamePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	apiVersionPattern = regexp.MustCompile(`^(\d{4}-(01|04|07|10)|unstable)$`)
)

// Validate reports the first problem a merchant has to fix, in words they can act on.
func (cfg Config) Validate() error {
	_, err := cfg.normalized()
	return err
}

func (cfg Config) normalized() (Config, error) {
	cfg.ShopDomain = strings.ToLower(strings.TrimSpace(cfg.ShopDomain))
	cfg.BaseURL = strings.TrimSpace(cfg.BaseURL)
	cfg.AccessToken = strings.TrimSpace(cfg.AccessToken)
	cfg.APIVersion = strings.TrimSpace(cfg.APIVersion)
	cfg.InventoryBehaviour = strings.ToUpper(strings.TrimSpace(cfg.InventoryBehaviour))
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	if cfg.InventoryBehaviour == "" {
		cfg.InventoryBehaviour = InventoryDecrementObeyingPolicy
	}
	cfg.ShippedStatuses = append([]string(nil), cfg.ShippedStatuses...)
	if len(cfg.ShippedStatuses) == 0 {
		cfg.ShippedStatuses = []string{defaultShippedStatus}
	}
	switch {
	case cfg.BaseURL != "":
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return cfg, fmt.Errorf("the store address %q is not a web address: enter it as https://my-shop.myshopify.com", cfg.BaseURL)
		}
		// People paste the admin or API address; the shop root is what is meant.
		if i := strings.Index(u.Path, "/admin"); i >= 0 {
			u.Path = u.Path[:i]
		}
		u.Path, u.RawPath, u.RawQuery, u.Fragment = strings.TrimRight(u.Path, "/"), "", "", ""
		cfg.BaseURL = u.String()
	case cfg.ShopDomain != "":
		domain := strings.TrimPrefix(strings.TrimPrefix(cfg.ShopDomain, "https://"), "http://")
		domain, _, _ = strings.Cut(domain, "/")
		name := strings.TrimSuffix(domain, ".myshopify.com")
		if !shopNamePattern.MatchString(name) {
			return cfg, fmt.Errorf("the shop domain %q is not a myshopify.com domain: enter it as my-shop.myshopify.com (Settings > Domains shows it)", cfg.ShopDomain)
		}
		cfg.ShopDomain = name + ".myshopify.com"
		cfg.BaseURL = "https://" + cfg.ShopDomain
	default:
		return cfg, errors.New("the shop domain is missing: enter it as my-shop.myshopify.com (Settings > Domains shows it)")
	}
	if !apiVersionPattern.MatchString(cfg.APIVersion) {
		return cfg, fmt.Errorf("the API version %q is not a Shopify version: use one such as %s", cfg.APIVersion, DefaultAPIVersion)
	}
	switch {
	case cfg.AccessToken == "":
		return cfg, errors.New("the access token is missing: install a custom app (Settings > Apps and sales channels > Develop apps) and copy its Admin API access token")
	case strings.HasPrefix(cfg.AccessToken, "shpss_"):
		return cfg, errors.New("this is the app's API secret key, not its access token: copy the Admin API access token (it starts with shpat_)")
	case strings.ContainsAny(cfg.AccessToken, " \t\r\n"):
		return cfg, errors.New("the access token contains spaces: copy it again in one piece")
	}
	switch cfg.InventoryBehaviour {
	case InventoryDecrementObeyingPolicy, InventoryBypass, InventoryDecrementIgnoringPolicy:
	default:
		return cfg, fmt.Errorf("the inventory behaviour %q is unknown: use %s, %s or %s", cfg.InventoryBehaviour,
			InventoryDecrementObeyingPolicy, InventoryBypass, InventoryDecrementIgnoringPolicy)
	}
	for i, status := range cfg.ShippedStatuses {
		status = strings.ToUpper(strings.TrimSpace(status))
		if !contains(fulfillmentStatuses, status) {
			return cfg, fmt.Errorf("the shipped status %q is not a Shopify fulfilment status: use one of %s", status, strings.Join(fulfillmentStatuses, ", "))
		}
		cfg.ShippedStatuses[i] = status
	}
	return cfg, nil
}

// Client calls one Shopify store. It implements jobs.Store (asserted in store_test.go).
type Client struct {
	cfg       Config
	configErr error
	api       *apiclient.Client
	sleep     func(ctx context.Context, d time.Duration) error
	pageSize  int // 100; tests lower it
	// throttleRetries is how often a THROTTLED answer is waited out before giving up.
	throttleRetries int
}

// Option changes a Client, mostly for tests.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client.
func WithHTTPClient(httpClient *http.Client) Option {
	return func(c *Client) { c.api.HTTP = httpClient }
}

// WithSleep replaces the wait between retries (HTTP retries and THROTTLED waits).
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.api.Sleep, c.sleep = sleep, sleep }
}

// WithLimiter replaces the request rate limiter.
func WithLimiter(limiter *rate.Limiter) Option {
	return func(c *Client) { c.api.Limiter = limiter }
}

// WithPageSize sets how many items a page asks for.
func WithPageSize(n int) Option {
	return func(c *Client) { c.pageSize = n }
}

// New returns a client for the store cfg names. An invalid cfg is reported by every call.
func New(cfg Config, opts ...Option) *Client {
	normalized, err := cfg.normalized()
	c := &Client{cfg: normalized, configErr: err, pageSize: 100, throttleRetries: 5}
	c.api = &apiclient.Client{
		BaseURL: normalized.BaseURL + "/admin/api/" + normalized.APIVersion,
		// GraphQL cost is the real limit (handled in graphql); this keeps bursts polite.
		Limiter: rate.NewLimiter(4, 8),
		Authorize: func(r *http.Request) {
			r.Header.Set("X-Shopify-Access-Token", normalized.AccessToken)
		},
		Secrets:     []string{normalized.AccessToken},
		DecodeError: decodeError,
	}
	c.sleep = sleepCtx
	for _, opt := range opts {
		opt(c)
	}
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// decodeError reads Shopify's HTTP error bodies: {"errors":"text"} or {"errors":{...}}.
func decodeError(status int, body []byte) (code, message string) {
	var e struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Errors) == 0 {
		return "", ""
	}
	var text string
	if json.Unmarshal(e.Errors, &text) == nil {
		return "", text
	}
	return "", string(e.Errors)
}

// graphql sends one GraphQL operation and decodes data into out. Queries are safe to repeat;
// mutations are not retried after they may have reached the shop. A THROTTLED answer did
// nothing, so it is waited out (as long as the bucket needs to refill) and sent again.
func (c *Client) graphql(ctx context.Context, operation, document string, variables map[string]any, mutation bool, out any) error {
	if c.configErr != nil {
		return c.configErr
	}
	body := wireRequest{Query: document, OperationName: operation, Variables: variables}
	for attempt := 0; ; attempt++ {
		var res wireResponse
		_, err := c.api.Do(ctx, apiclient.Request{
			Method: http.MethodPost,
			Path:   "/graphql.json",
			Body:   body,
			Out:    &res,
			Retry:  apiclient.Bool(!mutation),
		})
		if err != nil {
			return c.explain(err)
		}
		if wait, throttled := res.throttleWait(); throttled {
			apiErr := &apiclient.Error{Method: http.MethodPost, URL: c.api.BaseURL + "/graphql.json", Status: http.StatusTooManyRequests,
				Code: "THROTTLED", Message: "Shopify's query cost budget is used up", RetryAfter: wait}
			if attempt >= c.throttleRetries || wait > 30*time.Second {
				return apiErr
			}
			if err := c.sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		if len(res.Errors) > 0 {
			return res.errorsAsAPIError(c.api.BaseURL + "/graphql.json")
		}
		if out != nil {
			if err := json.Unmarshal(res.Data, out); err != nil {
				return &apiclient.Error{Method: http.MethodPost, URL: c.api.BaseURL + "/graphql.json", Status: http.StatusOK,
					Message: "the answer to " + operation + " could not be read: " + err.Error()}
			}
		}
		return nil
	}
}

// explain turns the HTTP answers a merchant must act on into plain words.
func (c *Client) explain(err error) error {
	switch apiclient.StatusOf(err) {
	case http.StatusUnauthorized:
		return fmt.Errorf("the access token was refused (copy the Admin API access token of the custom app again, or reinstall the app): %w", err)
	case http.StatusForbidden:
		return fmt.Errorf("the app may not do this (grant it the read_products, write_orders and read_fulfillments scopes): %w", err)
	case http.StatusNotFound:
		return fmt.Errorf("no Shopify Admin API at %s (check the shop domain and the API version %s): %w", c.cfg.BaseURL, c.cfg.APIVersion, err)
	case http.StatusPaymentRequired:
		return fmt.Errorf("the shop is frozen or paused (its Shopify plan is unpaid): %w", err)
	}
	return err
}

// CheckCredentials makes one cheap authenticated call.
func (c *Client) CheckCredentials(ctx context.Context) error {
	var out struct {
		Shop struct {
			Name string `json:"name"`
		} `json:"shop"`
	}
	return c.graphql(ctx, "ShopCheck", queryShopCheck, nil, false, &out)
}

// throttleWait reads a THROTTLED answer: how long until the bucket holds what the query costs.
func (r wireResponse) throttleWait() (time.Duration, bool) {
	throttled := false
	for _, e := range r.Errors {
		if e.Extensions.Code == "THROTTLED" {
			throttled = true
		}
	}
	if !throttled {
		return 0, false
	}
	wait := time.Second
	if cost := r.Extensions.Cost; cost != nil && cost.ThrottleStatus.RestoreRate > 0 {
		missing := cost.RequestedQueryCost - cost.ThrottleStatus.CurrentlyAvailable
		if missing > 0 {
			wait = time.Duration(math.Ceil(missing/cost.ThrottleStatus.RestoreRate*1000)) * time.Millisecond
		}
	}
	return wait, true
}

// errorsAsAPIError reports top-level GraphQL errors (invalid variables, access denied, ...):
// the request was refused as it stands, so it is permanent, except an internal error.
func (r wireResponse) errorsAsAPIError(url string) error {
	messages := make([]string, 0, len(r.Errors))
	code := ""
	for _, e := range r.Errors {
		messages = append(messages, e.Message)
		if code == "" {
			code = e.Extensions.Code
		}
	}
	status := http.StatusUnprocessableEntity
	if code == "INTERNAL_SERVER_ERROR" {
		status = http.StatusBadGateway
	}
	if code == "ACCESS_DENIED" {
		status = http.StatusForbidden
	}
	return &apiclient.Error{Method: http.MethodPost, URL: url, Status: status, Code: code, Message: strings.Join(messages, "; ")}
}

func contains(values []string, value string) bool {
	for _, v := range values {
		if v == value {
			return true
		}
	}
	return false
}
