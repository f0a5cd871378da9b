package mirakl

import (
	"fmt"
	"strings"
	"time"
)

// FakeOrder describes an order to put on the fake. Zero fields get realistic defaults.
type FakeOrder struct {
	ID           string    // order_id; default Order_NNNNN-A
	CommercialID string    // commercial_id; default the order_id without its "-A"
	State        string    // order_state; default WAITING_ACCEPTANCE
	Currency     string    // default EUR
	CreatedAt    time.Time // default the fake's clock
	ShippingType string    // shipping_type_code; default STD
	LeadTime     int       // days to ship (leadtime_to_ship); default 2
	Customer     FakeCustomer
	Shipping     FakeAddress
	Billing      *FakeAddress // nil: the shipping address
	// NotificationEmail is the anonymised customer_notification_email; default generated.
	NotificationEmail string
	Lines             []FakeLine
	// TotalPrice overrides total_price as sent (a JSON number, e.g. "0.30000000000000004");
	// default price plus shipping.
	TotalPrice string
}

// FakeCustomer is the buyer.
type FakeCustomer struct {
	ID, FirstName, LastName, Civility, Locale string
}

// FakeAddress is a buyer address. CountryISOCode is alpha-3 and sent as null when empty, as
// some operators do, leaving only the free-text Country.
type FakeAddress struct {
	FirstName, LastName, Company, Street1, Street2, ZipCode, City, State string
	Country, CountryISOCode, Phone, AdditionalInfo                       string
}

// FakeLine is one order line. Prices are decimal strings sent as JSON numbers.
type FakeLine struct {
	ID            string // order_line_id; default <order_id>-<index>
	SKU           string // offer_sku, the seller's SKU
	Title         string
	Quantity      int    // default 1
	UnitPrice     string // price_unit, tax included
	ShippingPrice string // this line's shipping_price; default 0
}

// FakeSnapshot is what the fake holds about an order, for assertions.
type FakeSnapshot struct {
	ID, CommercialID, State string
	LineStates              map[string]string
	AddressesDisclosed      bool
	CanCancel               bool
	CarrierCode             string
	CarrierName             string
	TrackingNumber          string
	TrackingURL             string
	LastUpdated             time.Time
}

type fakeOrder struct {
	spec      FakeOrder
	state     string
	lines     []*fakeLine
	created   time.Time
	updated   time.Time
	decidedAt *time.Time
	debitedAt *time.Time
	// disclosed: the buyer's addresses show once the shop accepted the order.
	disclosed bool
	// debitPending: accepted, the debit completes before anyone sees the order again.
	debitPending bool

	carrierCode, carrierStandardCode, carrierName, trackingNumber, trackingURL string
}

type fakeLine struct {
	spec      FakeLine
	index     int
	offerID   int64
	state     string
	shippedAt *time.Time
}

// beforeAcceptance are the states in which Mirakl hides the buyer's addresses.
var beforeAcceptance = map[string]bool{"STAGING": true, "WAITING_ACCEPTANCE": true, "REFUSED": true}

// AddOrder puts an order on the fake and returns its order_id. It panics on an amount that is
// not a decimal number: a mistake in the test or demo that builds it.
func (f *Fake) AddOrder(spec FakeOrder) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sequence++
	if spec.ID == "" {
		spec.ID = fmt.Sprintf("Order_%05d-A", f.sequence)
	}
	if _, exists := f.orders[spec.ID]; exists {
		panic("mirakl fake: order " + spec.ID + " already exists")
	}
	if spec.CommercialID == "" {
		spec.CommercialID = strings.TrimSuffix(spec.ID, "-A")
	}
	if spec.State == "" {
		spec.State = "WAITING_ACCEPTANCE"
	}
	if spec.Currency == "" {
		spec.Currency = "EUR"
	}
	if spec.CreatedAt.IsZero() {
		spec.CreatedAt = f.now()
	}
	if spec.ShippingType == "" {
		spec.ShippingType = "STD"
	}
	if spec.LeadTime == 0 {
		spec.LeadTime = 2
	}
	if spec.Customer.ID == "" {
		spec.Customer.ID = fmt.Sprintf("CUST-%05d", f.sequence)
	}
	if spec.NotificationEmail == "" {
		spec.NotificationEmail = fmt.Sprintf("notification+%s@notification.mirakl.net", strings.ToLower(spec.ID))
	}
	created := spec.CreatedAt.UTC()
	order := &fakeOrder{spec: spec, state: spec.State, created: created, updated: created}
	for i, line := range spec.Lines {
		if line.ID == "" {
			line.ID = fmt.Sprintf("%s-%d", spec.ID, i+1)
		}
		if line.Quantity == 0 {
			line.Quantity = 1
		}
		mustDecimal(line.UnitPrice)
		mustDecimal(line.ShippingPrice)
		order.lines = append(order.lines, &fakeLine{spec: line, index: i + 1, offerID: int64(2000 + 10*f.sequence + i), state: spec.State})
	}
	if spec.TotalPrice != "" {
		mustDecimal(spec.TotalPrice)
	}
	order.disclosed = !beforeAcceptance[spec.State]
	if order.disclosed && spec.State != "CANCELED" {
		order.decidedAt, order.debitedAt = &created, &created
	}
	f.orders[spec.ID] = order
	f.ordered = append(f.ordered, order)
	return spec.ID
}

// Order returns a snapshot of an order, and false when the fake has none by that id.
func (f *Fake) Order(id string) (FakeSnapshot, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	order, ok := f.orders[id]
	if !ok {
		return FakeSnapshot{}, false
	}
	snapshot := FakeSnapshot{
		ID: order.spec.ID, CommercialID: order.spec.CommercialID, State: order.state,
		LineStates:         map[string]string{},
		AddressesDisclosed: order.disclosed,
		CanCancel:          order.canCancel(),
		CarrierCode:        order.carrierCode, CarrierName: order.carrierName,
		TrackingNumber: order.trackingNumber, TrackingURL: order.trackingURL,
		LastUpdated: order.updated,
	}
	for _, line := range order.lines {
		snapshot.LineStates[line.spec.ID] = line.state
	}
	return snapshot, true
}

// SetState moves an order and all its lines to a state, as the operator or time would.
func (f *Fake) SetState(id, state string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	order, ok := f.orders[id]
	if !ok {
		return fmt.Errorf("mirakl fake: no order %s", id)
	}
	order.debitPending = false
	order.state, order.updated = state, f.now().UTC()
	for _, line := range order.lines {
		line.state = state
	}
	if !beforeAcceptance[state] && state != "CANCELED" {
		order.disclosed = true
	}
	return nil
}

// CancelOrder cancels an order on the marketplace's side (the buyer or the operator did).
func (f *Fake) CancelOrder(id string) error {
	return f.SetState(id, "CANCELED")
}

func (o *fakeOrder) setState(state string, now time.Time) {
	o.state = state
	for _, line := range o.lines {
		if line.state != "REFUSED" && line.state != "CANCELED" {
			line.state = state
		}
	}
	o.updated = now.UTC()
}

// settle completes the debit of an accepted order, WAITING_DEBIT_PAYMENT to SHIPPING. It
// runs first in every request that looks at the order: the payment takes no visible time,
// yet the order goes through both states and its dates move as Mirakl's do.
func (o *fakeOrder) settle(now time.Time) {
	if !o.debitPending {
		return
	}
	o.debitPending = false
	debited := now.UTC()
	o.debitedAt = &debited
	o.state = "SHIPPING"
	for _, line := range o.lines {
		if line.state == "WAITING_DEBIT_PAYMENT" {
			line.state = "SHIPPING"
		}
	}
	o.updated = debited
}

// canCancel mirrors can_cancel: a shop cancels an order it accepted and has not shipped.
func (o *fakeOrder) canCancel() bool { return o.state == "SHIPPING" }

func (o *fakeOrder) line(id string) *fakeLine {
	for _, line := range o.lines {
		if line.spec.ID == id {
			return line
		}
	}
	return nil
}
