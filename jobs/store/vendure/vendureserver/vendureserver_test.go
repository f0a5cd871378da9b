package vendureserver

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

var testProducts = []Product{
	{SKU: "MUG-BLUE", Name: "Blue Mug", Price: 1250, Stock: 10},
	{SKU: "TEE-RED-M", Name: "Red T-shirt M", Price: 1999, Stock: 3},
}

func TestStartSeedAndReadBack(t *testing.T) {
	s := Start(t)
	s.Seed(t, testProducts)

	for _, p := range testProducts {
		v := s.Variant(t, p.SKU)
		if v == nil {
			t.Fatalf("variant %s not found", p.SKU)
		}
		if got := int(v["price"].(float64)); got != p.Price {
			t.Errorf("%s: price %d, want %d", p.SKU, got, p.Price)
		}
		// The default channel's tax zone is Europe, with a 20% rate (rounded half up).
		if got, want := int(v["priceWithTax"].(float64)), (p.Price*120+50)/100; got != want {
			t.Errorf("%s: priceWithTax %d, want %d", p.SKU, got, want)
		}
		if v["name"] != p.Name {
			t.Errorf("%s: name %v, want %q", p.SKU, v["name"], p.Name)
		}
		if v["trackInventory"] != "TRUE" {
			t.Errorf("%s: trackInventory %v, want TRUE", p.SKU, v["trackInventory"])
		}
		if got := s.Stock(t, p.SKU); got != p.Stock {
			t.Errorf("%s: stock %d, want %d", p.SKU, got, p.Stock)
		}
	}
	if v := s.Variant(t, "NO-SUCH-SKU"); v != nil {
		t.Errorf("unknown SKU found: %v", v)
	}

	data := s.Query(t, `{ countries(options:{ take:50 }){ items{ code enabled } } shippingMethods{ items{ code fulfillmentHandlerCode } } }`, nil)
	codes := map[any]bool{}
	for _, c := range list(field(data, "countries", "items")) {
		codes[field(c, "code")] = true
	}
	for _, c := range Countries {
		if !codes[c.Code] {
			t.Errorf("country %s not seeded (have %v)", c.Code, codes)
		}
	}
	methods := list(field(data, "shippingMethods", "items"))
	if len(methods) != 1 || field(methods[0], "code") != "standard" || field(methods[0], "fulfillmentHandlerCode") != "manual-fulfillment" {
		t.Errorf("shipping methods: %v", methods)
	}

	// A second Seed only adds products.
	s.Seed(t, []Product{{SKU: "CAP-GREEN", Price: 500, Stock: 1}})
	if got := s.Stock(t, "CAP-GREEN"); got != 1 {
		t.Errorf("CAP-GREEN stock %d, want 1", got)
	}

	// One order the way the hub would create it, shipped, and read back.
	if o := s.OrderByExternalID(t, "402-1234567-1234567"); o != nil {
		t.Fatalf("order found before creation: %v", o)
	}
	placeShippedOrder(t, s, "402-1234567-1234567", s.Variant(t, "MUG-BLUE")["id"], 2)
	o := s.OrderByExternalID(t, "402-1234567-1234567")
	if o == nil {
		t.Fatal("order not found by externalOrderId")
	}
	if o["state"] != "Shipped" {
		t.Errorf("order state %v, want Shipped", o["state"])
	}
	if ch := field(o, "customFields", "externalChannel"); ch != "amazon" {
		t.Errorf("externalChannel %v", ch)
	}
	lines := list(o["lines"])
	if len(lines) != 1 || field(lines[0], "sku") != "MUG-BLUE" || field(lines[0], "quantity") != 2.0 ||
		field(lines[0], "unitPriceWithTax") != 1500.0 {
		t.Errorf("lines: %v", lines)
	}
	if city := field(o, "shippingAddress", "city"); city != "Paris" {
		t.Errorf("shipping address: %v", o["shippingAddress"])
	}
	fs := list(o["fulfillments"])
	if len(fs) != 1 || field(fs[0], "method") != "Colissimo" || field(fs[0], "trackingCode") != "6A12345678901" ||
		field(fs[0], "state") != "Shipped" {
		t.Errorf("fulfillments: %v", fs)
	}
	if got := s.Stock(t, "MUG-BLUE"); got != 8 {
		t.Errorf("MUG-BLUE stock after shipping 2: %d, want 8", got)
	}
	t.Logf("node process memory: %s", memory(s.PID))
}

// memory is the process's resident set (current and peak) on Linux, for the test log.
func memory(pid int) string {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	var parts []string
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") {
			parts = append(parts, strings.Join(strings.Fields(line), " "))
		}
	}
	return strings.Join(parts, ", ")
}

// TestStartAgain checks that a second server in the same process boots (npm ci is not run
// again) and starts empty.
func TestStartAgain(t *testing.T) {
	s := Start(t)
	if v := s.Variant(t, "MUG-BLUE"); v != nil {
		t.Fatalf("new server is not empty: %v", v)
	}
	s.Seed(t, testProducts[:1])
	if got := s.Stock(t, "MUG-BLUE"); got != 10 {
		t.Errorf("stock %d, want 10", got)
	}
}

// placeShippedOrder runs the transcript's order flow: draft order with the external ids, one
// line, customer, addresses, shipping, manual payment, fulfilment shipped with Colissimo.
func placeShippedOrder(t *testing.T, s *Server, externalID string, variantID any, qty int) {
	t.Helper()
	data := s.Query(t, `mutation{ createDraftOrder{ id state } }`, nil)
	id := field(data, "createDraftOrder", "id")
	s.Query(t, `mutation($id:ID!,$i:UpdateOrderInput!){ setDraftOrderCustomFields(orderId:$id,input:$i){ id } }`, map[string]any{
		"id": id, "i": map[string]any{"id": id, "customFields": map[string]any{"externalChannel": "amazon", "externalOrderId": externalID}},
	})
	data = s.Query(t, `mutation($id:ID!,$i:AddItemToDraftOrderInput!){ addItemToDraftOrder(orderId:$id,input:$i){
		... on Order{ id lines{ id } } ... on ErrorResult{ errorCode message } } }`, map[string]any{
		"id": id, "i": map[string]any{"productVariantId": variantID, "quantity": qty},
	})
	lineID := field(list(field(CheckResult(t, "addItemToDraftOrder", data["addItemToDraftOrder"]), "lines"))[0], "id")
	data = s.Query(t, `mutation($id:ID!,$i:CreateCustomerInput){ setCustomerForDraftOrder(orderId:$id,input:$i){
		... on Order{ id } ... on ErrorResult{ errorCode message } } }`, map[string]any{
		"id": id, "i": map[string]any{"emailAddress": "buyer@marketplace.example", "firstName": "Jeanne", "lastName": "Martin"},
	})
	CheckResult(t, "setCustomerForDraftOrder", data["setCustomerForDraftOrder"])
	addr := map[string]any{"fullName": "Jeanne Martin", "streetLine1": "12 rue de la Paix", "city": "Paris",
		"postalCode": "75002", "countryCode": "FR", "phoneNumber": "+33100000000"}
	s.Query(t, `mutation($id:ID!,$i:CreateAddressInput!){ setDraftOrderShippingAddress(orderId:$id,input:$i){ id } }`,
		map[string]any{"id": id, "i": addr})
	s.Query(t, `mutation($id:ID!,$i:CreateAddressInput!){ setDraftOrderBillingAddress(orderId:$id,input:$i){ id } }`,
		map[string]any{"id": id, "i": addr})
	data = s.Query(t, `query($id:ID!){ eligibleShippingMethodsForDraftOrder(orderId:$id){ id code } }`, map[string]any{"id": id})
	methods := list(data["eligibleShippingMethodsForDraftOrder"])
	if len(methods) == 0 {
		t.Fatal("no eligible shipping method")
	}
	data = s.Query(t, `mutation($id:ID!,$sm:ID!){ setDraftOrderShippingMethod(orderId:$id,shippingMethodId:$sm){
		... on Order{ id } ... on ErrorResult{ errorCode message } } }`, map[string]any{"id": id, "sm": field(methods[0], "id")})
	CheckResult(t, "setDraftOrderShippingMethod", data["setDraftOrderShippingMethod"])
	data = s.Query(t, `mutation($id:ID!){ transitionOrderToState(id:$id,state:"ArrangingPayment"){
		... on Order{ id state } ... on OrderStateTransitionError{ errorCode message transitionError } } }`, map[string]any{"id": id})
	CheckResult(t, "transitionOrderToState", data["transitionOrderToState"])
	data = s.Query(t, `mutation($i:ManualPaymentInput!){ addManualPaymentToOrder(input:$i){
		... on Order{ id state } ... on ErrorResult{ errorCode message } } }`, map[string]any{
		"i": map[string]any{"orderId": id, "method": "amazon-marketplace", "transactionId": externalID, "metadata": map[string]any{}},
	})
	if st := field(CheckResult(t, "addManualPaymentToOrder", data["addManualPaymentToOrder"]), "state"); st != "PaymentSettled" {
		t.Fatalf("order state after payment: %v", st)
	}
	data = s.Query(t, `mutation($i:FulfillOrderInput!){ addFulfillmentToOrder(input:$i){
		... on Fulfillment{ id state } ... on ErrorResult{ errorCode message } } }`, map[string]any{
		"i": map[string]any{
			"lines": []any{map[string]any{"orderLineId": lineID, "quantity": qty}},
			"handler": map[string]any{"code": "manual-fulfillment", "arguments": []any{
				arg("method", "Colissimo"), arg("trackingCode", "6A12345678901"),
			}},
		},
	})
	fid := field(CheckResult(t, "addFulfillmentToOrder", data["addFulfillmentToOrder"]), "id")
	data = s.Query(t, `mutation($id:ID!){ transitionFulfillmentToState(id:$id,state:"Shipped"){
		... on Fulfillment{ id state } ... on ErrorResult{ errorCode message } } }`, map[string]any{"id": fid})
	CheckResult(t, "transitionFulfillmentToState", data["transitionFulfillmentToState"])
}
