package mirakl

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Fake is a stateful stand-in for one shop on one Mirakl operator's instance, written from
// the seller API's documentation: OR11, OR21, OR23, OR24, OR29, SH21 and A01, with their
// state guards, paging, the overlapping start_update_date window, null buyer addresses
// before acceptance, alpha-3 countries, 204 empty answers, raw-key auth and optional
// throttling. Tests and the demo drive it through its Go methods; a Faults wrapper injects
// latency, 5xx, 429 and lost answers.
type Fake struct {
	mu              sync.Mutex
	apiKey          string
	shopID          int64
	shopName        string
	now             func() time.Time
	updateDelta     time.Duration
	minPollInterval time.Duration
	lastPoll        time.Time
	orders          map[string]*fakeOrder
	ordered         []*fakeOrder // in insertion order, for stable listing
	sequence        int
	carriers        []FakeCarrier
	calls           map[string]int
	shipments       map[string][]FakeShipment

	faults  apiclient.Faults
	handler http.Handler
}

// FakeCarrier is one carrier SH21 lists. TrackingURL holds {trackingId}.
type FakeCarrier struct {
	Code, Label, StandardCode, TrackingURL string
}

// FakeShipment is one shipment the fake confirmed (a successful OR24).
type FakeShipment struct {
	CarrierCode, CarrierName, TrackingNumber, TrackingURL string
	At                                                    time.Time
}

// DefaultFakeCarriers are carriers a European operator typically lists, by label.
var DefaultFakeCarriers = []FakeCarrier{
	{"CHRONOPOST", "Chronopost", "CHRONOPOST", "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={trackingId}"},
	{"COLISSIMO", "Colissimo", "COLISSIMO", "https://www.laposte.fr/outils/suivre-vos-envois?code={trackingId}"},
	{"DHL", "DHL", "DHL", "https://www.dhl.com/fr-en/home/tracking.html?tracking-id={trackingId}"},
	{"DPD", "DPD", "DPD", "https://trace.dpd.fr/fr/trace/{trackingId}"},
	{"GLS", "GLS", "GLS", "https://gls-group.com/FR/en/parcel-tracking?match={trackingId}"},
	{"MONDIAL_RELAY", "Mondial Relay", "MONDIAL_RELAY", "https://www.mondialrelay.fr/suivi-de-colis/?NumeroExpedition={trackingId}"},
	{"POSTNL", "PostNL", "POSTNL", "https://jouw.postnl.nl/track-and-trace/{trackingId}"},
	{"UPS", "UPS", "UPS", "https://www.ups.com/track?loc=en_US&tracknum={trackingId}"},
}

// FakeShopID is the fake's shop id; a shop_id parameter naming another shop is refused.
const FakeShopID = 2000

// NewFake returns a fake instance whose shop accepts apiKey.
func NewFake(apiKey string) *Fake {
	f := &Fake{
		apiKey:      apiKey,
		shopID:      FakeShopID,
		shopName:    "orderhub demo shop",
		now:         time.Now,
		updateDelta: 5 * time.Minute,
		orders:      map[string]*fakeOrder{},
		carriers:    append([]FakeCarrier(nil), DefaultFakeCarriers...),
		calls:       map[string]int{},
		shipments:   map[string][]FakeShipment{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/orders", f.listOrders)
	mux.HandleFunc("PUT /api/orders/{order_id}/accept", f.acceptOrder)
	mux.HandleFunc("PUT /api/orders/{order_id}/tracking", f.updateTracking)
	mux.HandleFunc("PUT /api/orders/{order_id}/ship", f.shipOrder)
	mux.HandleFunc("PUT /api/orders/{order_id}/cancel", f.cancelOrder)
	mux.HandleFunc("GET /api/shipping/carriers", f.listCarriers)
	mux.HandleFunc("GET /api/account", f.account)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeFakeError(w, http.StatusNotFound, "", "no such resource: "+r.Method+" "+r.URL.Path)
	})
	f.handler = f.faults.Wrap(f.authenticate(mux))
	return f
}

// Handler serves the API (wrap it in httptest.NewServer).
func (f *Fake) Handler() http.Handler { return f.handler }

// Faults arms failures: latency, 5xx, 429 with Retry-After, lost answers.
func (f *Fake) Faults() *apiclient.Faults { return &f.faults }

// SetClock replaces the fake's clock, for deterministic dates.
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}

// SetUpdateDelta sets how far before start_update_date OR11 looks (default 5 minutes): the
// delta Mirakl subtracts so that no update is missed, which makes windows overlap.
func (f *Fake) SetUpdateDelta(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updateDelta = d
}

// SetMinPollInterval makes OR11 answer 429 with Retry-After when called again sooner than
// d (0, the default, turns throttling off). Mirakl asks for at most one OR11 a minute.
func (f *Fake) SetMinPollInterval(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.minPollInterval, f.lastPoll = d, time.Time{}
}

// SetCarriers replaces the SH21 carrier list.
func (f *Fake) SetCarriers(carriers []FakeCarrier) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.carriers = append([]FakeCarrier(nil), carriers...)
}

// Calls counts the requests an operation ("OR11", "OR21", "OR23", "OR24", "OR29", "SH21",
// "A01") served past authentication, refusals included.
func (f *Fake) Calls(operation string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[operation]
}

// ShipCalls is how many times the order was confirmed shipped: Mirakl accepts it once.
func (f *Fake) ShipCalls(orderID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.shipments[orderID])
}

// Shipments lists the confirmed shipments of an order.
func (f *Fake) Shipments(orderID string) []FakeShipment {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FakeShipment(nil), f.shipments[orderID]...)
}

// authenticate checks the raw key (Mirakl's Authorization header has no "Bearer ") and the
// optional shop_id, which must name this shop.
func (f *Fake) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != f.apiKey || f.apiKey == "" {
			writeFakeError(w, http.StatusUnauthorized, "", "Unauthorized")
			return
		}
		if shop := r.URL.Query().Get("shop_id"); shop != "" {
			id, err := strconv.ParseInt(shop, 10, 64)
			if err != nil {
				writeFakeError(w, http.StatusBadRequest, "", "shop_id must be a number")
				return
			}
			if id != f.shopID {
				writeFakeError(w, http.StatusForbidden, "", fmt.Sprintf("Access denied to shop %d", id))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// throttled reports how long the caller must wait before OR11 serves it again. Caller holds mu.
func (f *Fake) throttled(now time.Time) time.Duration {
	if f.minPollInterval <= 0 {
		return 0
	}
	if !f.lastPoll.IsZero() {
		if wait := f.lastPoll.Add(f.minPollInterval).Sub(now); wait > 0 {
			return wait
		}
	}
	f.lastPoll = now
	return 0
}

func writeFakeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client went away: nothing to do
}

func writeFakeError(w http.ResponseWriter, status int, code, message string) {
	if code != "" {
		message = code + ": " + message
	}
	writeFakeJSON(w, status, fakeErrorJSON{Status: status, Message: message})
}

func writeThrottled(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	writeFakeError(w, http.StatusTooManyRequests, "", "Too many requests: OR11 may be called once a minute")
}
