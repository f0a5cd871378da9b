package prestashop

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Fake is a stateful PrestaShop webservice written from the public documentation: key as the
// Basic user with an empty password (or ws_key), XML by default and JSON on output_format=JSON,
// XML-only writes, display/filter/sort/limit on lists, a bare [] for an empty list, the
// customer → address → cart → order chain with Order::addWs's behaviour (the order is
// validated through an installed payment module, priced from the cart and its specific
// prices, put in "Remote payment accepted", or "Payment error" when the posted total_paid
// differs), order_histories for state changes, order_carriers holding the tracking number,
// and carriers whose url holds @ for it. Dates are shop-local (UTC here) with no zone.
type Fake struct {
	mu      sync.Mutex
	key     string
	faults  *apiclient.Faults
	clock   time.Time
	tables  map[string]*fakeTable
	modules map[string]bool
}

// FakeProduct is a simple product (no combinations) with its stock.
type FakeProduct struct {
	SKU, Name string
	Price     string // "12.90", tax included (the fake's products carry no tax)
	Stock     int
	EAN       string
}

// FakeOrderView is what a test checks on an order.
type FakeOrderView struct {
	Status                      string // the order state's name
	Lines                       []FakeLineView
	ShippingName, City, Country string
	Total                       int64 // total_paid in cents
	Paid                        bool
}

// FakeLineView is one order row.
type FakeLineView struct {
	SKU       string
	Quantity  int
	UnitPrice int64 // tax included, cents
}

// Fake order states, as a fresh installation numbers them.
const (
	fakeStatePaymentError = 8
	fakeStateWSPayment    = 11
)

// Fake carrier ids: 1 is the free carrier the fake's Config creates orders with.
const fakeFreeCarrier = 1

// NewFake returns a shop that accepts key (32 characters, as PrestaShop generates them).
func NewFake(key string) *Fake {
	f := &Fake{
		key:     key,
		faults:  &apiclient.Faults{},
		clock:   time.Now().UTC().Add(-time.Hour).Truncate(time.Second),
		tables:  newFakeTables(),
		modules: map[string]bool{"ps_wirepayment": true, "ps_checkpayment": true},
	}
	f.seed()
	return f
}

// Handler serves the webservice under /api/, wrapped in the fault injector.
func (f *Fake) Handler() http.Handler { return f.faults.Wrap(http.HandlerFunc(f.serve)) }

// Faults arms failures on the handler.
func (f *Fake) Faults() *apiclient.Faults { return f.faults }

// Config returns a client Config that works against the fake served at baseURL.
func (f *Fake) Config(baseURL string) Config {
	return Config{BaseURL: baseURL, WebserviceKey: f.key, CarrierID: fakeFreeCarrier, TimeZone: "UTC"}
}

// AddProduct adds an enabled simple product with its stock; an existing reference is updated.
func (f *Fake) AddProduct(p FakeProduct) {
	f.mu.Lock()
	defer f.mu.Unlock()
	products := f.tables["products"]
	now := f.tick()
	for _, r := range products.sorted() {
		if r.v["reference"] == p.SKU {
			r.v["name"], r.v["price"], r.v["ean13"], r.v["date_upd"] = p.Name, fakeDecimal(p.Price), p.EAN, now
			f.stockRow(r.id, 0).v["quantity"] = strconv.Itoa(p.Stock)
			return
		}
	}
	product := products.insert(map[string]string{
		"reference": p.SKU, "ean13": p.EAN, "name": p.Name, "active": "1", "available_for_order": "1",
		"visibility": "both", "price": fakeDecimal(p.Price), "id_tax_rules_group": "0", "date_add": now, "date_upd": now,
	})
	f.tables["stock_availables"].insert(map[string]string{
		"id_product": strconv.FormatInt(product.id, 10), "id_product_attribute": "0",
		"quantity": strconv.Itoa(p.Stock), "out_of_stock": "2", "depends_on_stock": "0",
	})
}

// Stock returns the quantity in stock of the product or combination with reference sku.
func (f *Fake) Stock(sku string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	productID, attributeID, ok := f.findReference(sku)
	if !ok {
		return 0, false
	}
	quantity, _ := strconv.Atoi(f.stockRow(productID, attributeID).v["quantity"])
	return quantity, true
}

// OrdersFor returns the ids of the orders whose gift_message carries orderhub's marker for
// that orderhub order.
func (f *Fake) OrdersFor(orderhubOrderID int64) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	prefix := fmt.Sprintf("%s%d:", markerPrefix, orderhubOrderID)
	var ids []string
	for _, r := range f.tables["orders"].sorted() {
		if strings.HasPrefix(r.v["gift_message"], prefix) {
			ids = append(ids, strconv.FormatInt(r.id, 10))
		}
	}
	return ids
}

// Order returns what a test checks on one order.
func (f *Fake) Order(storeOrderID string) (FakeOrderView, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	order, ok := f.row("orders", storeOrderID)
	if !ok {
		return FakeOrderView{}, false
	}
	state, _ := f.tables["order_states"].get(fakeAtoi(order.v["current_state"]))
	view := FakeOrderView{Total: fakeCents(order.v["total_paid"])}
	if state != nil {
		view.Status, view.Paid = state.v["name"], state.v["paid"] == "1"
	}
	if address, ok := f.tables["addresses"].get(fakeAtoi(order.v["id_address_delivery"])); ok {
		view.ShippingName = strings.TrimSpace(address.v["firstname"] + " " + address.v["lastname"])
		view.City = address.v["city"]
		if country, ok := f.tables["countries"].get(fakeAtoi(address.v["id_country"])); ok {
			view.Country = country.v["iso_code"]
		}
	}
	for _, line := range order.assoc["order_rows"] {
		quantity, _ := strconv.Atoi(line["product_quantity"])
		view.Lines = append(view.Lines, FakeLineView{SKU: line["product_reference"], Quantity: quantity, UnitPrice: fakeCents(line["unit_price_tax_incl"])})
	}
	return view, true
}

// Ship is the merchant shipping the order in the back office: the order moves to Shipped, and
// the order carrier gets the carrier (by name; an unknown name becomes a new carrier without a
// tracking URL) and the tracking number. carrier "" keeps the order's carrier.
func (f *Fake) Ship(storeOrderID, carrier, tracking string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	order, ok := f.row("orders", storeOrderID)
	if !ok {
		return fmt.Errorf("no order %s", storeOrderID)
	}
	f.setTracking(order, carrier, tracking)
	return f.changeState(order, stateShipped)
}

// AddTracking is the merchant filling the tracking number later; the order's date_upd moves,
// as the back office saves the order with its shipping number.
func (f *Fake) AddTracking(storeOrderID, carrier, tracking string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	order, ok := f.row("orders", storeOrderID)
	if !ok {
		return fmt.Errorf("no order %s", storeOrderID)
	}
	f.setTracking(order, carrier, tracking)
	order.v["date_upd"] = f.tick()
	return nil
}

// Cancel is the merchant cancelling the order in the back office.
func (f *Fake) Cancel(storeOrderID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	order, ok := f.row("orders", storeOrderID)
	if !ok {
		return fmt.Errorf("no order %s", storeOrderID)
	}
	return f.changeState(order, stateCanceled)
}

// LoseNextCreateAnswer makes the next order POST create the order, then drop the connection.
func (f *Fake) LoseNextCreateAnswer() {
	f.faults.LoseNextResponse(func(r *http.Request) bool {
		return r.Method == http.MethodPost && strings.TrimRight(r.URL.Path, "/") == "/api/orders"
	}, 1)
}

// AddCombination adds a combination with its own reference and stock to the product whose
// reference is parentSKU.
func (f *Fake) AddCombination(parentSKU, sku string, stock int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	productID, attributeID, ok := f.findReference(parentSKU)
	if !ok || attributeID != 0 {
		return fmt.Errorf("no product %q", parentSKU)
	}
	combination := f.tables["combinations"].insert(map[string]string{
		"id_product": strconv.FormatInt(productID, 10), "reference": sku, "ean13": "", "price": "0.000000",
	})
	f.tables["stock_availables"].insert(map[string]string{
		"id_product": strconv.FormatInt(productID, 10), "id_product_attribute": strconv.FormatInt(combination.id, 10),
		"quantity": strconv.Itoa(stock), "out_of_stock": "2", "depends_on_stock": "0",
	})
	return nil
}

// SetProductActive enables or disables a product.
func (f *Fake) SetProductActive(sku string, active bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if productID, attributeID, ok := f.findReference(sku); ok && attributeID == 0 {
		r, _ := f.tables["products"].get(productID)
		r.v["active"], r.v["date_upd"] = map[bool]string{true: "1", false: "0"}[active], f.tick()
	}
}

// tick moves the shop's clock to now, or one second past its last change when that is
// later, and returns it as PrestaShop writes dates, so every change has its own date_upd.
func (f *Fake) tick() string {
	next := time.Now().UTC().Truncate(time.Second)
	if !next.After(f.clock) {
		next = f.clock.Add(time.Second)
	}
	f.clock = next
	return f.clock.Format(psTimeLayout)
}

func (f *Fake) row(resource, id string) (*fakeRow, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, false
	}
	return f.tables[resource].get(n)
}

func (f *Fake) findReference(sku string) (productID, attributeID int64, ok bool) {
	for _, r := range f.tables["products"].sorted() {
		if r.v["reference"] == sku && sku != "" {
			return r.id, 0, true
		}
	}
	for _, r := range f.tables["combinations"].sorted() {
		if r.v["reference"] == sku && sku != "" {
			return fakeAtoi(r.v["id_product"]), r.id, true
		}
	}
	return 0, 0, false
}

// stockRow returns the stock_availables row of a product or combination, creating it.
func (f *Fake) stockRow(productID, attributeID int64) *fakeRow {
	stocks := f.tables["stock_availables"]
	for _, r := range stocks.sorted() {
		if fakeAtoi(r.v["id_product"]) == productID && fakeAtoi(r.v["id_product_attribute"]) == attributeID {
			return r
		}
	}
	return stocks.insert(map[string]string{
		"id_product": strconv.FormatInt(productID, 10), "id_product_attribute": strconv.FormatInt(attributeID, 10),
		"quantity": "0", "out_of_stock": "2", "depends_on_stock": "0",
	})
}

func (f *Fake) setTracking(order *fakeRow, carrierName, tracking string) {
	carrierID := fakeAtoi(order.v["id_carrier"])
	if carrierName != "" {
		carrierID = 0
		for _, r := range f.tables["carriers"].sorted() {
			if strings.EqualFold(r.v["name"], carrierName) {
				carrierID = r.id
			}
		}
		if carrierID == 0 {
			carrierID = f.tables["carriers"].insert(map[string]string{"name": carrierName, "url": "", "is_free": "0", "active": "1", "deleted": "0"}).id
		}
	}
	order.v["id_carrier"] = strconv.FormatInt(carrierID, 10)
	for _, r := range f.tables["order_carriers"].sorted() {
		if r.v["id_order"] == strconv.FormatInt(order.id, 10) {
			r.v["id_carrier"], r.v["tracking_number"] = order.v["id_carrier"], tracking
		}
	}
}

// changeState adds a history row and applies it, as OrderHistory::changeIdOrderState does:
// cancelling puts the stock back.
func (f *Fake) changeState(order *fakeRow, state int64) error {
	if _, ok := f.tables["order_states"].get(state); !ok {
		return fmt.Errorf("no order state %d", state)
	}
	previous := fakeAtoi(order.v["current_state"])
	now := f.tick()
	f.tables["order_histories"].insert(map[string]string{
		"id_order": strconv.FormatInt(order.id, 10), "id_order_state": strconv.FormatInt(state, 10), "id_employee": "0", "date_add": now,
	})
	if state == stateCanceled && previous != stateCanceled {
		f.restock(order, +1)
	} else if previous == stateCanceled && state != stateCanceled {
		f.restock(order, -1)
	}
	order.v["current_state"], order.v["date_upd"] = strconv.FormatInt(state, 10), now
	return nil
}

func (f *Fake) restock(order *fakeRow, sign int) {
	for _, line := range order.assoc["order_rows"] {
		stock := f.stockRow(fakeAtoi(line["product_id"]), fakeAtoi(line["product_attribute_id"]))
		quantity, _ := strconv.Atoi(stock.v["quantity"])
		ordered, _ := strconv.Atoi(line["product_quantity"])
		stock.v["quantity"] = strconv.Itoa(quantity + sign*ordered)
	}
}

func newSecureKey() string {
	random := make([]byte, 16)
	rand.Read(random)
	return hex.EncodeToString(random)
}

// fakeDecimal writes a price with PrestaShop's six decimals.
func fakeDecimal(value string) string {
	cents, err := parseMinor(value, 6)
	if err != nil {
		return "0.000000"
	}
	return fmt.Sprintf("%d.%06d", cents/1e6, cents%1e6)
}

func fakeCents(value string) int64 {
	cents, _ := parseMinor(value, 2)
	return cents
}

func fakeAtoi(value string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
	return n
}

// fakeTable is one resource's rows.
type fakeTable struct {
	singular  string
	fields    []string // in output order; "id" first
	multilang map[string]bool
	assocs    map[string][]string // association name → its fields
	rows      map[int64]*fakeRow
	next      int64
}

type fakeRow struct {
	id    int64
	v     map[string]string
	assoc map[string][]map[string]string
}

func (t *fakeTable) insert(values map[string]string) *fakeRow {
	t.next++
	r := &fakeRow{id: t.next, v: map[string]string{}, assoc: map[string][]map[string]string{}}
	for _, field := range t.fields {
		r.v[field] = values[field]
	}
	r.v["id"] = strconv.FormatInt(r.id, 10)
	t.rows[r.id] = r
	return r
}

func (t *fakeTable) get(id int64) (*fakeRow, bool) {
	r, ok := t.rows[id]
	return r, ok
}

func (t *fakeTable) sorted() []*fakeRow {
	rows := make([]*fakeRow, 0, len(t.rows))
	for _, r := range t.rows {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
	return rows
}

func (t *fakeTable) has(field string) bool {
	for _, f := range t.fields {
		if f == field {
			return true
		}
	}
	return false
}

func newFakeTables() map[string]*fakeTable {
	def := func(singular string, fields string, multilang ...string) *fakeTable {
		t := &fakeTable{singular: singular, fields: strings.Fields("id " + fields), multilang: map[string]bool{}, assocs: map[string][]string{}, rows: map[int64]*fakeRow{}}
		for _, field := range multilang {
			t.multilang[field] = true
		}
		return t
	}
	tables := map[string]*fakeTable{
		"products":         def("product", "reference ean13 name active available_for_order visibility price id_tax_rules_group date_add date_upd", "name"),
		"combinations":     def("combination", "id_product reference ean13 price"),
		"stock_availables": def("stock_available", "id_product id_product_attribute quantity out_of_stock depends_on_stock"),
		"currencies":       def("currency", "iso_code conversion_rate active"),
		"countries":        def("country", "iso_code contains_states need_zip_code active name", "name"),
		"states":           def("state", "id_country iso_code name active"),
		"customers":        def("customer", "email firstname lastname is_guest active id_lang secure_key date_add date_upd"),
		"addresses":        def("address", "id_customer id_country id_state alias company lastname firstname address1 address2 postcode city phone phone_mobile date_add date_upd"),
		"carts":            def("cart", "id_currency id_lang id_customer id_address_delivery id_address_invoice id_carrier gift gift_message secure_key date_add date_upd"),
		"specific_prices":  def("specific_price", "id_shop_group id_shop id_cart id_product id_product_attribute id_currency id_country id_group id_customer price from_quantity reduction reduction_tax reduction_type from to"),
		"orders":           def("order", "reference id_cart id_customer id_address_delivery id_address_invoice id_currency id_lang id_carrier current_state module payment total_paid total_paid_real total_products total_products_wt total_shipping conversion_rate gift_message valid secure_key date_add date_upd"),
		"order_histories":  def("order_history", "id_order id_order_state id_employee date_add"),
		"order_carriers":   def("order_carrier", "id_order id_carrier id_order_invoice weight shipping_cost_tax_excl shipping_cost_tax_incl tracking_number date_add"),
		"carriers":         def("carrier", "name url is_free active deleted"),
		"order_states":     def("order_state", "name shipped paid delivery", "name"),
		"tax_rules":        def("tax_rule", "id_tax_rules_group id_country id_tax"),
		"taxes":            def("tax", "rate name"),
	}
	tables["carts"].assocs["cart_rows"] = []string{"id_product", "id_product_attribute", "id_address_delivery", "quantity"}
	tables["orders"].assocs["order_rows"] = []string{"id", "product_id", "product_attribute_id", "product_quantity", "product_name", "product_reference", "product_price", "unit_price_tax_incl", "unit_price_tax_excl"}
	return tables
}

// seed fills what a fresh installation has: currencies, countries, carriers, order states.
func (f *Fake) seed() {
	for _, c := range [][3]string{{"EUR", "1.000000", "1"}, {"USD", "1.080000", "1"}, {"GBP", "0.850000", "1"}} {
		f.tables["currencies"].insert(map[string]string{"iso_code": c[0], "conversion_rate": c[1], "active": c[2]})
	}
	for _, c := range [][3]string{{"FR", "France", "0"}, {"DE", "Germany", "0"}, {"BE", "Belgium", "0"}, {"NL", "Netherlands", "0"}, {"ES", "Spain", "0"}, {"IT", "Italy", "0"}, {"GB", "United Kingdom", "0"}, {"US", "United States", "1"}} {
		f.tables["countries"].insert(map[string]string{"iso_code": c[0], "name": c[1], "contains_states": c[2], "need_zip_code": "1", "active": "1"})
	}
	us := strconv.FormatInt(int64(len(f.tables["countries"].rows)), 10)
	for _, s := range [][2]string{{"CA", "California"}, {"NY", "New York"}} {
		f.tables["states"].insert(map[string]string{"id_country": us, "iso_code": s[0], "name": s[1], "active": "1"})
	}
	for _, c := range [][3]string{
		{"Marketplace orders", "", "1"},
		{"Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code=@", "0"},
		{"DHL", "https://www.dhl.com/fr-en/home/tracking.html?tracking-id=@", "0"},
		{"UPS", "https://www.ups.com/track?tracknum=@", "0"},
	} {
		f.tables["carriers"].insert(map[string]string{"name": c[0], "url": c[1], "is_free": c[2], "active": "1", "deleted": "0"})
	}
	states := [][4]string{ // name, shipped, paid, delivery
		{"Awaiting check payment", "0", "0", "0"}, {"Payment accepted", "0", "1", "0"}, {"Processing in progress", "0", "1", "0"},
		{"Shipped", "1", "1", "1"}, {"Delivered", "1", "1", "1"}, {"Canceled", "0", "0", "0"}, {"Refunded", "0", "1", "0"},
		{"Payment error", "0", "0", "0"}, {"On backorder (paid)", "0", "1", "0"}, {"Awaiting bank wire payment", "0", "0", "0"},
		{"Remote payment accepted", "0", "1", "0"}, {"On backorder (not paid)", "0", "0", "0"},
	}
	for _, s := range states {
		f.tables["order_states"].insert(map[string]string{"name": s[0], "shipped": s[1], "paid": s[2], "delivery": s[3]})
	}
}
