package mirakl

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

func TestChangedOrdersPagesThroughWindowsThatOverlap(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	start := b.clock.Now()
	// 250 orders, one a minute, in creation order: three pages of 100, 100 and 50.
	var ids []string
	for i := range 250 {
		order := SampleOrder(i)
		order.CreatedAt = start.Add(time.Duration(i) * time.Minute)
		ids = append(ids, b.fake.AddOrder(order))
	}
	b.clock.Advance(250 * time.Minute)

	page, err := b.client.ChangedOrders(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Orders) != 100 || !page.More {
		t.Fatalf("first page: %d orders, more=%v; want 100 and more", len(page.Orders), page.More)
	}
	// A restart between pages resumes from the stored cursor alone.
	restarted := b.newClient(Config{BaseURL: b.server.URL, APIKey: testKey})
	got := ordersByID(t, page.Orders)
	for page.More {
		if page, err = restarted.ChangedOrders(ctx, page.Cursor); err != nil {
			t.Fatal(err)
		}
		for id := range ordersByID(t, page.Orders) {
			if got[id] {
				t.Errorf("order %s came twice in one window", id)
			}
			got[id] = true
		}
	}
	if len(got) != 250 {
		t.Fatalf("the first window listed %d orders, want 250", len(got))
	}

	// Later: one order changes, one is new. The next window starts at the latest update seen
	// (the last order's creation); Mirakl's delta brings back the last few orders too.
	b.clock.Advance(time.Hour)
	if err := b.fake.CancelOrder(ids[7]); err != nil {
		t.Fatal(err)
	}
	newID := b.fake.AddOrder(SampleOrder(3))
	page, err = b.client.ChangedOrders(ctx, page.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	second := ordersByID(t, page.Orders)
	if page.More {
		t.Error("the second window should fit one page")
	}
	for _, want := range []string{ids[7], newID, ids[249]} {
		if !second[want] {
			t.Errorf("the second window misses %s", want)
		}
	}
	// Orders updated more than the 5-minute delta before the window's start stay out.
	if len(second) != 2+6 {
		t.Errorf("the second window has %d orders, want the changed and new ones plus the last 6 in the overlap", len(second))
	}
	for _, order := range page.Orders {
		if order.MarketplaceOrderID == ids[7] && order.Status != models.StatusCancelled {
			t.Errorf("the changed order reads %s, want cancelled", order.Status)
		}
	}

	// Nothing changed since: the window moves to the latest update and finds only the overlap.
	page, err = b.client.ChangedOrders(ctx, page.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	if third := ordersByID(t, page.Orders); !third[ids[7]] || !third[newID] || len(third) != 2 {
		t.Errorf("the third window lists %v, want just the two orders of the overlap", third)
	}
}

func ordersByID(t *testing.T, orders []models.Order) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for _, order := range orders {
		if ids[order.MarketplaceOrderID] {
			t.Errorf("order %s appears twice in one page", order.MarketplaceOrderID)
		}
		ids[order.MarketplaceOrderID] = true
	}
	return ids
}

func TestChangedOrdersAsksForCreationOrderAndTheWindowStart(t *testing.T) {
	b := setup(t)
	b.clock.Advance(1500 * time.Millisecond) // a last_updated_date with milliseconds
	b.fake.AddOrder(SampleOrder(0))
	recorder := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), recorder)

	page, err := b.client.ChangedOrders(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.client.ChangedOrders(ctx, page.Cursor); err != nil {
		t.Fatal(err)
	}
	exchanges := recorder.Exchanges()
	if len(exchanges) != 2 {
		t.Fatalf("%d exchanges, want 2", len(exchanges))
	}
	first, second := queryOf(t, exchanges[0].URL), queryOf(t, exchanges[1].URL)
	for name, want := range map[string]string{"max": "100", "offset": "0", "sort": "dateCreated", "order": "asc", "order_tax_mode": "TAX_INCLUDED"} {
		if got := first.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if first.Has("start_update_date") {
		t.Errorf("the first poll sent start_update_date=%s; an empty cursor lists from the beginning", first.Get("start_update_date"))
	}
	if got := second.Get("start_update_date"); got != "2024-05-02T09:30:01Z" {
		t.Errorf("the next window starts at %q, want the order's last update, 2024-05-02T09:30:01Z", got)
	}
}

func queryOf(t *testing.T, rawURL string) url.Values {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestChangedOrdersRefusesACursorItDidNotWrite(t *testing.T) {
	b := setup(t)
	_, err := b.client.ChangedOrders(context.Background(), "page=3")
	if err == nil || !strings.Contains(err.Error(), "cursor") {
		t.Errorf("got %v, want an error about the cursor", err)
	}
}

func TestOrderReadsEveryField(t *testing.T) {
	b := setup(t)
	b.clock.Advance(250 * time.Millisecond)
	spec := SampleOrder(1) // Lukas Schmidt, Berlin, two lines
	spec.State = "SHIPPING"
	spec.ID = "MKP-0042-A"
	spec.ShippingType = "EXP"
	billing := FakeAddress{FirstName: "Lukas", LastName: "Schmidt", Company: "Schmidt GmbH", Street1: "Friedrichstraße 100", ZipCode: "10117", City: "Berlin", Country: "Germany", CountryISOCode: "DEU", Phone: "+49 30 1234567"}
	spec.Billing = &billing
	id := b.fake.AddOrder(spec)

	order, err := b.client.Order(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2024, 5, 2, 9, 30, 0, 250e6, time.UTC)
	deadline := time.Date(2024, 5, 4, 23, 59, 59, 999e6, time.UTC)
	want := models.Order{
		MarketplaceOrderID:   "MKP-0042-A",
		MarketplaceReference: "MKP-0042",
		Status:               models.StatusWaitingShipment,
		RawStatus:            "SHIPPING",
		PlacedAt:             created,
		MarketplaceUpdatedAt: created,
		ShipBy:               &deadline,
		ShippingMethod:       "EXP",
		Currency:             "EUR",
		TotalAmount:          2450 + 450 + 2*3999 + 590,
		ShippingAmount:       450 + 590,
		Billing: models.Address{FirstName: "Lukas", LastName: "Schmidt", Company: "Schmidt GmbH", Street1: "Friedrichstraße 100",
			PostalCode: "10117", City: "Berlin", Country: "DE", Phone: "+49 30 1234567", Email: "notification+mkp-0042-a@notification.mirakl.net"},
		Shipping: models.Address{FirstName: "Lukas", LastName: "Schmidt", Street1: "Hauptstraße 5", PostalCode: "10115", City: "Berlin",
			Country: "DE", Phone: "+49 151 2345678", Email: "notification+mkp-0042-a@notification.mirakl.net"},
		Lines: []models.OrderLine{
			{MarketplaceLineID: "MKP-0042-A-1", SKU: "TSHIRT-ORG-M", Title: "Organic cotton T-shirt, size M", Quantity: 1, UnitPrice: 2450, ShippingAmount: 450, RawStatus: "SHIPPING"},
			{MarketplaceLineID: "MKP-0042-A-2", SKU: "LAMP-DESK-01", Title: "LED desk lamp, dimmable", Quantity: 2, UnitPrice: 3999, ShippingAmount: 590, RawStatus: "SHIPPING"},
		},
	}
	compareOrders(t, order, &want)
}

func compareOrders(t *testing.T, got, want *models.Order) {
	t.Helper()
	if got.ShipBy == nil || want.ShipBy == nil || !got.ShipBy.Equal(*want.ShipBy) {
		t.Errorf("ShipBy = %v, want %v", got.ShipBy, want.ShipBy)
	}
	got2, want2 := *got, *want
	got2.ShipBy, want2.ShipBy = nil, nil
	gotText, wantText := fmt.Sprintf("%+v", got2), fmt.Sprintf("%+v", want2)
	if gotText != wantText {
		t.Errorf("order:\n got %s\nwant %s", gotText, wantText)
	}
}

func TestOrderStatusFollowsTheMarketplaceState(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	tests := []struct{ state, status string }{
		{"WAITING_ACCEPTANCE", models.StatusWaitingAcceptance},
		{"WAITING_DEBIT_PAYMENT", models.StatusCreated},
		{"SHIPPING", models.StatusWaitingShipment},
		{"SHIPPED", models.StatusShipped},
		{"TO_COLLECT", models.StatusShipped},
		{"RECEIVED", models.StatusDelivered},
		{"CLOSED", models.StatusDelivered},
		{"REFUSED", models.StatusRefused},
		{"CANCELED", models.StatusCancelled},
		{"STAGING", models.StatusCreated},
		{"PARTIALLY_SHIPPED_2031", models.StatusCreated}, // a value Mirakl adds later
	}
	for _, tt := range tests {
		if err := b.fake.SetState(id, tt.state); err != nil {
			t.Fatal(err)
		}
		order, err := b.client.Order(context.Background(), id)
		if err != nil {
			t.Fatalf("%s: %v", tt.state, err)
		}
		if order.Status != tt.status || order.RawStatus != tt.state || order.Lines[0].RawStatus != tt.state {
			t.Errorf("%s: status %s, raw %s, line %s; want %s, %s", tt.state, order.Status, order.RawStatus, order.Lines[0].RawStatus, tt.status, tt.state)
		}
	}
}

func TestOrderHasNoAddressesBeforeAcceptance(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	order, err := b.client.Order(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if order.Shipping != (models.Address{}) || order.Billing != (models.Address{}) {
		t.Errorf("addresses before acceptance: %+v / %+v, want empty", order.Shipping, order.Billing)
	}
	if order.Status != models.StatusWaitingAcceptance || len(order.Lines) != 1 {
		t.Errorf("status %s with %d lines, want waiting_acceptance with 1", order.Status, len(order.Lines))
	}
}

func TestOrderCountryFromFreeTextWhenISOCodeIsNull(t *testing.T) {
	b := setup(t)
	tests := []struct{ country, want string }{
		{"France (métropolitaine)", "FR"},
		{"Nederland", "NL"},
		{"Atlantis", ""},
	}
	for _, tt := range tests {
		spec := SampleOrder(0)
		spec.State = "SHIPPING"
		spec.Shipping.Country, spec.Shipping.CountryISOCode = tt.country, ""
		order, err := b.client.Order(context.Background(), b.fake.AddOrder(spec))
		if err != nil {
			t.Fatal(err)
		}
		if order.Shipping.Country != tt.want {
			t.Errorf("country %q with a null code = %q, want %q", tt.country, order.Shipping.Country, tt.want)
		}
	}
}

func TestOrderAmountsInMinorUnits(t *testing.T) {
	b := setup(t)
	tests := []struct {
		currency, unitPrice, shipping, totalPrice string
		quantity                                  int
		wantUnit, wantShipping, wantTotal         int64
	}{
		{"EUR", "19.99", "4.99", "", 1, 1999, 499, 2498},
		{"EUR", "0.1", "0.2", "0.30000000000000004", 1, 10, 20, 30},
		{"EUR", "0.1", "0.2", "", 3, 10, 20, 50},
		{"JPY", "1000", "500", "", 2, 1000, 500, 2500},
		{"KWD", "12.345", "1.5", "", 1, 12345, 1500, 13845},
		{"USD", "165", "8", "", 1, 16500, 800, 17300},
	}
	for _, tt := range tests {
		spec := SampleOrder(0)
		spec.Currency, spec.TotalPrice = tt.currency, tt.totalPrice
		spec.Lines = []FakeLine{{SKU: "SKU-1", Title: "Item", Quantity: tt.quantity, UnitPrice: tt.unitPrice, ShippingPrice: tt.shipping}}
		order, err := b.client.Order(context.Background(), b.fake.AddOrder(spec))
		if err != nil {
			t.Fatal(err)
		}
		line := order.Lines[0]
		if line.UnitPrice != tt.wantUnit || line.ShippingAmount != tt.wantShipping || order.TotalAmount != tt.wantTotal || order.ShippingAmount != tt.wantShipping || order.Currency != tt.currency {
			t.Errorf("%s %s×%d + %s: unit %d, shipping %d, total %d; want %d, %d, %d",
				tt.currency, tt.unitPrice, tt.quantity, tt.shipping, line.UnitPrice, line.ShippingAmount, order.TotalAmount, tt.wantUnit, tt.wantShipping, tt.wantTotal)
		}
	}
}

func TestOrderNotFoundIsPermanent(t *testing.T) {
	b := setup(t)
	_, err := b.client.Order(context.Background(), "Order_99999-A")
	if err == nil {
		t.Fatal("no error for an order Mirakl does not have")
	}
	if !apiclient.IsPermanent(err) || !IsNotFound(err) || !strings.Contains(err.Error(), "Order_99999-A") {
		t.Errorf("got %v (permanent %v), want a permanent not-found error naming the order", err, apiclient.IsPermanent(err))
	}
}
