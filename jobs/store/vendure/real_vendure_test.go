package vendure

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/store/vendure/vendureserver"
	"github.com/orderhub/orderhub/models"
)

// Against a real Vendure 3.7.3 (Node.js, sql.js in memory), when Node.js is installed: the
// fake answers the same requests byte for byte as the real server, and the client's queries
// are valid for the real schema and leave the store as the fake says they do.
func TestAgainstARealVendure(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Node.js Vendure server")
	}
	server := vendureserver.Start(t)
	server.Seed(t, nil)
	// A fresh Vendure's default channel sells in USD; the marketplace orders here are in EUR.
	updated := server.Query(t, `mutation($i:UpdateChannelInput!){ updateChannel(input:$i){ ... on Channel{ id defaultCurrencyCode } ... on ErrorResult{ errorCode message } } }`,
		map[string]any{"i": map[string]any{"id": "1", "defaultCurrencyCode": "EUR", "availableCurrencyCodes": []string{"EUR"}}})
	vendureserver.CheckResult(t, "updateChannel", updated["updateChannel"])
	server.Seed(t, []vendureserver.Product{
		{SKU: "MUG-BLUE", Name: "Blue Mug", Price: 1250, Stock: 10}, // 15.00 with 20% tax
		{SKU: "POSTER-1", Name: "Poster", Price: 825, Stock: 5},     // 9.90 with tax
		{SKU: "LAST-ONE", Name: "Last one", Price: 1000, Stock: 1},
	})
	t.Run("the fake answers like the real server", func(t *testing.T) { compareWithFake(t, server) })
	t.Run("the client works with the real server", func(t *testing.T) { clientAgainstRealVendure(t, server) })
}

func clientAgainstRealVendure(t *testing.T, server *vendureserver.Server) {
	ctx := context.Background()
	cfg := Config{BaseURL: server.AdminURL, Username: server.Username, Password: server.Password}
	client := New(cfg, WithPageSize(2))

	if err := client.CheckCredentials(ctx); err != nil {
		t.Fatalf("CheckCredentials: %v", err)
	}
	bad := cfg
	bad.Password = "wrong"
	if err := New(bad).CheckCredentials(ctx); !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "INVALID_CREDENTIALS_ERROR") {
		t.Errorf("bad password: %v", err)
	}

	products := map[string]models.Product{}
	cursor := ""
	for range 10 {
		page, err := client.Products(ctx, cursor)
		if err != nil {
			t.Fatalf("Products: %v", err)
		}
		for _, p := range page.Products {
			products[p.SKU] = p
		}
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	if p := products["MUG-BLUE"]; len(products) != 3 || !p.Active || !p.ManageStock || p.Stock != 10 || p.Name != "Blue Mug" {
		t.Errorf("products %+v", products)
	}

	order := marketplaceOrder(1001)
	attempt := time.Now()
	order.StoreAttemptAt = &attempt
	// A draft left by an interrupted attempt is replaced, not kept beside the new order.
	leftover := server.Query(t, `mutation{ createDraftOrder{ id } }`, nil)["createDraftOrder"].(map[string]any)["id"]
	server.Query(t, setCustomFieldsMutation, map[string]any{"id": leftover, "i": map[string]any{"id": leftover,
		"customFields": map[string]any{"externalChannel": orderMarker(order), "externalOrderId": order.MarketplaceOrderID}}})
	id, err := client.CreateOrder(ctx, order)
	if err != nil {
		t.Fatalf("CreateOrder: %v", err)
	}
	if found, err := client.FindOrder(ctx, order); err != nil || found != id {
		t.Errorf("FindOrder = %q, %v, want %s", found, err, id)
	}
	created := server.OrderByExternalID(t, order.MarketplaceOrderID)
	if created == nil || created["state"] != "PaymentSettled" || created["totalWithTax"] != float64(4490) || created["customFields"].(map[string]any)["externalChannel"] != "orderhub:7:1001" {
		t.Fatalf("created order %v", created)
	}
	if v := server.Variant(t, "MUG-BLUE"); v["stockAllocated"] != float64(2) {
		t.Errorf("MUG-BLUE after the order: %v", v)
	}
	notes := server.Query(t, `query($id:ID!){ order(id:$id){ history{ items{ type data } } } }`, map[string]any{"id": id})
	if !strings.Contains(toJSON(notes), "MUG-BLUE: marketplace 14.50 EUR a unit, Vendure 15.00 EUR") {
		t.Errorf("no price note in the history: %s", toJSON(notes))
	}

	for _, tc := range []struct {
		name, sku string
		quantity  int
		code      string
	}{
		{"unknown SKU", "NOPE", 1, "UNKNOWN_SKU"},
		{"out of stock", "LAST-ONE", 2, "INSUFFICIENT_STOCK_ERROR"},
	} {
		refused := marketplaceOrder(1002)
		refused.MarketplaceOrderID += tc.sku
		refused.Lines[1].SKU, refused.Lines[1].Quantity = tc.sku, tc.quantity
		_, err := client.CreateOrder(ctx, refused)
		var apiErr *apiclient.Error
		if !apiclient.IsPermanent(err) || !errors.As(err, &apiErr) || apiErr.Code != tc.code {
			t.Errorf("%s: %v, want a permanent %s", tc.name, err, tc.code)
		}
		if left := server.OrderByExternalID(t, refused.MarketplaceOrderID); left != nil {
			t.Errorf("%s left an order: %v", tc.name, left)
		}
	}
	t.Logf("out of stock message: the store says %q", func() string {
		o := marketplaceOrder(1003)
		o.Lines[1].SKU, o.Lines[1].Quantity = "LAST-ONE", 3
		_, err := client.CreateOrder(ctx, o)
		return err.Error()
	}())

	fbm := marketplaceOrder(1004)
	fbm.FulfilledByMarketplace = true
	fbmID, err := client.CreateOrder(ctx, fbm)
	if err != nil {
		t.Fatalf("CreateOrder(fulfilled by marketplace): %v", err)
	}

	toCancel := marketplaceOrder(1005)
	cancelID, err := client.CreateOrder(ctx, toCancel)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.CancelOrder(ctx, cancelID); err != nil {
		t.Fatalf("CancelOrder: %v", err)
	}
	if err := client.CancelOrder(ctx, cancelID); err != nil {
		t.Errorf("CancelOrder again: %v", err)
	}
	// Order 1001 holds one; order 1004, shipped by the marketplace, took one off the shelf.
	if v := server.Variant(t, "POSTER-1"); v["stockAllocated"] != float64(1) || v["stockOnHand"] != float64(4) {
		t.Errorf("POSTER-1 after the cancel: %v", v)
	}

	_, cursor = readRealPass(t, client, "")
	// The merchant ships order 1001 with a carrier and tracking code.
	lines := []any{}
	for _, l := range created["lines"].([]any) {
		line := l.(map[string]any)
		lines = append(lines, map[string]any{"orderLineId": line["id"], "quantity": line["quantity"]})
	}
	time.Sleep(1100 * time.Millisecond) // whole-second timestamps: the shipment comes a second later
	added := server.Query(t, addFulfillmentMutation, map[string]any{"i": map[string]any{"lines": lines,
		"handler": map[string]any{"code": "manual-fulfillment", "arguments": []any{
			map[string]any{"name": "method", "value": "Colissimo"}, map[string]any{"name": "trackingCode", "value": "6A12345678901"}}}}})
	fulfillment := vendureserver.CheckResult(t, "addFulfillmentToOrder", added["addFulfillmentToOrder"])
	moved := server.Query(t, transitionFulfillment, map[string]any{"id": fulfillment["id"], "s": "Shipped"})
	vendureserver.CheckResult(t, "transitionFulfillmentToState", moved["transitionFulfillmentToState"])

	seen, _ := readRealPass(t, client, cursor)
	if got := seen[id]; !got.Shipped || got.RawStatus != "Shipped" || got.Carrier != "Colissimo" || got.TrackingNumber != "6A12345678901" || got.ShippedAt == nil {
		t.Errorf("shipment of %s: %+v", id, got)
	}
	if got := seen[cancelID]; !got.Cancelled {
		t.Errorf("cancelled order %s: %+v", cancelID, got)
	}
	if got := seen[fbmID]; got.RawStatus != "Delivered" || !got.Shipped || got.Carrier != "Marketplace" {
		t.Errorf("marketplace-fulfilled order %s: %+v", fbmID, got)
	}
	if shipped := server.OrderByExternalID(t, order.MarketplaceOrderID); shipped["updatedAt"] != created["updatedAt"] {
		t.Logf("note: this Vendure moved Order.updatedAt on shipping (%v → %v)", created["updatedAt"], shipped["updatedAt"])
	}
}

func readRealPass(t *testing.T, client *Client, cursor string) (map[string]models.StoreShipment, string) {
	t.Helper()
	seen := map[string]models.StoreShipment{}
	for range 20 {
		page, err := client.Shipments(context.Background(), cursor)
		if err != nil {
			t.Fatalf("Shipments: %v", err)
		}
		for _, s := range page.Shipments {
			seen[s.StoreOrderID] = s
		}
		cursor = page.Cursor
		if !page.More {
			return seen, cursor
		}
	}
	t.Fatal("Shipments never finished")
	return nil, ""
}

// compareWithFake sends the same requests to the real server and to a fake holding the same
// product, and compares the HTTP status and the whole answer (or the first error's code and
// message).
func compareWithFake(t *testing.T, server *vendureserver.Server) {
	b := setup(t)
	b.fake.username, b.fake.password = server.Username, server.Password
	b.fake.AddProduct(FakeProduct{SKU: "MUG-BLUE", Name: "Blue Mug", Price: "15.00", Stock: 10})
	mustDo(t, b.fake.UpdateVariant("MUG-BLUE", true, "TRUE", 10)) // as vendureserver.Seed creates it
	fakeURL := b.server.URL + "/admin-api"
	login := func(url string) string {
		body, _ := json.Marshal(gqlRequest{Query: loginMutation, Variables: map[string]any{"u": server.Username, "p": server.Password}})
		res, err := http.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("vendure-auth-token")
	}
	realToken, fakeToken := login(server.AdminURL), login(fakeURL)
	call := func(url, token, query string, vars map[string]any) string {
		body, _ := json.Marshal(gqlRequest{Query: query, Variables: vars})
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var out struct {
			Errors []gqlError `json:"errors"`
			Data   any        `json:"data"`
		}
		json.Unmarshal(raw, &out)
		if len(out.Errors) > 0 {
			return fmt.Sprintf("%d %s %q data=%v", res.StatusCode, out.Errors[0].Extensions.Code, out.Errors[0].Message, out.Data)
		}
		return fmt.Sprintf("%d %s", res.StatusCode, bytes.TrimSpace(raw))
	}
	for _, tc := range []struct {
		auth  bool
		query string
		vars  map[string]any
	}{
		{false, `query{ productVariants{ items{ id sku } } }`, nil},
		{false, `mutation($u:String!,$p:String!){ login(username:$u,password:$p){ ... on CurrentUser{ id identifier } ... on ErrorResult{ errorCode message } } }`, map[string]any{"u": server.Username, "p": "x"}},
		{true, `query{ productVariants{ items{ id }`, nil},
		{true, `query{ productVariants{ items{ id ean } } }`, nil},
		{true, `mutation{ addItemToDraftOrder(orderId:"1",input:{productVariantId:"1",quantity:1}){ id } }`, nil},
		{true, `query{ productVariants{ items } }`, nil},
		{true, `query{ orders(take:5){ totalItems } }`, nil},
		{true, `query{ orders(options:{filter:{marketplace:{eq:"x"}}}){ totalItems } }`, nil},
		{true, `mutation($id:String!){ deleteDraftOrder(orderId:$id){ result } }`, map[string]any{"id": "1"}},
		{true, `mutation($id:ID!){ deleteDraftOrder(orderId:$id){ result } }`, nil},
		{true, `mutation($i:AddItemToDraftOrderInput!){ addItemToDraftOrder(orderId:"1",input:$i){ ... on ErrorResult{ message } } }`, map[string]any{"i": map[string]any{"productVariantId": "1", "quantity": "2"}}},
		{true, `mutation($i:CreateAddressInput!){ setDraftOrderShippingAddress(orderId:"1",input:$i){ id } }`, map[string]any{"i": map[string]any{"streetLine1": "x", "countryCode": "FR", "zip": "75002"}}},
		{true, `mutation($i:CreateAddressInput!){ setDraftOrderShippingAddress(orderId:"1",input:$i){ id } }`, map[string]any{"i": map[string]any{"streetLine1": "x"}}},
		{true, `query{ order(id:"77"){ id } }`, nil},
		{true, `mutation{ deleteDraftOrder(orderId:"77"){ result message } }`, nil},
		{true, `mutation{ transitionFulfillmentToState(id:"77",state:"Shipped"){ ... on Fulfillment{ id } } }`, nil},
		{true, `query{ orders(options:{take:5000}){ totalItems } }`, nil},
		{true, `mutation{ createDraftOrder{ id state active } }`, nil},
		{true, `mutation{ setDraftOrderShippingAddress(orderId:"1",input:{streetLine1:"x",countryCode:"ZZ"}){ id } }`, nil},
		{true, `mutation{ addItemToDraftOrder(orderId:"1",input:{productVariantId:"99",quantity:1}){ ... on Order{ id } } }`, nil},
		{true, `mutation{ addItemToDraftOrder(orderId:"1",input:{productVariantId:"1",quantity:-1}){ ... on ErrorResult{ errorCode message } } }`, nil},
		{true, `mutation{ addItemToDraftOrder(orderId:"1",input:{productVariantId:"1",quantity:11}){ ... on ErrorResult{ errorCode message } ... on InsufficientStockError{ quantityAvailable } } }`, nil},
		{true, `mutation{ transitionOrderToState(id:"1",state:"ArrangingPayment"){ ... on OrderStateTransitionError{ errorCode message transitionError fromState toState } } }`, nil},
		{true, `mutation{ addManualPaymentToOrder(input:{orderId:"1",method:"x",metadata:{}}){ ... on ErrorResult{ errorCode message } } }`, nil},
		{true, `mutation{ cancelOrder(input:{orderId:"1"}){ ... on ErrorResult{ errorCode message } ... on Order{ state } } }`, nil},
		{true, `mutation{ cancelOrder(input:{orderId:"1"}){ ... on ErrorResult{ errorCode message } ... on Order{ state } } }`, nil},
		{true, `mutation{ deleteDraftOrder(orderId:"1"){ result message } }`, nil},
		{true, `mutation{ cancelOrder(input:{orderId:"88"}){ ... on ErrorResult{ errorCode message } } }`, nil},
		{true, `query{ productVariants(options:{filter:{sku:{in:["MUG-BLUE"]}}}){ items{ stockLevel trackInventory outOfStockThreshold useGlobalOutOfStockThreshold } } globalSettings{ trackInventory outOfStockThreshold } }`, nil},
	} {
		realToken, fakeToken := realToken, fakeToken
		if !tc.auth {
			realToken, fakeToken = "", ""
		}
		real := call(server.AdminURL, realToken, tc.query, tc.vars)
		fake := call(fakeURL, fakeToken, tc.query, tc.vars)
		if real != fake {
			t.Errorf("%s\n real: %s\n fake: %s", tc.query, real, fake)
		}
	}
}
