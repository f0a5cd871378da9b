package bol

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Fake is a stateful stand-in for one bol.com retailer account, written from the Retailer API
// v10 and Shared API specifications: the login server's token endpoint (client credentials,
// tokens that expire), the order list and detail, shipments and cancellations answered with
// process statuses that go from PENDING to SUCCESS or FAILURE, the vendor media type, Problem
// error bodies, and rate limiting with X-RateLimit-* and Retry-After. Tests and the demo drive
// it through its Go methods; a Faults wrapper injects latency, 5xx, 429 and lost answers.
type Fake struct {
	mu            sync.Mutex
	clientID      string
	clientSecret  string
	now           func() time.Time
	tokenLifetime time.Duration
	tokens        map[string]time.Time // access token → expiry
	tokenSequence int

	orders   map[string]*order
	ordered  []string // order ids in insertion order, for stable listing
	sequence int

	processes       map[string]*fakeProcess
	processOrder    []string
	pendingReads    int
	failures        map[string]string // order item id → errorMessage of its next write
	processSequence int

	rateLimit   int
	rateWindow  time.Duration
	windowStart time.Time
	windowCalls int
	retryAfter  bool

	calls         map[string]int
	shipments     map[string][]FakeShipment
	cancellations map[string][]string // order id → reason codes, one per cancelled item

	faults  apiclient.Faults
	handler http.Handler
}

// FakeShipment is one shipment the fake processed successfully.
type FakeShipment struct {
	OrderItemIDs    []string
	TransporterCode string
	TrackAndTrace   string
}

// fakeProcess is one asynchronous write and its process status.
type fakeProcess struct {
	status processStatus
	reads  int
	apply  func() // carries the write out when the process succeeds
	check  func() string
}

// NewFake returns a fake account that accepts clientID and clientSecret. Tokens last 299
// seconds, as bol's do; a process status answers PENDING once before its outcome.
func NewFake(clientID, clientSecret string) *Fake {
	f := &Fake{
		clientID:      clientID,
		clientSecret:  clientSecret,
		now:           time.Now,
		tokenLifetime: 299 * time.Second,
		tokens:        map[string]time.Time{},
		orders:        map[string]*order{},
		processes:     map[string]*fakeProcess{},
		pendingReads:  1,
		failures:      map[string]string{},
		calls:         map[string]int{},
		shipments:     map[string][]FakeShipment{},
		cancellations: map[string][]string{},
		retryAfter:    true,
	}
	api := http.NewServeMux()
	api.HandleFunc("GET /retailer/orders", f.listOrders)
	api.HandleFunc("GET /retailer/orders/{orderId}", f.getOrder)
	api.HandleFunc("PUT /retailer/orders/cancellation", f.cancelItems)
	api.HandleFunc("POST /retailer/shipments", f.createShipment)
	api.HandleFunc("GET /shared/process-status", f.findProcessStatuses)
	api.HandleFunc("GET /shared/process-status/{processStatusId}", f.getProcessStatus)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "Not Found", "No such resource: "+r.Method+" "+r.URL.Path)
	})
	root := http.NewServeMux()
	root.HandleFunc("POST /token", f.token)
	root.Handle("/", f.guard(api))
	f.handler = f.faults.Wrap(root)
	return f
}

// Handler serves the login server (POST /token) and the API on one address (wrap it in
// httptest.NewServer; the client's login URL is that address plus /token).
func (f *Fake) Handler() http.Handler { return f.handler }

// Faults arms failures: latency, 5xx, 429, lost answers.
func (f *Fake) Faults() *apiclient.Faults { return &f.faults }

// SetClock replaces the fake's clock (token expiry, change dates, rate windows).
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}

// SetTokenLifetime sets how long new tokens last (bol: 299 seconds).
func (f *Fake) SetTokenLifetime(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenLifetime = d
}

// ExpireTokens makes every token issued so far expired, as if bol's clock ran ahead.
func (f *Fake) ExpireTokens() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for token := range f.tokens {
		f.tokens[token] = f.now().Add(-time.Second)
	}
}

// SetPendingReads sets how many reads of a new process status answer PENDING before it
// reaches SUCCESS or FAILURE (default 1).
func (f *Fake) SetPendingReads(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pendingReads = n
}

// FailNextWrite makes the next shipment or cancellation of the order item end in FAILURE
// with errorMessage.
func (f *Fake) FailNextWrite(orderItemID, errorMessage string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[orderItemID] = errorMessage
}

// SetRateLimit allows limit API calls per window (0 turns limiting off). Every answer then
// carries X-RateLimit-Limit, -Remaining and -Reset; a call over the limit gets 429 with
// Retry-After, or without it when withRetryAfter is false (bol sends both kinds).
func (f *Fake) SetRateLimit(limit int, window time.Duration, withRetryAfter bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rateLimit, f.rateWindow, f.retryAfter = limit, window, withRetryAfter
	f.windowStart, f.windowCalls = time.Time{}, 0
}

// Calls counts the requests an operation served past authentication: "token", "orders",
// "order", "shipments", "cancellation", "process-status", "process-status-search".
func (f *Fake) Calls(operation string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[operation]
}

// Shipments lists the shipments processed for an order.
func (f *Fake) Shipments(orderID string) []FakeShipment {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.shipments[orderID])
}

// Cancellations lists the reason codes of the items cancelled in an order.
func (f *Fake) Cancellations(orderID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.cancellations[orderID])
}

// token is the login server: client credentials by Basic auth, grant type in a form body.
func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["token"]++
	id, secret, ok := r.BasicAuth()
	if !ok || id != f.clientID || secret != f.clientSecret || f.clientID == "" {
		writeJSON(w, http.StatusUnauthorized, "application/json;charset=UTF-8", tokenError{Error: "invalid_client", ErrorDescription: "Bad client credentials"})
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, "application/json;charset=UTF-8", tokenError{Error: "unsupported_grant_type"})
		return
	}
	f.tokenSequence++
	access := fmt.Sprintf("fake-jwt-%d-%d", f.tokenSequence, f.now().UnixNano())
	f.tokens[access] = f.now().Add(f.tokenLifetime)
	seconds := int(f.tokenLifetime / time.Second)
	writeJSON(w, http.StatusOK, "application/json;charset=UTF-8", tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: &seconds, Scope: "RETAILER"})
}

// guard checks what every API call needs: the v10 media type, the rate limit and a bearer
// token that has not expired.
func (f *Fake) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		wait, limited := f.countCall(w)
		expiry, known := f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		now := f.now()
		withRetryAfter := f.retryAfter
		f.mu.Unlock()
		switch {
		case limited:
			seconds := int(math.Ceil(wait.Seconds()))
			if withRetryAfter {
				w.Header().Set("Retry-After", strconv.Itoa(seconds))
			}
			writeProblem(w, http.StatusTooManyRequests, "Too Many Requests", fmt.Sprintf("Too many requests, retry in %d seconds.", seconds))
		case !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || !known:
			writeProblem(w, http.StatusUnauthorized, "Unauthorized", "Full authentication is required to access this resource.")
		case !now.Before(expiry):
			writeProblem(w, http.StatusUnauthorized, "Expired JWT", fmt.Sprintf("JWT expired at %s. Current time: %s.", expiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
		case !acceptsV10(r.Header.Get("Accept")):
			writeProblem(w, http.StatusNotAcceptable, "Not Acceptable", "Accept header must be "+mediaType+".")
		case r.ContentLength != 0 && r.Method != http.MethodGet && !strings.HasPrefix(r.Header.Get("Content-Type"), mediaType):
			writeProblem(w, http.StatusUnsupportedMediaType, "Unsupported Media Type", "Content-Type must be "+mediaType+".")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func acceptsV10(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		if strings.TrimSpace(strings.Split(part, ";")[0]) == mediaType {
			return true
		}
	}
	return false
}

// countCall counts one call in the rate window and sets the X-RateLimit-* headers; it says
// how long to wait when the call is over the limit. Caller holds mu.
func (f *Fake) countCall(w http.ResponseWriter) (time.Duration, bool) {
	if f.rateLimit <= 0 {
		return 0, false
	}
	now := f.now()
	if f.windowStart.IsZero() || !now.Before(f.windowStart.Add(f.rateWindow)) {
		f.windowStart, f.windowCalls = now, 0
	}
	f.windowCalls++
	reset := f.windowStart.Add(f.rateWindow).Sub(now)
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(f.rateLimit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(max(f.rateLimit-f.windowCalls, 0)))
	w.Header().Set("X-RateLimit-Reset", strconv.Itoa(int(math.Ceil(reset.Seconds()))))
	return reset, f.windowCalls > f.rateLimit
}

func writeJSON(w http.ResponseWriter, status int, contentType string, body any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client went away: nothing to do
}

func writeV10(w http.ResponseWriter, status int, body any) {
	writeJSON(w, status, mediaType+";charset=UTF-8", body)
}

func writeProblem(w http.ResponseWriter, status int, title, detail string, violations ...violation) {
	writeJSON(w, status, mediaType, problem{Type: "https://api.bol.com/problems", Title: title, Status: status, Detail: detail,
		Host: "Instance-fake", Violations: violations})
}
