package woocommerce

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

func TestCreateOrderKeepsMarketplacePricesAndTakesStock(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(501)
	id := mustCreate(t, b, order)

	created, ok := b.fake.Order(mustID(t, id))
	if !ok {
		t.Fatalf("the store has no order %s", id)
	}
	// The catalogue says 20.00 a mug; the buyer paid 17.49.
	if created.Total != "49.78" || created.ShippingTotal != "4.90" || created.DiscountTotal != "0.00" {
		t.Errorf("totals: total %s shipping %s discount %s, want 49.78 4.90 0.00", created.Total, created.ShippingTotal, created.DiscountTotal)
	}
	if len(created.LineItems) != 2 {
		t.Fatalf("%d line items, want 2", len(created.LineItems))
	}
	mugLine := created.LineItems[0]
	if mugLine.SKU != "MUG-1" || mugLine.Quantity != 2 || mugLine.Subtotal != "34.98" || mugLine.Total != "34.98" || mugLine.Name != "Mug" {
		t.Errorf("mug line %+v", mugLine)
	}
	if len(created.ShippingLines) != 1 || created.ShippingLines[0].MethodTitle != "STANDARD" || created.ShippingLines[0].Total != "4.90" {
		t.Errorf("shipping lines %+v", created.ShippingLines)
	}
	if created.Status != "processing" || created.DatePaidGMT == nil || created.Currency != "EUR" {
		t.Errorf("status %s paid %v currency %s, want processing, paid, EUR", created.Status, created.DatePaidGMT, created.Currency)
	}
	for key, want := range map[string]string{
		"_orderhub_order_id": "501", "_orderhub_connection_id": "7", "_orderhub_marketplace_order_id": order.MarketplaceOrderID, "_orderhub_test": "",
	} {
		if got := created.Meta(key); got != want {
			t.Errorf("meta %s = %q, want %q", key, got, want)
		}
	}
	if created.Billing.Email != "ada@example.org" || created.Billing.Phone != "+33 1 23 45 67 89" || created.Billing.Address1 != "12 Rue de la Paix" {
		t.Errorf("billing %+v", created.Billing)
	}
	if created.Shipping.Address1 != "3 Quai Branly" || created.Shipping.Postcode != "75007" || created.Shipping.Phone != "+33 6 12 34 56 78" {
		t.Errorf("shipping %+v", created.Shipping)
	}
	if !strings.Contains(created.PaymentMethodTitle, order.MarketplaceOrderID) || created.TransactionID != order.MarketplaceOrderID {
		t.Errorf("payment title %q transaction %q do not name the marketplace order", created.PaymentMethodTitle, created.TransactionID)
	}
	if mug, _ := b.fake.Product("MUG-1"); mug.StockQuantity != 8 {
		t.Errorf("mug stock %d after selling 2 of 10, want 8", mug.StockQuantity)
	}
	if len(b.fake.Orders()) != 1 {
		t.Errorf("%d orders in the store, want 1", len(b.fake.Orders()))
	}
}

func TestTestOrdersAreFlaggedInMeta(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(502)
	order.Test = true
	created, _ := b.fake.Order(mustID(t, mustCreate(t, b, order)))
	if created.Meta("_orderhub_test") != "yes" {
		t.Errorf("test order meta _orderhub_test = %q, want yes", created.Meta("_orderhub_test"))
	}
}

func TestBillingFallsBackToShippingAddress(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(503)
	order.Billing = marketplaceOrder(0).Billing
	order.Billing.Street1, order.Billing.PostalCode, order.Billing.Phone = "", "", ""
	created, _ := b.fake.Order(mustID(t, mustCreate(t, b, order)))
	if created.Billing.Address1 != "3 Quai Branly" || created.Billing.Email != "ada@example.org" || created.Billing.Phone != "+33 6 12 34 56 78" {
		t.Errorf("billing %+v, want the shipping address with the buyer's email", created.Billing)
	}
}

func TestCreateOrderWithUnknownSKUIsPermanent(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(504)
	order.Lines[1].SKU = "NOT-IN-STORE"
	_, err := b.client.CreateOrder(context.Background(), order)
	if err == nil || !apiclient.IsPermanent(err) {
		t.Fatalf("want a permanent error, got %v", err)
	}
	if !strings.Contains(err.Error(), "NOT-IN-STORE") {
		t.Errorf("error %q does not name the SKU", err)
	}
	if n := len(b.fake.Orders()); n != 0 {
		t.Errorf("%d orders created by a refused create", n)
	}
	if mug, _ := b.fake.Product("MUG-1"); mug.StockQuantity != 10 {
		t.Errorf("stock moved by a refused create: %d", mug.StockQuantity)
	}
}

func TestStoreRejectionIsPermanentWithTheStoreMessage(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.RejectNextCreate("woocommerce_rest_invalid_shipping_country", "Shipping to &quot;FR&quot; is not allowed.")
	_, err := b.client.CreateOrder(context.Background(), marketplaceOrder(505))
	if !apiclient.IsPermanent(err) {
		t.Fatalf("want a permanent error, got %v", err)
	}
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "woocommerce_rest_invalid_shipping_country" || apiErr.Message != `Shipping to "FR" is not allowed.` {
		t.Fatalf("error %+v does not carry the store's code and message", apiErr)
	}
	// The rejection was for one create only.
	mustCreate(t, b, marketplaceOrder(505))
	if n := len(b.fake.Orders()); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
}

func TestOrderIsFoundAfterLostCreateResponse(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(506)
	attempt := b.clock.Now()
	order.StoreAttemptAt = &attempt
	b.fake.Faults().LoseNextResponse(apiclient.Match("POST", "/wp-json/wc/v3/orders"), 1)

	_, err := b.client.CreateOrder(context.Background(), order)
	if err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("want a transient error after a lost answer, got %v", err)
	}
	if len(b.sleeps.all()) != 0 {
		t.Errorf("the POST was retried after a lost answer")
	}
	b.clock.Advance(2 * time.Minute)
	found, err := b.client.FindOrder(context.Background(), order)
	if err != nil {
		t.Fatalf("FindOrder: %v", err)
	}
	orders := b.fake.Orders()
	if len(orders) != 1 {
		t.Fatalf("%d orders in the store, want exactly 1", len(orders))
	}
	if found != orders[0].Number {
		t.Errorf("FindOrder = %q, want %q", found, orders[0].Number)
	}
	other := marketplaceOrder(507)
	other.StoreAttemptAt = &attempt
	if found, err := b.client.FindOrder(context.Background(), other); err != nil || found != "" {
		t.Errorf("FindOrder for an order never created = %q, %v", found, err)
	}
}

func TestFindOrderNeverAttemptedAsksNothing(t *testing.T) {
	b := setup(t)
	recorder := &apiclient.Recorder{}
	found, err := b.client.FindOrder(apiclient.WithRecorder(context.Background(), recorder), marketplaceOrder(508))
	if err != nil || found != "" {
		t.Fatalf("FindOrder = %q, %v", found, err)
	}
	if n := len(recorder.Exchanges()); n != 0 {
		t.Errorf("%d API calls for an order never attempted", n)
	}
}

func TestFindOrderReadsEveryPageFromTheAttempt(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.client.pageSize = 2
	var lastID string
	for id := int64(600); id < 605; id++ {
		lastID = mustCreate(t, b, marketplaceOrder(id))
	}
	wanted := marketplaceOrder(604)
	attempt := b.clock.Now()
	wanted.StoreAttemptAt = &attempt
	if found, err := b.client.FindOrder(context.Background(), wanted); err != nil || found != lastID {
		t.Fatalf("FindOrder on page 3 = %q, %v, want %q", found, err, lastID)
	}
	// Orders created more than the margin before the first attempt are not looked at.
	late := attempt.Add(findOrderMargin + time.Second)
	wanted.StoreAttemptAt = &late
	if found, err := b.client.FindOrder(context.Background(), wanted); err != nil || found != "" {
		t.Fatalf("FindOrder from after the creation = %q, %v, want none", found, err)
	}
}

func TestFindOrderIgnoresAnotherConnectionsOrder(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	mustCreate(t, b, marketplaceOrder(610))
	sameIDOtherInstall := marketplaceOrder(610)
	sameIDOtherInstall.ConnectionID = 99
	attempt := b.clock.Now()
	sameIDOtherInstall.StoreAttemptAt = &attempt
	if found, err := b.client.FindOrder(context.Background(), sameIDOtherInstall); err != nil || found != "" {
		t.Fatalf("FindOrder matched another connection's order: %q, %v", found, err)
	}
}

func TestCancelOrderPutsStockBack(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(620))
	if err := b.client.CancelOrder(context.Background(), id); err != nil {
		t.Fatalf("CancelOrder: %v", err)
	}
	cancelled, _ := b.fake.Order(mustID(t, id))
	if cancelled.Status != "cancelled" {
		t.Errorf("status %s, want cancelled", cancelled.Status)
	}
	if mug, _ := b.fake.Product("MUG-1"); mug.StockQuantity != 10 {
		t.Errorf("mug stock %d after cancel, want 10 again", mug.StockQuantity)
	}
	if err := b.client.CancelOrder(context.Background(), "999999"); !apiclient.IsPermanent(err) || apiclient.StatusOf(err) != 404 {
		t.Errorf("cancelling an unknown order: %v, want a permanent 404", err)
	}
	if err := b.client.CancelOrder(context.Background(), "12/../products"); err == nil {
		t.Error("a non-numeric order id was sent")
	}
}

func TestCreateOrderInZeroAndThreeDecimalCurrencies(t *testing.T) {
	for _, tc := range []struct {
		currency      string
		decimals      int
		unit, ship    int64
		line, total   string
		shippingTotal string
	}{
		{"JPY", 0, 1500, 800, "3000", "3800", "800"},
		{"KWD", 3, 12345, 1500, "24.690", "26.190", "1.500"},
	} {
		t.Run(tc.currency, func(t *testing.T) {
			b := setup(t)
			b.fake.SetPriceDecimals(tc.decimals)
			b.fake.AddProduct(ProductSpec{Name: "Fan", SKU: "FAN-1", RegularPrice: "1"})
			order := marketplaceOrder(630)
			order.Currency, order.ShippingAmount = tc.currency, tc.ship
			order.Lines = order.Lines[:1]
			order.Lines[0].SKU, order.Lines[0].UnitPrice = "FAN-1", tc.unit
			created, _ := b.fake.Order(mustID(t, mustCreate(t, b, order)))
			if created.LineItems[0].Total != tc.line || created.Total != tc.total || created.ShippingTotal != tc.shippingTotal {
				t.Errorf("line %s total %s shipping %s, want %s %s %s", created.LineItems[0].Total, created.Total, created.ShippingTotal, tc.line, tc.total, tc.shippingTotal)
			}
		})
	}
}

func TestCreateOrderWithoutCurrencyIsRefusedBeforeCalling(t *testing.T) {
	b := setup(t)
	order := marketplaceOrder(640)
	order.Currency = ""
	if _, err := b.client.CreateOrder(context.Background(), order); err == nil || !strings.Contains(err.Error(), "currency") {
		t.Fatalf("got %v", err)
	}
}
