// Package magento connects orderhub to a Magento 2 / Adobe Commerce store through its REST
// API: it reads the catalogue (with MSI salable quantities where the store runs MSI), places
// marketplace orders through the guest-cart checkout, corrects them to the marketplace's
// prices, and reads shipments and tracks back. The fake beside the client reproduces the API
// for tests and the demo.
package magento

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Defaults of the optional settings.
const (
	defaultStoreCode      = "default"
	defaultCarrierCode    = "flatrate"
	defaultMethodCode     = "flatrate"
	defaultPaymentMethod  = "checkmo"
	defaultStockID        = 1
	defaultTrackingWindow = 7 * 24 * time.Hour
)

// Config is what a merchant enters for a Magento store. The registry merges settings and
// credentials into one JSON object.
type Config struct {
	BaseURL     string `json:"base_url"`     // the store root, e.g. https://shop.example.com
	AccessToken string `json:"access_token"` // System > Extensions > Integrations > Access Token
	StoreCode   string `json:"store_code"`   // the store view orders are placed in ("default")
	// The checkout orderhub goes through: a carrier and method the store offers for every
	// country the marketplace ships to (flat rate by default; the amount is replaced by the
	// marketplace's), and an offline payment method (Check / Money order by default).
	ShippingCarrierCode string `json:"shipping_carrier_code"`
	ShippingMethodCode  string `json:"shipping_method_code"`
	PaymentMethod       string `json:"payment_method"`
	// StockID is the MSI stock whose salable quantity is read (1, the default stock).
	StockID int `json:"stock_id"`
	// ShippedStatuses are order statuses that mean shipped besides the state complete, which
	// always does: Magento lets merchants add statuses ("shipped" under state processing, say).
	ShippedStatuses stringList `json:"shipped_statuses"`
	// CarrierURLs maps a track's carrier_code (or, for "custom", its title) to a tracking page
	// with {tracking} where the number goes: Magento stores no tracking URL.
	CarrierURLs map[string]string `json:"carrier_urls"`
}

// stringList reads a JSON list of strings or one comma-separated string, as a settings form
// may save it.
type stringList []string

func (l *stringList) UnmarshalJSON(data []byte) error {
	var list []string
	if err := json.Unmarshal(data, &list); err == nil {
		*l = list
		return nil
	}
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return fmt.Errorf("expected a list of statuses: %w", err)
	}
	*l = nil
	for _, part := range strings.Split(text, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// Validate reports the first problem a merchant has to fix, in words they can act on.
func (cfg Config) Validate() error {
	_, err := cfg.normalized()
	return err
}

// normalized trims what people paste by accident, fills defaults and checks the rest.
func (cfg Config) normalized() (Config, error) {
	cfg.BaseURL = strings.TrimSpace(cfg.BaseURL)
	cfg.AccessToken = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(cfg.AccessToken), "Bearer "))
	cfg.StoreCode = strings.TrimSpace(cfg.StoreCode)
	if cfg.StoreCode == "" {
		cfg.StoreCode = defaultStoreCode
	}
	cfg.ShippingCarrierCode = firstNonEmpty(strings.TrimSpace(cfg.ShippingCarrierCode), defaultCarrierCode)
	cfg.ShippingMethodCode = firstNonEmpty(strings.TrimSpace(cfg.ShippingMethodCode), defaultMethodCode)
	cfg.PaymentMethod = firstNonEmpty(strings.TrimSpace(cfg.PaymentMethod), defaultPaymentMethod)
	if cfg.StockID == 0 {
		cfg.StockID = defaultStockID
	}
	var statuses stringList
	for _, status := range cfg.ShippedStatuses {
		if status = strings.ToLower(strings.TrimSpace(status)); status != "" {
			statuses = append(statuses, status)
		}
	}
	cfg.ShippedStatuses = statuses

	if cfg.BaseURL == "" {
		return cfg, errors.New("the store address is missing: enter the store's root URL, e.g. https://shop.example.com")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, fmt.Errorf("the store address %q is not a web address: enter it as https://shop.example.com", cfg.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return cfg, fmt.Errorf("the store address %q should not carry a query or fragment: enter the store's root URL only", cfg.BaseURL)
	}
	// People often paste the REST address itself (…/rest/default/V1); the root is what is meant.
	path := strings.TrimRight(u.Path, "/")
	if i := strings.Index(path, "/rest"); i >= 0 && (len(path) == i+5 || path[i+5] == '/') {
		path = path[:i]
	}
	path = strings.TrimSuffix(path, "/index.php")
	u.Path, u.RawPath = path, ""
	cfg.BaseURL = u.String()

	switch {
	case cfg.AccessToken == "":
		return cfg, errors.New("the access token is missing: activate an integration under System > Extensions > Integrations and copy its Access Token")
	case strings.ContainsAny(cfg.AccessToken, " \t\r\n"):
		return cfg, errors.New("the access token contains spaces: copy the Access Token alone, not the consumer key or secret beside it")
	case strings.ContainsAny(cfg.StoreCode, "/?# "):
		return cfg, fmt.Errorf("the store view code %q is not a code: use the code shown under Stores > All Stores, e.g. default", cfg.StoreCode)
	case cfg.StockID < 0:
		return cfg, fmt.Errorf("the stock id %d is not valid: use 1 for the default stock, or the id under Stores > Inventory > Stocks", cfg.StockID)
	}
	for carrier, template := range cfg.CarrierURLs {
		if !strings.Contains(template, "{tracking}") {
			return cfg, fmt.Errorf("the tracking URL for carrier %q has no {tracking}: write where the tracking number goes, e.g. https://carrier.example/track?n={tracking}", carrier)
		}
	}
	return cfg, nil
}

// Client calls one Magento store view. It implements jobs.Store (asserted in store_test.go).
type Client struct {
	cfg       Config
	configErr error
	api       *apiclient.Client
	now       func() time.Time
	pageSize  int
	// msi remembers whether the store answers the salable-quantity route (MSI on): 0 unknown,
	// 1 yes, -1 no.
	msi int
	// trackingWindow is how long an order completed without a track is watched for one.
	trackingWindow time.Duration
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
func WithLimiter(limiter *rate.Limiter) Option {
	return func(c *Client) { c.api.Limiter = limiter }
}

// WithClock replaces the clock used when the store sends no Date header.
func WithClock(now func() time.Time) Option {
	return func(c *Client) { c.now = now }
}

// WithPageSize changes how many entities one list call asks for (100 by default).
func WithPageSize(size int) Option {
	return func(c *Client) { c.pageSize = size }
}

// New returns a client for the store cfg names. An invalid cfg is reported by every call.
func New(cfg Config, opts ...Option) *Client {
	normalized, err := cfg.normalized()
	c := &Client{cfg: normalized, configErr: err, now: time.Now, pageSize: 100, trackingWindow: defaultTrackingWindow}
	c.api = &apiclient.Client{
		BaseURL: normalized.BaseURL + "/rest/" + url.PathEscape(normalized.StoreCode) + "/V1",
		// Open-source Magento sets no REST rate limit; a CDN or Adobe Commerce Cloud may
		// answer 429, which apiclient honours.
		Limiter:     rate.NewLimiter(5, 10),
		Authorize:   func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+normalized.AccessToken) },
		Secrets:     []string{normalized.AccessToken},
		DecodeError: decodeError,
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// decodeError reads Magento's {"message":"…","parameters":…} body and fills its
// placeholders: %1, %2… from a list, %name from an object.
func decodeError(status int, body []byte) (code, message string) {
	var e wireError
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		return "", ""
	}
	return "", fillPlaceholders(e.Message, e.Parameters)
}

func fillPlaceholders(message string, parameters json.RawMessage) string {
	var list []any
	if json.Unmarshal(parameters, &list) == nil {
		// From the highest index down, so %1 does not eat the start of %10.
		for i := len(list); i >= 1; i-- {
			message = strings.ReplaceAll(message, fmt.Sprintf("%%%d", i), fmt.Sprint(list[i-1]))
		}
		return message
	}
	var named map[string]any
	if json.Unmarshal(parameters, &named) == nil {
		for name, value := range named {
			message = strings.ReplaceAll(message, "%"+name, fmt.Sprint(value))
		}
	}
	return message
}

// do sends one request and turns the answers a merchant must act on into plain words.
func (c *Client) do(ctx context.Context, r apiclient.Request) (*apiclient.Response, error) {
	if c.configErr != nil {
		return nil, c.configErr
	}
	res, err := c.api.Do(ctx, r)
	switch apiclient.StatusOf(err) {
	case http.StatusUnauthorized:
		return nil, fmt.Errorf("the access token was refused (check the integration is active and its API resources include Catalog, Sales and Carts; since Magento 2.4.4 also enable Stores > Configuration > Services > OAuth > Allow OAuth Access Tokens to be used as standalone Bearer tokens): %w", err)
	case http.StatusForbidden:
		return nil, fmt.Errorf("the integration may not do this (grant it the resource named in the message): %w", err)
	}
	return res, err
}

// CheckCredentials makes one cheap authenticated call.
func (c *Client) CheckCredentials(ctx context.Context) error {
	query := searchCriteria{PageSize: 1, CurrentPage: 1}.values()
	_, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/products", Query: query})
	if apiclient.StatusOf(err) == http.StatusNotFound {
		return fmt.Errorf("no Magento REST API at %s (check the address and the store view code %q): %w", c.api.BaseURL, c.cfg.StoreCode, err)
	}
	return err
}

// serverTime is the store's clock from the Date header, or the client's.
func (c *Client) serverTime(res *apiclient.Response) time.Time {
	if res != nil {
		if at, err := http.ParseTime(res.Header.Get("Date")); err == nil {
			return at.UTC()
		}
	}
	return c.now().UTC()
}

func firstNonEmpty(values ...string) string {
	for _, value := range values {
		if value != "" {
			return value
		}
	}
	return ""
}
