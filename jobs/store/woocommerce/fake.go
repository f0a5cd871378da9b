package woocommerce

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"

	"github.com/orderhub/orderhub/models"
)

// Fake is a WooCommerce store answering the REST API v3 as the docs describe it: products and
// variations with stock, orders with meta, notes, the Shipment Tracking extension's routes,
// WooCommerce authentication, paging headers and WordPress error bodies. It keeps its state
// in memory; Go methods let tests and the demo act as the merchant.
type Fake struct {
	key, secret string
	faults      *apiclient.Faults

	mu           sync.Mutex
	clock        func() time.Time
	location     *time.Location
	decimals     int
	currency     string
	nextPostID   int64 // products, variations and orders share WordPress's post ids
	nextItemID   int64
	nextMetaID   int64
	nextNoteID   int64
	products     map[int64]*fakeProduct
	productIDs   []int64 // in creation order
	orders       map[int64]*fakeOrder
	orderIDs     []int64
	nonces       map[string]time.Time
	rejectCreate *restError
	postsStorage bool // legacy order storage: a meta-only save leaves date_modified alone
}

// NewFake returns an empty store that accepts the given API keys. Its shop time is three hours
// behind UTC, as in the docs' examples, so a client reading local dates instead of *_gmt
// ones is caught.
func NewFake(consumerKey, consumerSecret string) *Fake {
	return &Fake{
		key:        consumerKey,
		secret:     consumerSecret,
		faults:     &apiclient.Faults{},
		clock:      time.Now,
		location:   time.FixedZone("UTC-3", -3*60*60),
		decimals:   2,
		currency:   "USD",
		nextPostID: 10,
		nextItemID: 1,
		nextMetaID: 1000,
		nextNoteID: 100,
		products:   map[int64]*fakeProduct{},
		orders:     map[int64]*fakeOrder{},
		nonces:     map[string]time.Time{},
	}
}

// Handler serves the API, with the armed faults applied.
func (f *Fake) Handler() http.Handler { return f.faults.Wrap(http.HandlerFunc(f.serve)) }

// Faults lets tests inject latency, errors, throttling and lost answers.
func (f *Fake) Faults() *apiclient.Faults { return f.faults }

// SetClock replaces the shop's clock.
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = now
}

// SetLocation sets the shop's time zone, used for the date_* fields (date_*_gmt are UTC).
func (f *Fake) SetLocation(location *time.Location) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.location = location
}

// SetPriceDecimals sets the shop's number of decimals, the default of the dp parameter.
func (f *Fake) SetPriceDecimals(decimals int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.decimals = decimals
}

// SetPostsStorage makes the shop keep orders in WordPress posts, as stores did before
// WooCommerce 8.2 made its own order tables (HPOS) the default. Then a tracking saved alone
// (the Shipment Tracking extension saves only the meta) does not move date_modified, so a
// modified_after poll does not see it; with HPOS, the default here, a meta change does.
func (f *Fake) SetPostsStorage(posts bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.postsStorage = posts
}

// RejectNextCreate makes the next POST /orders answer 400 with this error, as a store plugin
// or a validation rule refusing the order would.
func (f *Fake) RejectNextCreate(code, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejectCreate = &restError{Code: code, Message: message, Data: map[string]any{"status": http.StatusBadRequest}}
}

// now is the shop's time, to the second as WordPress stores it. Callers hold f.mu.
func (f *Fake) now() time.Time { return f.clock().UTC().Truncate(time.Second) }

// route is one REST route: its path pattern, with the numeric ids WordPress routes capture,
// and a handler per method. Every route needs credentials; serve checks them first.
type route struct {
	pattern *regexp.Regexp
	single  bool // the path names one resource (for WordPress's permission messages)
	methods map[string]handlerFunc
}

type handlerFunc func(f *Fake, w http.ResponseWriter, r *http.Request, ids []int64)

var routes = []route{
	{regexp.MustCompile(`^/wp-json/wc/v3/products/?$`), false, map[string]handlerFunc{
		http.MethodGet: (*Fake).listProducts,
	}},
	{regexp.MustCompile(`^/wp-json/wc/v3/products/(\d+)/?$`), true, map[string]handlerFunc{
		http.MethodGet: (*Fake).getProduct,
	}},
	{regexp.MustCompile(`^/wp-json/wc/v3/products/(\d+)/variations/?$`), false, map[string]handlerFunc{
		http.MethodGet: (*Fake).listVariations,
	}},
	{regexp.MustCompile(`^/wp-json/wc/v3/products/(\d+)/variations/(\d+)/?$`), true, map[string]handlerFunc{
		http.MethodGet: (*Fake).getVariation,
	}},
	{regexp.MustCompile(`^/wp-json/wc/v3/orders/?$`), false, map[string]handlerFunc{
		http.MethodGet:  (*Fake).listOrders,
		http.MethodPost: (*Fake).createOrder,
	}},
	{regexp.MustCompile(`^/wp-json/wc/v3/orders/(\d+)/?$`), true, map[string]handlerFunc{
		http.MethodGet:    (*Fake).getOrder,
		http.MethodPut:    (*Fake).updateOrder,
		http.MethodPatch:  (*Fake).updateOrder,
		http.MethodPost:   (*Fake).updateOrder,
		http.MethodDelete: (*Fake).deleteOrder,
	}},
	{regexp.MustCompile(`^/wp-json/wc/v3/orders/(\d+)/notes/?$`), false, map[string]handlerFunc{
		http.MethodGet:  (*Fake).listNotes,
		http.MethodPost: (*Fake).createNote,
	}},
	{regexp.MustCompile(`^/wp-json/wc/v3/orders/(\d+)/notes/(\d+)/?$`), true, map[string]handlerFunc{
		http.MethodGet:    (*Fake).getNote,
		http.MethodDelete: (*Fake).deleteNote,
	}},
	{regexp.MustCompile(`^/wp-json/wc-shipment-tracking/v3/orders/(\d+)/shipment-trackings/?$`), false, map[string]handlerFunc{
		http.MethodGet:  (*Fake).listTrackings,
		http.MethodPost: (*Fake).createTracking,
	}},
	{regexp.MustCompile(`^/wp-json/wc-shipment-tracking/v3/orders/(\d+)/shipment-trackings/providers/?$`), false, map[string]handlerFunc{
		http.MethodGet: (*Fake).listProviders,
	}},
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// WordPress authenticates before routing: bad credentials fail on any route.
	authenticated, authErr := f.authenticate(r)
	if authErr != nil {
		f.writeJSON(w, http.StatusUnauthorized, authErr)
		return
	}
	for _, rt := range routes {
		match := rt.pattern.FindStringSubmatch(r.URL.Path)
		if match == nil {
			continue
		}
		handle, ok := rt.methods[r.Method]
		if !ok {
			break // WordPress answers a known path with an unknown method as no route
		}
		if !authenticated {
			f.writeError(w, http.StatusUnauthorized, permissionCode(r.Method), permissionMessage(r.Method, rt.single))
			return
		}
		ids := make([]int64, 0, len(match)-1)
		for _, text := range match[1:] {
			id, _ := strconv.ParseInt(text, 10, 64)
			ids = append(ids, id)
		}
		handle(f, w, r, ids)
		return
	}
	f.writeError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
}

func permissionCode(method string) string {
	switch method {
	case http.MethodPost:
		return "woocommerce_rest_cannot_create"
	case http.MethodPut, http.MethodPatch:
		return "woocommerce_rest_cannot_edit"
	case http.MethodDelete:
		return "woocommerce_rest_cannot_delete"
	}
	return "woocommerce_rest_cannot_view"
}

func permissionMessage(method string, single bool) string {
	switch {
	case method == http.MethodPost && !single:
		return "Sorry, you are not allowed to create resources."
	case method == http.MethodDelete:
		return "Sorry, you are not allowed to delete this resource."
	case method != http.MethodGet:
		return "Sorry, you are not allowed to edit this resource."
	case single:
		return "Sorry, you cannot view this resource."
	}
	return "Sorry, you cannot list resources."
}

// writeJSON answers with the shop's clock in the Date header, as a server on the shop's
// machine does.
func (f *Fake) writeJSON(w http.ResponseWriter, status int, body any) {
	encoded, err := json.Marshal(body)
	if err != nil {
		panic(fmt.Sprintf("woocommerce fake: encoding an answer: %v", err))
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("Date", f.now().Format(http.TimeFormat))
	w.WriteHeader(status)
	w.Write(encoded)
}

func (f *Fake) writeError(w http.ResponseWriter, status int, code, message string) {
	f.writeJSON(w, status, &restError{Code: code, Message: message, Data: map[string]any{"status": status}})
}

// writeInvalidParams answers as WordPress does when a parameter fails its schema.
func (f *Fake) writeInvalidParams(w http.ResponseWriter, params map[string]string) {
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	f.writeJSON(w, http.StatusBadRequest, &restError{
		Code:    "rest_invalid_param",
		Message: "Invalid parameter(s): " + strings.Join(names, ", "),
		Data:    map[string]any{"status": http.StatusBadRequest, "params": params},
	})
}

// localDate and gmtDate write a time the way WooCommerce does: no zone designator, once in the
// shop's time zone and once in UTC.
func (f *Fake) localDate(t time.Time) string { return t.In(f.location).Format(wooTimeLayout) }

func gmtDate(t time.Time) string { return t.UTC().Format(wooTimeLayout) }

func (f *Fake) optionalDates(t time.Time) (local, gmt *string) {
	if t.IsZero() {
		return nil, nil
	}
	l, g := f.localDate(t), gmtDate(t)
	return &l, &g
}

// Money is kept in millionths so any posted decimals survive; answers round to dp.
const microExponent = 6

func parseMicro(value string) (int64, error) { return parseMinor(value, microExponent) }

func formatMicro(micro int64, decimals int) string {
	return models.FormatDecimal(roundMicro(micro, decimals), decimals)
}

// roundMicro rounds millionths to the given decimals, half away from zero, as PHP's round.
func roundMicro(micro int64, decimals int) int64 {
	divisor := int64(1)
	for range microExponent - decimals {
		divisor *= 10
	}
	half := divisor / 2
	if micro < 0 {
		return -((-micro + half) / divisor)
	}
	return (micro + half) / divisor
}

// baseURL is the shop root as the request reached it ("" for snapshots taken in Go).
func baseURL(r *http.Request) string {
	if r == nil {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func selfLinks(r *http.Request, collection string, id int64, up string) fakeLinks {
	base := baseURL(r) + "/wp-json/wc/v3/"
	links := fakeLinks{
		"self":       {{Href: fmt.Sprintf("%s%s/%d", base, collection, id)}},
		"collection": {{Href: base + collection}},
	}
	if up != "" {
		links["up"] = []fakeHref{{Href: base + up}}
	}
	return links
}

// emptyRaw renders an empty JSON array for lists the fake does not fill.
func emptyRaw() []json.RawMessage { return []json.RawMessage{} }

func mustJSON(value any) json.RawMessage {
	encoded, err := json.Marshal(value)
	if err != nil {
		panic(fmt.Sprintf("woocommerce fake: encoding %T: %v", value, err))
	}
	return encoded
}

func defaultString(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

func contains(values []string, value string) bool {
	for _, v := range values {
		if v == value {
			return true
		}
	}
	return false
}
