package magento

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Fake is a Magento 2 store answering the REST API as Adobe documents it: products with stock
// items and (when MSI is on) salable quantities, the guest-cart checkout, orders with
// searchCriteria, order saves, comments, invoices, shipments with tracks, cancels and credit
// memos, bearer-token authentication and Magento's error bodies. State is in memory; Go
// methods let tests and the demo act as the merchant.
type Fake struct {
	token  string
	faults *apiclient.Faults

	mu         sync.Mutex
	clock      func() time.Time
	currency   string
	msi        bool
	flatRate   int64 // flat rate per item, in cents (Magento's default is 5.00)
	nextID     int64
	products   map[string]*fakeProduct // by SKU
	carts      map[string]*fakeCart    // by masked id
	orders     map[int64]*fakeOrder
	orderIDs   []int64
	shipments  []*fakeShipment
	increments int
}

// FakeProduct is a product the merchant has in the store.
type FakeProduct struct {
	SKU, Name string
	Price     string // "12.90"
	Stock     int
	EAN       string
}

// FakeOrderView is what a test reads of an order.
type FakeOrderView struct {
	Status                      string
	Lines                       []FakeLineView
	ShippingName, City, Country string
	Total                       int64
	Paid                        bool
}

// FakeLineView is one item of an order; UnitPrice in cents.
type FakeLineView struct {
	SKU       string
	Quantity  int
	UnitPrice int64
}

type fakeProduct struct {
	id          int64
	sku, name   string
	ean         string
	price       int64 // cents
	qty         int   // physical quantity (the stock item's qty)
	reserved    int   // MSI reservations of placed, unshipped orders
	manageStock bool
	enabled     bool
	created     time.Time
	updated     time.Time
}

// NewFake returns an empty store (currency EUR, MSI on, flat rate 5.00 per item) that accepts
// the given integration access token.
func NewFake(accessToken string) *Fake {
	return &Fake{
		token:    accessToken,
		faults:   &apiclient.Faults{},
		clock:    time.Now,
		currency: "EUR",
		msi:      true,
		flatRate: 500,
		nextID:   1,
		products: map[string]*fakeProduct{},
		carts:    map[string]*fakeCart{},
		orders:   map[int64]*fakeOrder{},
	}
}

// Handler serves the API, with the armed faults applied.
func (f *Fake) Handler() http.Handler { return f.faults.Wrap(http.HandlerFunc(f.serve)) }

// Faults lets tests inject latency, errors, throttling and lost answers.
func (f *Fake) Faults() *apiclient.Faults { return f.faults }

// Config returns a client Config for this store served at baseURL.
func (f *Fake) Config(baseURL string) Config {
	return Config{
		BaseURL:     baseURL,
		AccessToken: f.token,
		StoreCode:   "default",
		CarrierURLs: map[string]string{
			"ups":   "https://www.ups.com/track?tracknum={tracking}",
			"dhl":   "https://www.dhl.com/en/express/tracking.html?AWB={tracking}",
			"fedex": "https://www.fedex.com/fedextrack/?trknbr={tracking}",
			"usps":  "https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking}",
		},
	}
}

// SetClock replaces the store's clock.
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = now
}

// SetMSI turns Multi-Source Inventory on (the default) or off. Off, the salable-quantity
// route does not exist and placing an order takes the stock item's qty at once.
func (f *Fake) SetMSI(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msi = on
}

// SetCurrency sets the store view's currency.
func (f *Fake) SetCurrency(code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.currency = code
}

// LoseNextCreateAnswer makes the next order placement (PUT /guest-carts/{id}/order) act and
// then drop the connection without answering.
func (f *Fake) LoseNextCreateAnswer() {
	f.faults.LoseNextResponse(func(r *http.Request) bool {
		return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/V1/guest-carts/") && strings.HasSuffix(r.URL.Path, "/order")
	}, 1)
}

// AddProduct adds an enabled simple product with managed stock.
func (f *Fake) AddProduct(p FakeProduct) {
	f.mu.Lock()
	defer f.mu.Unlock()
	price, err := parseMinor(p.Price, 2)
	if err != nil {
		panic(fmt.Sprintf("magento fake: product %s: %v", p.SKU, err))
	}
	now := f.now()
	existing, ok := f.products[p.SKU]
	if !ok {
		existing = &fakeProduct{id: f.newID(), sku: p.SKU, created: now, manageStock: true, enabled: true}
		f.products[p.SKU] = existing
	}
	existing.name, existing.ean, existing.price, existing.qty, existing.updated = p.Name, p.EAN, price, p.Stock, now
}

// SetProductStatus enables or disables a product, as the merchant would in the admin.
func (f *Fake) SetProductStatus(sku string, enabled bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.products[sku]; ok {
		p.enabled, p.updated = enabled, f.now()
	}
}

// SetManageStock sets whether the store counts a product's stock.
func (f *Fake) SetManageStock(sku string, managed bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.products[sku]; ok {
		p.manageStock, p.updated = managed, f.now()
	}
}

// Stock returns what a checkout may still take of sku: the salable quantity with MSI, the
// stock item's qty without.
func (f *Fake) Stock(sku string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.products[sku]
	if !ok {
		return 0, false
	}
	return p.salable(), true
}

// salable is the physical quantity less the reservations (none without MSI).
func (p *fakeProduct) salable() int { return p.qty - p.reserved }

// now is the store's time, to the second as MySQL keeps it. Callers hold f.mu.
func (f *Fake) now() time.Time { return f.clock().UTC().Truncate(time.Second) }

func (f *Fake) newID() int64 {
	f.nextID++
	return f.nextID
}

// A route is one REST path pattern with its handler per method; anonymous routes (the guest
// cart) need no token.
type fakeRoute struct {
	pattern   *regexp.Regexp
	anonymous bool
	resource  string // the ACL resource named when the token is refused
	methods   map[string]fakeHandler
}

type fakeHandler func(f *Fake, w http.ResponseWriter, r *http.Request, args []string)

var fakeRoutes = []fakeRoute{
	{regexp.MustCompile(`^products$`), false, "Magento_Catalog::products", map[string]fakeHandler{http.MethodGet: (*Fake).listProducts}},
	{regexp.MustCompile(`^products/([^/]+)$`), false, "Magento_Catalog::products", map[string]fakeHandler{http.MethodGet: (*Fake).getProduct}},
	{regexp.MustCompile(`^inventory/get-product-salable-quantity/([^/]+)/(\d+)$`), false, "Magento_InventoryApi::stock", map[string]fakeHandler{http.MethodGet: (*Fake).salableQuantity}},
	{regexp.MustCompile(`^guest-carts$`), true, "", map[string]fakeHandler{http.MethodPost: (*Fake).createCart}},
	{regexp.MustCompile(`^guest-carts/([^/]+)$`), true, "", map[string]fakeHandler{http.MethodGet: (*Fake).getCart}},
	{regexp.MustCompile(`^guest-carts/([^/]+)/items$`), true, "", map[string]fakeHandler{http.MethodPost: (*Fake).addCartItem, http.MethodGet: (*Fake).listCartItems}},
	{regexp.MustCompile(`^guest-carts/([^/]+)/estimate-shipping-methods$`), true, "", map[string]fakeHandler{http.MethodPost: (*Fake).estimateShipping}},
	{regexp.MustCompile(`^guest-carts/([^/]+)/shipping-information$`), true, "", map[string]fakeHandler{http.MethodPost: (*Fake).setShippingInformation}},
	{regexp.MustCompile(`^guest-carts/([^/]+)/order$`), true, "", map[string]fakeHandler{http.MethodPut: (*Fake).placeOrder}},
	{regexp.MustCompile(`^orders$`), false, "Magento_Sales::actions_view", map[string]fakeHandler{http.MethodGet: (*Fake).listOrders, http.MethodPost: (*Fake).saveOrder}},
	{regexp.MustCompile(`^orders/(\d+)$`), false, "Magento_Sales::actions_view", map[string]fakeHandler{http.MethodGet: (*Fake).getOrder}},
	{regexp.MustCompile(`^orders/(\d+)/comments$`), false, "Magento_Sales::comment", map[string]fakeHandler{http.MethodPost: (*Fake).addComment}},
	{regexp.MustCompile(`^orders/(\d+)/cancel$`), false, "Magento_Sales::cancel", map[string]fakeHandler{http.MethodPost: (*Fake).cancelOrder}},
	{regexp.MustCompile(`^order/(\d+)/invoice$`), false, "Magento_Sales::sales_invoice", map[string]fakeHandler{http.MethodPost: (*Fake).invoiceOrder}},
	{regexp.MustCompile(`^order/(\d+)/ship$`), false, "Magento_Sales::ship", map[string]fakeHandler{http.MethodPost: (*Fake).shipOrder}},
	{regexp.MustCompile(`^order/(\d+)/refund$`), false, "Magento_Sales::creditmemo", map[string]fakeHandler{http.MethodPost: (*Fake).refundOrder}},
	{regexp.MustCompile(`^shipments$`), false, "Magento_Sales::shipment", map[string]fakeHandler{http.MethodGet: (*Fake).listShipments}},
	{regexp.MustCompile(`^shipment/track$`), false, "Magento_Sales::shipment", map[string]fakeHandler{http.MethodPost: (*Fake).addTrack}},
}

var restPath = regexp.MustCompile(`^/(?:index\.php/)?rest/([^/]+)/V1/(.+)$`)

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	match := restPath.FindStringSubmatch(r.URL.EscapedPath())
	if match == nil {
		f.writeError(w, http.StatusNotFound, "Request does not match any route.")
		return
	}
	if store := match[1]; store != "default" && store != "all" {
		f.writeError(w, http.StatusNotFound, "The store that was requested wasn't found. Verify the store and try again.")
		return
	}
	path := match[2]
	for _, rt := range fakeRoutes {
		args := rt.pattern.FindStringSubmatch(path)
		if args == nil {
			continue
		}
		handle, ok := rt.methods[r.Method]
		if !ok {
			continue
		}
		if strings.HasPrefix(path, "inventory/") && !f.msi {
			break // without MSI the inventory routes do not exist
		}
		if !rt.anonymous && !f.authorized(r) {
			f.writeError(w, http.StatusUnauthorized, "The consumer isn't authorized to access %resources.", map[string]string{"resources": rt.resource})
			return
		}
		for i := range args[1:] {
			args[i+1] = unescapePath(args[i+1])
		}
		handle(f, w, r, args[1:])
		return
	}
	f.writeError(w, http.StatusNotFound, "Request does not match any route.")
}

func (f *Fake) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && token == f.token && f.token != ""
}

func unescapePath(s string) string {
	out, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return out
}

// writeJSON answers with the store's clock in the Date header.
func (f *Fake) writeJSON(w http.ResponseWriter, status int, body any) {
	encoded, err := json.Marshal(body)
	if err != nil {
		panic(fmt.Sprintf("magento fake: encoding an answer: %v", err))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Date", f.now().Format(http.TimeFormat))
	w.WriteHeader(status)
	w.Write(encoded)
}

// writeError answers Magento's way: the message keeps its placeholders and the parameters
// fill them (a list for %1, %2…, an object for %name).
func (f *Fake) writeError(w http.ResponseWriter, status int, message string, parameters ...any) {
	body := map[string]any{"message": message}
	switch len(parameters) {
	case 0:
	case 1:
		if named, ok := parameters[0].(map[string]string); ok {
			body["parameters"] = named
			break
		}
		body["parameters"] = parameters
	default:
		body["parameters"] = parameters
	}
	f.writeJSON(w, status, body)
}

// decodeBody reads a JSON object body; a body that is not one is refused as Magento does.
func (f *Fake) decodeBody(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	var body map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.writeError(w, http.StatusBadRequest, "Decoding error: %1", err.Error())
		return nil, false
	}
	return body, true
}

// fakeSearch is a parsed searchCriteria.
type fakeSearch struct {
	groups      [][]fakeFilter
	sorts       []sortOrder
	pageSize    int
	currentPage int
}

type fakeFilter struct{ field, value, condition string }

var (
	filterParam = regexp.MustCompile(`^searchCriteria\[filter_groups\]\[(\d+)\]\[filters\]\[(\d+)\]\[(field|value|condition_type)\]$`)
	sortParam   = regexp.MustCompile(`^searchCriteria\[sortOrders\]\[(\d+)\]\[(field|direction)\]$`)
	conditions  = map[string]bool{"eq": true, "neq": true, "gt": true, "gteq": true, "lt": true, "lteq": true, "in": true, "nin": true, "like": true, "null": true, "notnull": true, "from": true, "to": true, "moreq": true}
)

// parseSearch reads the bracketed parameters; fields lists what the entity can filter on.
func (f *Fake) parseSearch(w http.ResponseWriter, r *http.Request, fields map[string]bool) (fakeSearch, bool) {
	var s fakeSearch
	groups := map[int]map[int]*fakeFilter{}
	sorts := map[int]*sortOrder{}
	for key, values := range r.URL.Query() {
		value := values[0]
		switch {
		case filterParam.MatchString(key):
			m := filterParam.FindStringSubmatch(key)
			g, _ := strconv.Atoi(m[1])
			i, _ := strconv.Atoi(m[2])
			if groups[g] == nil {
				groups[g] = map[int]*fakeFilter{}
			}
			if groups[g][i] == nil {
				groups[g][i] = &fakeFilter{condition: "eq"}
			}
			switch m[3] {
			case "field":
				groups[g][i].field = value
			case "value":
				groups[g][i].value = value
			case "condition_type":
				groups[g][i].condition = value
			}
		case sortParam.MatchString(key):
			m := sortParam.FindStringSubmatch(key)
			i, _ := strconv.Atoi(m[1])
			if sorts[i] == nil {
				sorts[i] = &sortOrder{Direction: "ASC"}
			}
			if m[2] == "field" {
				sorts[i].Field = value
			} else {
				sorts[i].Direction = strings.ToUpper(value)
			}
		case key == "searchCriteria[pageSize]" || key == "searchCriteria[currentPage]":
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 {
				f.writeError(w, http.StatusBadRequest, `The "%value" value's type is invalid. The "%type" type was expected. Verify and try again.`, map[string]string{"value": value, "type": "int"})
				return s, false
			}
			if key == "searchCriteria[pageSize]" {
				s.pageSize = n
			} else {
				s.currentPage = n
			}
		}
	}
	for _, g := range sortedKeys(groups) {
		var group []fakeFilter
		for _, i := range sortedKeys(groups[g]) {
			filter := *groups[g][i]
			if !conditions[filter.condition] {
				f.writeError(w, http.StatusBadRequest, "Invalid condition type: %1", filter.condition)
				return s, false
			}
			if filter.field == "" || !fields[filter.field] {
				f.writeError(w, http.StatusBadRequest, "Invalid attribute name: %1", filter.field)
				return s, false
			}
			group = append(group, filter)
		}
		s.groups = append(s.groups, group)
	}
	for _, i := range sortedKeys(sorts) {
		if !fields[sorts[i].Field] || (sorts[i].Direction != "ASC" && sorts[i].Direction != "DESC") {
			f.writeError(w, http.StatusBadRequest, "Invalid attribute name: %1", sorts[i].Field)
			return s, false
		}
		s.sorts = append(s.sorts, *sorts[i])
	}
	return s, true
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

// apply filters, sorts and pages entities whose fields get reads. Without pageSize every
// match comes; a currentPage past the end answers the last page again, as Magento does.
func apply[T any](s fakeSearch, all []T, get func(T, string) (string, bool)) (page []T, total int) {
	var matched []T
	for _, item := range all {
		if matches(s, item, get) {
			matched = append(matched, item)
		}
	}
	if len(s.sorts) > 0 {
		sort.SliceStable(matched, func(i, j int) bool {
			for _, order := range s.sorts {
				a, _ := get(matched[i], order.Field)
				b, _ := get(matched[j], order.Field)
				if c := compareValues(a, b); c != 0 {
					return (c < 0) == (order.Direction == "ASC")
				}
			}
			return false
		})
	}
	total = len(matched)
	if s.pageSize <= 0 || total == 0 {
		return matched, total
	}
	pages := (total + s.pageSize - 1) / s.pageSize
	current := min(max(s.currentPage, 1), pages)
	start := (current - 1) * s.pageSize
	return matched[start:min(start+s.pageSize, total)], total
}

// matches ANDs the groups and ORs the filters of a group, as Magento does.
func matches[T any](s fakeSearch, item T, get func(T, string) (string, bool)) bool {
	for _, group := range s.groups {
		any := false
		for _, filter := range group {
			value, set := get(item, filter.field)
			if filter.matches(value, set) {
				any = true
				break
			}
		}
		if !any {
			return false
		}
	}
	return true
}

func (f fakeFilter) matches(value string, set bool) bool {
	switch f.condition {
	case "null":
		return !set
	case "notnull":
		return set
	}
	if !set {
		return false
	}
	c := compareValues(value, f.value)
	switch f.condition {
	case "eq":
		return c == 0
	case "neq":
		return c != 0
	case "gt":
		return c > 0
	case "gteq", "from", "moreq":
		return c >= 0
	case "lt":
		return c < 0
	case "lteq", "to":
		return c <= 0
	case "in", "nin":
		found := false
		for _, option := range strings.Split(f.value, ",") {
			if compareValues(value, strings.TrimSpace(option)) == 0 {
				found = true
			}
		}
		return found == (f.condition == "in")
	case "like":
		pattern := "^" + strings.ReplaceAll(regexp.QuoteMeta(f.value), "%", ".*") + "$"
		ok, _ := regexp.MatchString("(?i)"+pattern, value)
		return ok
	}
	return false
}

func compareValues(a, b string) int {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b)
}

// criteriaEcho is the search_criteria Magento repeats in a list answer.
func (s fakeSearch) echo() map[string]any {
	groups := []map[string]any{}
	for _, group := range s.groups {
		filters := []map[string]string{}
		for _, f := range group {
			filters = append(filters, map[string]string{"field": f.field, "value": f.value, "condition_type": f.condition})
		}
		groups = append(groups, map[string]any{"filters": filters})
	}
	out := map[string]any{"filter_groups": groups}
	if len(s.sorts) > 0 {
		sorts := []map[string]string{}
		for _, o := range s.sorts {
			sorts = append(sorts, map[string]string{"field": o.Field, "direction": o.Direction})
		}
		out["sort_orders"] = sorts
	}
	if s.pageSize > 0 {
		out["page_size"] = s.pageSize
	}
	if s.currentPage > 0 {
		out["current_page"] = s.currentPage
	}
	return out
}
