package vendure

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

func TestCreateOrderPaysADraftOrderWithOrderhubIDs(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(501)
	id := mustCreate(t, b, order)

	view, ok := b.fake.Order(id)
	if !ok {
		t.Fatalf("the store has no order %s", id)
	}
	if view.Status != "PaymentSettled" || !view.Paid {
		t.Errorf("status %s paid %v, want PaymentSettled and paid", view.Status, view.Paid)
	}
	if len(view.Lines) != 2 || view.Lines[0] != (FakeLineView{SKU: "MUG-BLUE", Quantity: 2, UnitPrice: 1500}) ||
		view.Lines[1] != (FakeLineView{SKU: "POSTER-1", Quantity: 1, UnitPrice: 990}) {
		t.Errorf("lines %+v", view.Lines)
	}
	// Vendure prices from its catalogue: 2 × 15.00 + 9.90 + 5.00 shipping.
	if view.Total != 4490 || view.ShippingName != "Jeanne Martin" || view.City != "Paris" || view.Country != "FR" {
		t.Errorf("view %+v", view)
	}
	if got := b.fake.OrdersFor(501); len(got) != 1 || got[0] != id {
		t.Errorf("OrdersFor(501) = %v, want [%s]", got, id)
	}
	o := b.fake.orderByID(id)
	if *o.customFields["externalOrderId"] != order.MarketplaceOrderID || *o.customFields["externalChannel"] != "orderhub:7:501" {
		t.Errorf("custom fields %v %v", *o.customFields["externalOrderId"], *o.customFields["externalChannel"])
	}
	if o.billingAddress["streetLine1"] != "12 rue de la Paix" || o.shippingAddress["streetLine1"] != "3 quai Branly" || o.shippingAddress["phoneNumber"] != "+33600000000" {
		t.Errorf("addresses billing %v shipping %v", o.billingAddress, o.shippingAddress)
	}
	if o.customer.email != "buyer+402@marketplace.example" || o.customer.lastName != "Martin" {
		t.Errorf("customer %+v", o.customer)
	}
	if p := o.payments[0]; p.method != DefaultPaymentMethodCode || p.transactionID != order.MarketplaceOrderID || p.amount != 4490 || p.state != "Settled" {
		t.Errorf("payment %+v", p)
	}
	if o.shippingMethod == nil || o.shippingMethod.code != "standard" {
		t.Errorf("shipping method %+v", o.shippingMethod)
	}
	// The marketplace's prices could not be set: the note tells the merchant.
	notes := b.fake.Notes(id)
	if len(notes) != 1 || !strings.Contains(notes[0], "MUG-BLUE: marketplace 14.50 EUR a unit, Vendure 15.00 EUR") || !strings.Contains(notes[0], "43.90 EUR") {
		t.Errorf("notes %q", notes)
	}
	if stock, _ := b.fake.Stock("MUG-BLUE"); stock != 8 {
		t.Errorf("mug stock %d after selling 2 of 10, want 8 (allocated)", stock)
	}
}

func TestOrderAtCataloguePricesGetsNoNote(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(502)
	order.Lines[0].UnitPrice = 1500
	if notes := b.fake.Notes(mustCreate(t, b, order)); len(notes) != 0 {
		t.Errorf("notes %q for an order at Vendure's prices", notes)
	}
}

func TestCreateOrderRefusalsArePermanentWithTheStoresMessage(t *testing.T) {
	for _, tc := range []struct {
		name, code, message string
		change              func(b *testBundle, o *ordersChange)
	}{
		{"unknown SKU", "UNKNOWN_SKU", `no product variant with SKU "NOT-IN-STORE"`, func(b *testBundle, c *ordersChange) { c.sku = "NOT-IN-STORE" }},
		{"out of stock", "INSUFFICIENT_STOCK_ERROR", "SKU POSTER-1: No items were added to the order due to insufficient stock", func(b *testBundle, c *ordersChange) {
			b.fake.UpdateVariant("POSTER-1", true, "INHERIT", 0)
		}},
		{"not enough stock", "INSUFFICIENT_STOCK_ERROR", "SKU POSTER-1: Only 5 items were added to the order due to insufficient stock", func(b *testBundle, c *ordersChange) { c.quantity = 6 }},
		{"disabled variant", "VARIANT_DISABLED", `the product variant with SKU "POSTER-1" is disabled in Vendure`, func(b *testBundle, c *ordersChange) {
			b.fake.UpdateVariant("POSTER-1", false, "INHERIT", 5)
		}},
		{"unknown country", "USER_INPUT_ERROR", `The countryCode "ZZ" was not recognized`, func(b *testBundle, c *ordersChange) { c.country = "ZZ" }},
		{"other currency", "CURRENCY_MISMATCH", "the order is in GBP", func(b *testBundle, c *ordersChange) { c.currency = "GBP" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t)
			b.addCatalogue()
			change := &ordersChange{}
			tc.change(b, change)
			order := marketplaceOrder(510)
			if change.sku != "" {
				order.Lines[1].SKU = change.sku
			}
			if change.quantity != 0 {
				order.Lines[1].Quantity = change.quantity
			}
			if change.country != "" {
				order.Shipping.Country = change.country
			}
			if change.currency != "" {
				order.Currency = change.currency
			}
			_, err := b.client.CreateOrder(context.Background(), order)
			var apiErr *apiclient.Error
			if !apiclient.IsPermanent(err) || !errors.As(err, &apiErr) || apiErr.Code != tc.code || !strings.Contains(apiErr.Message, tc.message) {
				t.Fatalf("got %v, want a permanent %s error with %q", err, tc.code, tc.message)
			}
			if left := b.fake.OrdersFor(510); len(left) != 0 {
				t.Errorf("a refused create left orders %v", left)
			}
			if stock, _ := b.fake.Stock("MUG-BLUE"); stock != 10 {
				t.Errorf("stock moved by a refused create: %d", stock)
			}
		})
	}
}

type ordersChange struct {
	sku, country, currency string
	quantity               int
}

func TestOrderIsFoundAfterLostCreateAnswer(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(520)
	attempt := b.clock.Now()
	order.StoreAttemptAt = &attempt
	if found, err := b.client.FindOrder(context.Background(), order); err != nil || found != "" {
		t.Fatalf("FindOrder before creating = %q, %v", found, err)
	}
	b.fake.LoseNextCreateAnswer()
	if _, err := b.client.CreateOrder(context.Background(), order); err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("want a transient error after a lost answer, got %v", err)
	}
	if len(b.sleeps.all()) != 0 {
		t.Errorf("the payment was retried after a lost answer: waits %v", b.sleeps.all())
	}
	found, err := b.client.FindOrder(context.Background(), order)
	if err != nil {
		t.Fatal(err)
	}
	created := b.fake.OrdersFor(520)
	if len(created) != 1 || found != created[0] {
		t.Fatalf("FindOrder = %q, store orders %v: want the one order", found, created)
	}
	if view, _ := b.fake.Order(found); view.Status != "PaymentSettled" || !view.Paid {
		t.Errorf("found order %+v", view)
	}
	// Another connection's order with the same orderhub id is not this one.
	other := marketplaceOrder(520)
	other.ConnectionID, other.StoreAttemptAt = 8, &attempt
	if found, err := b.client.FindOrder(context.Background(), other); err != nil || found != "" {
		t.Errorf("FindOrder for another connection = %q, %v", found, err)
	}
}

func TestInterruptedCreateIsFinishedOrReplacedNotDuplicated(t *testing.T) {
	for _, tc := range []struct {
		name, failing string
	}{
		{"stopped at a draft line", "addItemToDraftOrder"},
		{"stopped before the payment", "addManualPaymentToOrder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t)
			b.addCatalogue()
			order := marketplaceOrder(530)
			attempt := b.clock.Now()
			order.StoreAttemptAt = &attempt
			b.fake.Faults().FailNext(MatchOperation(tc.failing), 1, http.StatusBadGateway)
			if _, err := b.client.CreateOrder(context.Background(), order); err == nil || apiclient.IsPermanent(err) {
				t.Fatalf("want a transient error, got %v", err)
			}
			if found, err := b.client.FindOrder(context.Background(), order); err != nil || found != "" {
				t.Fatalf("FindOrder after an unfinished create = %q, %v; want none", found, err)
			}
			id := mustCreate(t, b, order)
			if created := b.fake.OrdersFor(530); len(created) != 1 || created[0] != id {
				t.Fatalf("store orders %v, want only %s", created, id)
			}
			if view, _ := b.fake.Order(id); view.Status != "PaymentSettled" || len(view.Lines) != 2 || view.Lines[0].Quantity != 2 {
				t.Errorf("order %+v", view)
			}
			if stock, _ := b.fake.Stock("MUG-BLUE"); stock != 8 {
				t.Errorf("mug stock %d, want 8", stock)
			}
		})
	}
}

func TestFulfilledByMarketplaceIsCreatedDelivered(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(540)
	order.FulfilledByMarketplace = true
	id := mustCreate(t, b, order)
	view, _ := b.fake.Order(id)
	if view.Status != "Delivered" || !view.Paid {
		t.Errorf("order %+v, want Delivered and paid", view)
	}
	if stock, _ := b.fake.Stock("MUG-BLUE"); stock != 8 {
		t.Errorf("stock %d", stock)
	}
}

func TestMarketplaceFulfilledOrderIsFinishedAfterLostPaymentAnswer(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(541)
	order.FulfilledByMarketplace = true
	attempt := b.clock.Now()
	order.StoreAttemptAt = &attempt
	b.fake.LoseNextCreateAnswer()
	if _, err := b.client.CreateOrder(context.Background(), order); err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("want a transient error, got %v", err)
	}
	if found, err := b.client.FindOrder(context.Background(), order); err != nil || found != "" {
		t.Fatalf("FindOrder = %q, %v: a paid but unfulfilled marketplace-shipped order is not finished", found, err)
	}
	id := mustCreate(t, b, order)
	if created := b.fake.OrdersFor(541); len(created) != 1 || created[0] != id {
		t.Fatalf("orders %v", created)
	}
	if view, _ := b.fake.Order(id); view.Status != "Delivered" {
		t.Errorf("status %s, want Delivered", view.Status)
	}
	if found, err := b.client.FindOrder(context.Background(), order); err != nil || found != id {
		t.Errorf("FindOrder = %q, %v", found, err)
	}
}

func TestBuyerWithoutEmailGetsAStableStandInAddress(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(550)
	order.Billing = order.Shipping
	order.Billing.Email, order.Shipping.Email = "", ""
	id := mustCreate(t, b, order)
	o := b.fake.orderByID(id)
	if !strings.HasSuffix(o.customer.email, "@marketplace.invalid") || !strings.Contains(o.customer.email, "402-1234567") {
		t.Errorf("customer email %q", o.customer.email)
	}
	if o.billingAddress["streetLine1"] != "3 quai Branly" {
		t.Errorf("billing %v", o.billingAddress)
	}
}

func TestCancelOrderReleasesStock(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(560))
	if err := b.client.CancelOrder(context.Background(), id); err != nil {
		t.Fatalf("CancelOrder: %v", err)
	}
	if view, _ := b.fake.Order(id); view.Status != "Cancelled" {
		t.Errorf("status %s", view.Status)
	}
	if stock, _ := b.fake.Stock("MUG-BLUE"); stock != 10 {
		t.Errorf("stock %d after cancel, want 10", stock)
	}
	if err := b.client.CancelOrder(context.Background(), id); err != nil {
		t.Errorf("cancelling again: %v, want success", err)
	}
	err := b.client.CancelOrder(context.Background(), "999")
	var apiErr *apiclient.Error
	if !apiclient.IsPermanent(err) || !errors.As(err, &apiErr) || apiErr.Code != "ENTITY_NOT_FOUND" {
		t.Errorf("cancelling an unknown order: %v", err)
	}
}

func TestCancelAfterShippingPutsStockBack(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(561))
	if err := b.fake.Ship(id, "Colissimo", "6A1"); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(time.Minute)
	if err := b.client.CancelOrder(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if stock, _ := b.fake.Stock("MUG-BLUE"); stock != 10 {
		t.Errorf("stock %d", stock)
	}
}
