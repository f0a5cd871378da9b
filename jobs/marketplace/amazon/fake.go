package amazon

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fake is a stateful stand-in for one seller account on the Selling Partner API, written from
// the API models: the Login with Amazon token exchange, Orders 2026-01-01 searchOrders and
// getOrder (includedData blocks, pagination tokens, the 2-minute rule on the *Before dates)
// and v0 confirmShipment (its required fields, ISO 8601 shipDate, package references unique
// within an order, 204 empty answers). Each operation is throttled with its documented token
// bucket, answering 429 QuotaExceeded beyond it. Orders are kept as the JSON documents the
// API returns, so the spec's sample orders can be loaded as they are.
type Fake struct {
	mu            sync.Mutex
	clientID      string
	clientSecret  string
	refreshToken  string
	tokenLifetime time.Duration
	now           func() time.Time

	tokens     map[string]time.Time // access token → expiry
	tokenCalls int

	orders  map[string]map[string]any
	ordered []string // ids in insertion order
	pages   map[string]fakePage

	buckets   map[string]*fakeBucket
	calls     map[string]int
	throttled map[string]int
	lose      map[string]int // operation → answers still to drop after acting
	shipments map[string][]FakeShipment

	handler http.Handler
}

// FakeConfig sets up a Fake. RateScale multiplies the documented rates (not the bursts), as
// WithRateScale does for the client.
type FakeConfig struct {
	ClientID, ClientSecret, RefreshToken string
	RateScale                            float64
	Now                                  func() time.Time
	TokenLifetime                        time.Duration // default one hour
}

// FakeShipment is one shipment confirmation the fake accepted.
type FakeShipment struct {
	OrderID            string
	MarketplaceID      string
	PackageReferenceID string
	CarrierCode        string
	CarrierName        string
	ShippingMethod     string
	TrackingNumber     string
	ShipDate           string
	Items              map[string]int // orderItemId → quantity
}

// fakePage is what a pagination token stands for: the ids still to list, frozen when the
// search started, and the window's end.
type fakePage struct {
	remaining []string
	end       string
	endField  string
}

// fakeBucket is one operation's token bucket.
type fakeBucket struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func (b *fakeBucket) take(now time.Time) bool {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(b.burst, b.tokens+elapsed*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// NewFake returns a fake account that accepts the given LWA credentials.
func NewFake(cfg FakeConfig) *Fake {
	if cfg.RateScale <= 0 {
		cfg.RateScale = 1
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = time.Hour
	}
	f := &Fake{
		clientID:      cfg.ClientID,
		clientSecret:  cfg.ClientSecret,
		refreshToken:  cfg.RefreshToken,
		tokenLifetime: cfg.TokenLifetime,
		now:           cfg.Now,
		tokens:        map[string]time.Time{},
		orders:        map[string]map[string]any{},
		pages:         map[string]fakePage{},
		buckets:       map[string]*fakeBucket{},
		calls:         map[string]int{},
		throttled:     map[string]int{},
		lose:          map[string]int{},
		shipments:     map[string][]FakeShipment{},
	}
	start := cfg.Now()
	for op, plan := range usagePlans {
		f.buckets[op] = &fakeBucket{rate: plan.Rate * cfg.RateScale, burst: float64(plan.Burst), tokens: float64(plan.Burst), last: start}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/o2/token", f.token)
	mux.HandleFunc("GET /orders/2026-01-01/orders", f.api(opSearchOrders, f.searchOrders))
	mux.HandleFunc("GET /orders/2026-01-01/orders/{orderId}", f.api(opGetOrder, f.getOrder))
	mux.HandleFunc("POST /orders/v0/orders/{orderId}/shipmentConfirmation", f.api(opConfirmShipment, f.confirmShipment))
	f.handler = mux
	return f
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.handler.ServeHTTP(w, r) }

// Calls counts the requests an operation received, throttled ones included.
func (f *Fake) Calls(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// Throttled counts the 429 answers an operation gave.
func (f *Fake) Throttled(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.throttled[op]
}

// TokenCalls counts the token exchanges.
func (f *Fake) TokenCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokenCalls
}

// ExpireTokens makes every access token issued so far invalid.
func (f *Fake) ExpireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = map[string]time.Time{}
}

// LoseNextAnswer makes the next call of op act, then drop the connection without answering.
func (f *Fake) LoseNextAnswer(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lose[op]++
}

// Shipments returns the confirmations accepted for an order.
func (f *Fake) Shipments(orderID string) []FakeShipment {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FakeShipment(nil), f.shipments[orderID]...)
}

// token serves Login with Amazon's refresh-token grant.
func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "The request is missing a required parameter or is otherwise malformed."})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenCalls++
	switch {
	case r.PostForm.Get("grant_type") != "refresh_token":
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "The authorization grant type is not supported by the authorization server."})
	case r.PostForm.Get("client_id") != f.clientID || r.PostForm.Get("client_secret") != f.clientSecret:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed"})
	case r.PostForm.Get("refresh_token") != f.refreshToken:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "The request has an invalid grant parameter : refresh_token"})
	default:
		access := "Atza|" + randomHex(24)
		f.tokens[access] = f.now().Add(f.tokenLifetime)
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token":  access,
			"refresh_token": f.refreshToken,
			"token_type":    "bearer",
			"expires_in":    int(f.tokenLifetime.Seconds()),
		})
	}
}

// api wraps an operation: access token, throttling, the rate header, and lost answers.
// handle runs under the fake's lock.
func (f *Fake) api(op string, handle func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls[op]++
		w.Header().Set("x-amzn-RequestId", randomHex(8))
		expiry, ok := f.tokens[r.Header.Get("x-amz-access-token")]
		if !ok || !f.now().Before(expiry) {
			writeErrors(w, http.StatusForbidden, "Unauthorized", "Access to requested resource is denied.", "The access token you provided is revoked, malformed or invalid.")
			return
		}
		bucket := f.buckets[op]
		if !bucket.take(f.now()) {
			f.throttled[op]++
			w.Header().Set("x-amzn-RateLimit-Limit", strconv.FormatFloat(bucket.rate, 'f', -1, 64))
			writeErrors(w, http.StatusTooManyRequests, codeQuotaExceeded, "You exceeded your quota for the requested resource.", "")
			return
		}
		w.Header().Set("x-amzn-RateLimit-Limit", strconv.FormatFloat(bucket.rate, 'f', -1, 64))
		if f.lose[op] > 0 {
			f.lose[op]--
			handle(discard{header: http.Header{}}, r)
			panic(http.ErrAbortHandler) // the server closes the connection: no answer
		}
		handle(w, r)
	}
}

// discard is a ResponseWriter for an answer that is never sent.
type discard struct{ header http.Header }

func (d discard) Header() http.Header         { return d.header }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeErrors(w http.ResponseWriter, status int, code, message, details string) {
	writeJSON(w, status, errorList{Errors: []wireError{{Code: code, Message: message, Details: details}}})
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
