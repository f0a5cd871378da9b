package vendure

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Fake is a Vendure 3.7 server answering the Admin GraphQL API at /admin-api, as the e2e
// transcript and the published schema show it: login with the session token in the
// vendure-auth-token header, FORBIDDEN without a session, validation failures with HTTP 400,
// business errors as ErrorResult union members with HTTP 200, money in minor units,
// whole-second timestamps, draft orders, manual payments, fulfilments and stock allocation.
// Its channel sells in EUR with prices including 20% tax, and one shipping method "standard"
// at 5.00. Like the real server, adding or shipping a fulfilment does not move the order's
// updatedAt. Go methods let tests and the demo act as the merchant.
type Fake struct {
	username, password string
	faults             *apiclient.Faults

	mu              sync.Mutex
	clock           func() time.Time
	sessions        map[string]bool
	channelToken    string
	currency        string
	taxRate         int64 // percent, included in prices
	trackInventory  bool  // the global setting
	nextID          map[string]int64
	variants        []*fakeVariant
	orders          map[int64]*fakeOrder
	orderIDs        []int64
	customers       map[string]*fakeCustomer
	shippingMethods []*fakeShippingMethod
	countries       map[string]string
}

// FakeProduct is a product with one variant, as AddProduct takes it.
type FakeProduct struct {
	SKU, Name string
	Price     string // "12.90", tax included
	Stock     int
	EAN       string // kept, but Vendure has no EAN field to show it in
}

// FakeOrderView is an order as tests read it.
type FakeOrderView struct {
	Status                      string
	Lines                       []FakeLineView
	ShippingName, City, Country string
	Total                       int64
	Paid                        bool
}

// FakeLineView is one order line: UnitPrice includes tax.
type FakeLineView struct {
	SKU       string
	Quantity  int
	UnitPrice int64
}

type fakeVariant struct {
	id, productID        int64
	sku, name, ean       string
	price                int64 // tax included (the channel's pricesIncludeTax)
	stockOnHand          int
	stockAllocated       int
	trackInventory       string // TRUE, FALSE, INHERIT
	enabled, productOn   bool
	createdAt, updatedAt time.Time
}

type fakeCustomer struct {
	id                                      int64
	firstName, lastName, email, phoneNumber string
}

type fakeShippingMethod struct {
	id         int64
	code, name string
	price      int64 // tax included, taxed at 0%
}

type fakeOrder struct {
	id                              int64
	code, state                     string
	createdAt, updatedAt, placedAt  time.Time
	customFields                    map[string]*string
	lines                           []*fakeLine
	shippingAddress, billingAddress map[string]any
	customer                        *fakeCustomer
	shippingMethod                  *fakeShippingMethod
	payments                        []*fakePayment
	fulfillments                    []*fakeFulfillment
	notes                           []string
}

type fakeLine struct {
	id               int64
	variant          *fakeVariant
	quantity         int
	unitPriceWithTax int64
	createdAt        time.Time
	updatedAt        time.Time
}

type fakePayment struct {
	id                           int64
	method, state, transactionID string
	amount                       int64
	metadata                     any
	createdAt                    time.Time
}

type fakeFulfillment struct {
	id                   int64
	state, method        string
	trackingCode         string
	lines                map[int64]int // order line id → quantity
	createdAt, updatedAt time.Time
}

// NewFake returns an empty store whose superadmin has these credentials.
func NewFake(username, password string) *Fake {
	return &Fake{
		username:       username,
		password:       password,
		faults:         &apiclient.Faults{},
		clock:          time.Now,
		sessions:       map[string]bool{},
		channelToken:   "default-channel",
		currency:       "EUR",
		taxRate:        20,
		trackInventory: true,
		nextID:         map[string]int64{},
		orders:         map[int64]*fakeOrder{},
		customers:      map[string]*fakeCustomer{},
		shippingMethods: []*fakeShippingMethod{
			{id: 1, code: "standard", name: "Standard shipping", price: 500},
		},
		countries: map[string]string{"FR": "France", "DE": "Germany", "BE": "Belgium", "NL": "Netherlands", "ES": "Spain",
			"IT": "Italy", "GB": "United Kingdom", "US": "United States", "PL": "Poland", "AT": "Austria"},
	}
}

// Handler serves the API, with the armed faults applied.
func (f *Fake) Handler() http.Handler { return f.faults.Wrap(http.HandlerFunc(f.serve)) }

// Faults lets tests inject latency, errors, throttling and lost answers.
func (f *Fake) Faults() *apiclient.Faults { return f.faults }

// Config returns a client Config for the fake served at baseURL (the server root).
func (f *Fake) Config(baseURL string) Config {
	return Config{BaseURL: strings.TrimRight(baseURL, "/") + "/admin-api", Username: f.username, Password: f.password}
}

// SetClock replaces the server's clock.
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = now
}

// ChannelToken is the token of the fake's one channel (the vendure-token header).
func (f *Fake) ChannelToken() string { return f.channelToken }

// ExpireSessions ends every session, as a restart of an in-memory server or an expiry does.
func (f *Fake) ExpireSessions() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions = map[string]bool{}
}

// SetGlobalTrackInventory sets the global "track inventory" setting variants inherit.
func (f *Fake) SetGlobalTrackInventory(track bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.trackInventory = track
}

// UpdateVariant changes a variant as the merchant would in the admin UI (and moves its
// updatedAt): enabled, tracking ("TRUE", "FALSE", "INHERIT"), stock on hand.
func (f *Fake) UpdateVariant(sku string, enabled bool, trackInventory string, stockOnHand int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.variantBySKU(sku)
	if v == nil {
		return fmt.Errorf("no variant with SKU %q", sku)
	}
	v.enabled, v.trackInventory, v.stockOnHand, v.updatedAt = enabled, trackInventory, stockOnHand, f.now()
	return nil
}

// AddProduct adds a product with one enabled variant that tracks its stock.
func (f *Fake) AddProduct(p FakeProduct) {
	f.mu.Lock()
	defer f.mu.Unlock()
	price, err := parseDecimal(p.Price)
	if err != nil {
		panic(fmt.Sprintf("vendure fake: product %s: %v", p.SKU, err))
	}
	now := f.now()
	f.variants = append(f.variants, &fakeVariant{
		id: f.newID("variant"), productID: f.newID("product"), sku: p.SKU, name: p.Name, ean: p.EAN, price: price,
		stockOnHand: p.Stock, trackInventory: "INHERIT", enabled: true, productOn: true, createdAt: now, updatedAt: now,
	})
}

// Stock returns what can still be sold of a SKU: on hand less what paid orders hold.
func (f *Fake) Stock(sku string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.variantBySKU(sku)
	if v == nil {
		return 0, false
	}
	return v.stockOnHand - v.stockAllocated, true
}

// OrdersFor lists the orders (drafts included) carrying orderhub's order id.
func (f *Fake) OrdersFor(orderhubOrderID int64) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, id := range f.orderIDs {
		o := f.orders[id]
		if marker := o.customFields["externalChannel"]; marker != nil {
			if _, orderID, ok := parseMarker(*marker); ok && orderID == orderhubOrderID {
				ids = append(ids, strconv.FormatInt(id, 10))
			}
		}
	}
	return ids
}

// Order returns a view of one order.
func (f *Fake) Order(storeOrderID string) (FakeOrderView, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orderByID(storeOrderID)
	if o == nil {
		return FakeOrderView{}, false
	}
	view := FakeOrderView{Status: o.state, Total: o.totalWithTax()}
	for _, line := range o.lines {
		view.Lines = append(view.Lines, FakeLineView{SKU: line.variant.sku, Quantity: line.quantity, UnitPrice: line.unitPriceWithTax})
	}
	if o.shippingAddress != nil {
		view.ShippingName, _ = o.shippingAddress["fullName"].(string)
		view.City, _ = o.shippingAddress["city"].(string)
		view.Country, _ = o.shippingAddress["countryCode"].(string)
	}
	for _, p := range o.payments {
		view.Paid = view.Paid || p.state == "Settled"
	}
	return view, true
}

// Notes returns the notes added to an order.
func (f *Fake) Notes(storeOrderID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o := f.orderByID(storeOrderID); o != nil {
		return append([]string(nil), o.notes...)
	}
	return nil
}

// Ship fulfils every unfulfilled line with the manual fulfilment handler (method = carrier,
// trackingCode = tracking) and moves the fulfilment to Shipped. The order's updatedAt stays.
func (f *Fake) Ship(storeOrderID, carrier, tracking string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orderByID(storeOrderID)
	if o == nil {
		return fmt.Errorf("no order %s", storeOrderID)
	}
	lines := map[int64]int{}
	for _, line := range o.lines {
		if left := line.quantity - o.fulfilledQuantity(line.id); left > 0 {
			lines[line.id] = left
		}
	}
	fulfillment, errResult := f.addFulfillment(o, lines, "manual-fulfillment", carrier, tracking)
	if errResult != nil {
		return fmt.Errorf("%s: %s", errResult["errorCode"], errResult["message"])
	}
	if errResult := f.transitionFulfillment(fulfillment, "Shipped"); errResult != nil {
		return fmt.Errorf("%s: %s", errResult["errorCode"], errResult["message"])
	}
	return nil
}

// AddTracking sets the carrier and tracking code on the order's latest fulfilment. The Admin
// API has no mutation for it; a plugin or a database edit does it, which moves the
// fulfilment's updatedAt, not the order's.
func (f *Fake) AddTracking(storeOrderID, carrier, tracking string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orderByID(storeOrderID)
	if o == nil || len(o.fulfillments) == 0 {
		return fmt.Errorf("no fulfilled order %s", storeOrderID)
	}
	latest := o.fulfillments[len(o.fulfillments)-1]
	if carrier != "" {
		latest.method = carrier
	}
	latest.trackingCode, latest.updatedAt = tracking, f.now()
	return nil
}

// Cancel cancels the order as the merchant would (cancelOrder with every line and shipping).
func (f *Fake) Cancel(storeOrderID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orderByID(storeOrderID)
	if o == nil {
		return fmt.Errorf("no order %s", storeOrderID)
	}
	if result := f.cancel(o); result["__typename"] != "Order" {
		return fmt.Errorf("%s: %s", result["errorCode"], result["message"])
	}
	return nil
}

// LoseNextCreateAnswer lets the next addManualPaymentToOrder (the last call creating an
// order) act, then drops the connection before answering.
func (f *Fake) LoseNextCreateAnswer() {
	f.faults.LoseNextResponse(MatchOperation("addManualPaymentToOrder"), 1)
}

// MatchOperation selects GraphQL requests whose query mentions name, for Faults.
func MatchOperation(name string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		if r.Method != http.MethodPost || r.Body == nil {
			return false
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var request gqlRequest
		return json.Unmarshal(body, &request) == nil && strings.Contains(request.Query, name)
	}
}

// ---- helpers; callers hold f.mu ----

// now is the server's time to the second, as Vendure on sql.js stores it.
func (f *Fake) now() time.Time { return f.clock().UTC().Truncate(time.Second) }

func (f *Fake) newID(kind string) int64 {
	f.nextID[kind]++
	return f.nextID[kind]
}

func (f *Fake) variantBySKU(sku string) *fakeVariant {
	for _, v := range f.variants {
		if v.sku == sku {
			return v
		}
	}
	return nil
}

func (f *Fake) orderByID(id string) *fakeOrder {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	return f.orders[n]
}

func (v *fakeVariant) tracked(global bool) bool {
	return v.trackInventory == "TRUE" || (v.trackInventory == "INHERIT" && global)
}

func (o *fakeOrder) fulfilledQuantity(lineID int64) int {
	total := 0
	for _, fulfillment := range o.fulfillments {
		if fulfillment.state != "Cancelled" {
			total += fulfillment.lines[lineID]
		}
	}
	return total
}

func (o *fakeOrder) subTotalWithTax() int64 {
	var total int64
	for _, line := range o.lines {
		total += line.unitPriceWithTax * int64(line.quantity)
	}
	return total
}

func (o *fakeOrder) shippingWithTax() int64 {
	if o.shippingMethod == nil {
		return 0
	}
	return o.shippingMethod.price
}

func (o *fakeOrder) totalWithTax() int64 { return o.subTotalWithTax() + o.shippingWithTax() }

// withoutTax takes the included tax out of a price, rounded as Vendure rounds.
func (f *Fake) withoutTax(gross int64) int64 {
	return (gross*100*2 + (100 + f.taxRate)) / ((100 + f.taxRate) * 2)
}

func newToken() string {
	random := make([]byte, 20)
	rand.Read(random)
	return hex.EncodeToString(random)
}

// parseDecimal reads "12.90" into minor units.
func parseDecimal(value string) (int64, error) {
	whole, fraction, _ := strings.Cut(strings.TrimSpace(value), ".")
	if len(fraction) > 2 {
		return 0, errors.New("price " + value + " has more than two decimals")
	}
	fraction += strings.Repeat("0", 2-len(fraction))
	amount, err := strconv.ParseInt(whole+fraction, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("price %q is not a decimal amount", value)
	}
	return amount, nil
}

func sortedKeys[V any](m map[int64]V) []int64 {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
