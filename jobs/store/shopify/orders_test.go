package shopify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

func TestCreateOrderKeepsMarketplacePricesAndTakesStock(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(101)
	id := mustCreate(t, b, order)
	if !strings.HasPrefix(id, "gid://shopify/Order/") {
		t.Fatalf("store order id %q is not an Order global id", id)
	}
	view, ok := b.fake.Order(id)
	if !ok {
		t.Fatalf("order %s not in the fake", id)
	}
	if len(view.Lines) != 2 || view.Lines[0] != (FakeLineView{SKU: "MUG-1", Quantity: 2, UnitPrice: 1749}) ||
		view.Lines[1] != (FakeLineView{SKU: "POSTER-1", Quantity: 1, UnitPrice: 990}) {
		t.Errorf("lines %+v, want the marketplace's prices", view.Lines)
	}
	if view.Total != 2*1749+990+490 || !view.Paid || view.Status != "UNFULFILLED" {
		t.Errorf("total %d paid %v status %s", view.Total, view.Paid, view.Status)
	}
	if view.ShippingName != "Grace Hopper" || view.City != "Lyon" || view.Country != "FR" {
		t.Errorf("shipping %q %q %q", view.ShippingName, view.City, view.Country)
	}
	if got := b.fake.OrdersFor(101); len(got) != 1 || got[0] != id {
		t.Errorf("OrdersFor(101) = %v, want [%s]", got, id)
	}
	if stock, _ := b.fake.Stock("MUG-1"); stock != 8 {
		t.Errorf("MUG-1 stock %d, want 10-2", stock)
	}

	// What a support agent sees in Shopify's admin: source, tags, metafields, addresses.
	out := b.gql(t, `query($q: String) { orders(first: 1, query: $q) { nodes {
		sourceName sourceIdentifier tags note
		metafields(first: 10, namespace: "orderhub") { nodes { key value } }
		billingAddress { name city countryCodeV2 } shippingAddress { address1 zip phone }
		totalShippingPriceSet { shopMoney { amount currencyCode } }
		transactions(first: 5) { kind status amountSet { shopMoney { amount } } } } } }`,
		map[string]any{"q": "tag:orderhub-order-101"})
	node := out["data"].(map[string]any)["orders"].(map[string]any)["nodes"].([]any)[0].(map[string]any)
	if node["sourceName"] != "orderhub" || node["sourceIdentifier"] != "101" || !strings.Contains(node["note"].(string), "MKP-") {
		t.Errorf("source %v / %v, note %v", node["sourceName"], node["sourceIdentifier"], node["note"])
	}
	metas := map[string]string{}
	for _, m := range node["metafields"].(map[string]any)["nodes"].([]any) {
		metas[m.(map[string]any)["key"].(string)] = m.(map[string]any)["value"].(string)
	}
	if metas["order_id"] != "101" || metas["connection_id"] != "7" || metas["marketplace_order_id"] != order.MarketplaceOrderID || metas["marketplace_reference"] != "REF-42" {
		t.Errorf("metafields %v", metas)
	}
	if billing := node["billingAddress"].(map[string]any); billing["name"] != "Ada Lovelace" || billing["city"] != "Paris" {
		t.Errorf("billing %v", billing)
	}
	if shipping := node["shippingAddress"].(map[string]any); shipping["zip"] != "75007" || shipping["phone"] != "+33 6 12 34 56 78" {
		t.Errorf("shipping %v", shipping)
	}
	if amount := node["totalShippingPriceSet"].(map[string]any)["shopMoney"].(map[string]any); amount["amount"] != "4.90" || amount["currencyCode"] != "EUR" {
		t.Errorf("shipping amount %v", amount)
	}
	transaction := node["transactions"].([]any)[0].(map[string]any)
	if transaction["kind"] != "SALE" || transaction["status"] != "SUCCESS" || transaction["amountSet"].(map[string]any)["shopMoney"].(map[string]any)["amount"] != "49.78" {
		t.Errorf("transaction %v", transaction)
	}
}

func TestOrderIsFoundAfterLostCreateAnswer(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(202)
	if id, err := b.client.FindOrder(context.Background(), order); err != nil || id != "" {
		t.Fatalf("FindOrder before any create: %q, %v", id, err)
	}
	b.fake.LoseNextCreateAnswer()
	_, err := b.client.CreateOrder(context.Background(), order)
	if err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("lost answer: err %v, want a temporary error", err)
	}
	created := b.fake.OrdersFor(202)
	if len(created) != 1 {
		t.Fatalf("orders created %v, want exactly one (never re-sent)", created)
	}
	found, err := b.client.FindOrder(context.Background(), order)
	if err != nil || found != created[0] {
		t.Fatalf("FindOrder = %q, %v; want %s", found, err, created[0])
	}
}

func TestFindOrderIgnoresAnotherConnectionsOrder(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	mustCreate(t, b, marketplaceOrder(303))
	other := marketplaceOrder(303)
	other.ConnectionID = 8
	if id, err := b.client.FindOrder(context.Background(), other); err != nil || id != "" {
		t.Fatalf("FindOrder for connection 8 = %q, %v; want none", id, err)
	}
}

func TestCreateOrderRefusals(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(b *testBundle, o *OrderEdit)
		wantCode string
		wantText []string
	}{
		{name: "unknown SKU", edit: func(b *testBundle, o *OrderEdit) { o.sku(0, "NOPE-9") }, wantCode: "UNKNOWN_SKU", wantText: []string{"NOPE-9"}},
		{name: "out of stock", edit: func(b *testBundle, o *OrderEdit) { o.quantity(0, 11) }, wantCode: "INVENTORY_CLAIM_FAILED",
			wantText: []string{"MUG-1", "10 available", "11 requested"}},
		{name: "out of stock over two lines of one SKU", edit: func(b *testBundle, o *OrderEdit) { o.sku(1, "MUG-1"); o.quantity(1, 9) }, wantCode: "INVENTORY_CLAIM_FAILED",
			wantText: []string{"11 requested"}},
		{name: "bad currency", edit: func(b *testBundle, o *OrderEdit) { o.order.Currency = "EURO" }, wantText: []string{"ISO 4217"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			b.addCatalogue()
			order := marketplaceOrder(404)
			tt.edit(b, &OrderEdit{order: order})
			_, err := b.client.CreateOrder(context.Background(), order)
			if err == nil {
				t.Fatal("CreateOrder succeeded")
			}
			var apiErr *apiclient.Error
			if tt.wantCode != "" && (!errors.As(err, &apiErr) || apiErr.Code != tt.wantCode || !apiclient.IsPermanent(err)) {
				t.Fatalf("err %v, want permanent %s", err, tt.wantCode)
			}
			for _, text := range tt.wantText {
				if !strings.Contains(err.Error(), text) {
					t.Errorf("err %q lacks %q", err, text)
				}
			}
			if got := b.fake.OrdersFor(404); len(got) != 0 {
				t.Errorf("orders created %v", got)
			}
			if stock, _ := b.fake.Stock("MUG-1"); stock != 10 {
				t.Errorf("stock moved to %d", stock)
			}
		})
	}
}

// OrderEdit changes a test order's lines by index.
type OrderEdit struct{ order *models.Order }

func (e *OrderEdit) sku(i int, sku string) { e.order.Lines[i].SKU = sku }
func (e *OrderEdit) quantity(i, q int)     { e.order.Lines[i].Quantity = q }

func TestInventoryBehaviours(t *testing.T) {
	tests := []struct {
		behaviour string
		wantStock int
		wantErr   bool
	}{
		{InventoryDecrementObeyingPolicy, 0, true},
		{InventoryDecrementIgnoringPolicy, -2, false},
		{InventoryBypass, 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.behaviour, func(t *testing.T) {
			b := setup(t)
			b.addCatalogue()
			cfg := b.fake.Config(b.server.URL)
			cfg.InventoryBehaviour = tt.behaviour
			client := b.newClient(cfg)
			order := marketplaceOrder(505)
			order.Lines[0].Quantity = 12
			_, err := client.CreateOrder(context.Background(), order)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			want := tt.wantStock
			if tt.wantErr {
				want = 10
			}
			if stock, _ := b.fake.Stock("MUG-1"); stock != want {
				t.Fatalf("stock %d, want %d", stock, want)
			}
		})
	}
}

func TestSKUSearchMatchesPrefixesSoTheClientPicksTheExactSKU(t *testing.T) {
	b := setup(t)
	b.fake.AddProduct(FakeProduct{SKU: "MUG-10", Name: "Big mug", Price: "30.00", Stock: 5})
	b.addCatalogue()
	order := marketplaceOrder(606)
	id := mustCreate(t, b, order)
	view, _ := b.fake.Order(id)
	if view.Lines[0].SKU != "MUG-1" {
		t.Fatalf("line 0 is %s, want MUG-1", view.Lines[0].SKU)
	}
	if stock, _ := b.fake.Stock("MUG-10"); stock != 5 {
		t.Fatalf("MUG-10 stock moved to %d", stock)
	}
}

func TestMarketplaceFulfilledOrderIsCreatedFulfilledAndPaid(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(707)
	order.FulfilledByMarketplace = true
	id := mustCreate(t, b, order)
	view, _ := b.fake.Order(id)
	if view.Status != "FULFILLED" || !view.Paid {
		t.Fatalf("status %s paid %v, want FULFILLED and paid", view.Status, view.Paid)
	}
}

func TestCancelOrderPutsStockBackAndIsIdempotent(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(808))
	if err := b.client.CancelOrder(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	view, _ := b.fake.Order(id)
	if view.Status != "CANCELLED" {
		t.Fatalf("status %s", view.Status)
	}
	if stock, _ := b.fake.Stock("MUG-1"); stock != 10 {
		t.Fatalf("stock %d, want 10 back", stock)
	}
	if err := b.client.CancelOrder(context.Background(), id); err != nil {
		t.Fatalf("second cancel: %v", err)
	}
	err := b.client.CancelOrder(context.Background(), "gid://shopify/Order/1")
	if !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "NOT_FOUND") {
		t.Fatalf("unknown order: %v", err)
	}
	if err := b.client.CancelOrder(context.Background(), "12-ab"); err == nil {
		t.Fatal("a malformed id was accepted")
	}
}

func TestDevelopmentStoreOrderCapIsTemporary(t *testing.T) {
	b := setup(t)
	b.fake.AddProduct(FakeProduct{SKU: "MUG-1", Name: "Mug", Price: "20.00", Stock: 100})
	b.fake.AddProduct(FakeProduct{SKU: "POSTER-1", Name: "Poster", Price: "9.90", Stock: 100})
	b.fake.SetDevelopmentStore(true)
	for i := int64(1); i <= 5; i++ {
		mustCreate(t, b, marketplaceOrder(i))
	}
	_, err := b.client.CreateOrder(context.Background(), marketplaceOrder(6))
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || apiclient.IsPermanent(err) || apiErr.RetryAfter != time.Minute || !strings.Contains(err.Error(), "Exceeded order API rate limit") {
		t.Fatalf("sixth create in a minute: %v, want a temporary error to retry in a minute", err)
	}
	if got := b.fake.OrdersFor(6); len(got) != 0 {
		t.Fatalf("created anyway: %v", got)
	}
	b.clock.Advance(time.Minute)
	mustCreate(t, b, marketplaceOrder(6))
}

func TestImportAnywayIgnoresTheStockPolicy(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(909)
	order.Lines[0].Quantity = 12
	order.SkipStockCheck = true
	mustCreate(t, b, order)
	if stock, _ := b.fake.Stock("MUG-1"); stock != -2 {
		t.Fatalf("stock %d, want 10-12: taken, past zero", stock)
	}
}
