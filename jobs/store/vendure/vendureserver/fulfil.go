package vendureserver

import "testing"

// Ship fulfils every line of the order whose externalOrderId is externalOrderID, as a merchant
// does in Vendure's admin: a manual fulfilment with the carrier as its method and the
// tracking code (either may be ""), moved to Shipped.
func (s *Server) Ship(t testing.TB, externalOrderID, carrier, tracking string) {
	t.Helper()
	order := s.OrderByExternalID(t, externalOrderID)
	if order == nil {
		t.Fatalf("vendureserver: no order with externalOrderId %q to ship", externalOrderID)
	}
	var lines []any
	for _, l := range list(order["lines"]) {
		line, _ := l.(map[string]any)
		lines = append(lines, map[string]any{"orderLineId": line["id"], "quantity": line["quantity"]})
	}
	data := s.Query(t, `mutation($i:FulfillOrderInput!){ addFulfillmentToOrder(input:$i){
		... on Fulfillment{ id state } ... on ErrorResult{ errorCode message } } }`, map[string]any{
		"i": map[string]any{"lines": lines, "handler": map[string]any{"code": "manual-fulfillment", "arguments": []any{
			arg("method", carrier), arg("trackingCode", tracking),
		}}},
	})
	id := field(CheckResult(t, "addFulfillmentToOrder", data["addFulfillmentToOrder"]), "id")
	data = s.Query(t, `mutation($id:ID!){ transitionFulfillmentToState(id:$id,state:"Shipped"){
		... on Fulfillment{ id state } ... on ErrorResult{ errorCode message } } }`, map[string]any{"id": id})
	CheckResult(t, "transitionFulfillmentToState", data["transitionFulfillmentToState"])
}

// Saleable is what the variant with this SKU can still sell: stock on hand less what orders
// have allocated (Vendure allocates when an order is paid and takes stock on hand when it is
// fulfilled).
func (s *Server) Saleable(t testing.TB, sku string) int {
	t.Helper()
	v := s.Variant(t, sku)
	if v == nil {
		t.Fatalf("vendureserver: no product variant with SKU %q", sku)
	}
	onHand, _ := v["stockOnHand"].(float64)
	allocated, _ := v["stockAllocated"].(float64)
	return int(onHand - allocated)
}
