package mirakl

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestFakeAuthenticatesTheRawKeyOnly(t *testing.T) {
	b := setup(t)
	tests := []struct {
		key  string
		want int
	}{
		{testKey, http.StatusOK},
		{"Bearer " + testKey, http.StatusUnauthorized},
		{"wrong", http.StatusUnauthorized},
		{"", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		status, _, body := b.raw(t, http.MethodGet, "/api/orders", tt.key, "")
		if status != tt.want {
			t.Errorf("Authorization %q: %d %s, want %d", tt.key, status, body, tt.want)
		}
	}
}

func TestFakeOR11Paging(t *testing.T) {
	b := setup(t)
	for i := range 120 {
		order := SampleOrder(i)
		order.CreatedAt = b.clock.Now().Add(time.Duration(i) * time.Second)
		b.fake.AddOrder(order)
	}
	tests := []struct {
		query     string
		wantCount int
		wantFirst string
	}{
		{"", 10, "Order_00001-A"},                   // 10 by default
		{"?max=500", 100, "Order_00001-A"},          // capped at 100
		{"?max=50&offset=100", 20, "Order_00101-A"}, // the rest
		{"?max=5&order=desc", 5, "Order_00120-A"},   // newest first
		{"?paginate=false", 120, "Order_00001-A"},   // everything
		{"?offset=500", 0, ""},                      // past the end
	}
	for _, tt := range tests {
		answer := listRaw(t, b, tt.query)
		if len(answer.Orders) != tt.wantCount || answer.TotalCount != 120 {
			t.Errorf("%s: %d orders of %d, want %d of 120", tt.query, len(answer.Orders), answer.TotalCount, tt.wantCount)
			continue
		}
		if tt.wantFirst != "" && answer.Orders[0].OrderID != tt.wantFirst {
			t.Errorf("%s: first order %s, want %s", tt.query, answer.Orders[0].OrderID, tt.wantFirst)
		}
	}
}

func listRaw(t *testing.T, b *testBundle, query string) fakeOrdersJSON {
	t.Helper()
	status, _, body := b.raw(t, http.MethodGet, "/api/orders"+query, testKey, "")
	if status != http.StatusOK {
		t.Fatalf("GET /api/orders%s: %d %s", query, status, body)
	}
	var answer fakeOrdersJSON
	if err := json.Unmarshal([]byte(body), &answer); err != nil {
		t.Fatal(err)
	}
	return answer
}

func TestFakeOR11RefusesBadParameters(t *testing.T) {
	b := setup(t)
	ids := make([]string, 101)
	for i := range ids {
		ids[i] = fmt.Sprintf("Order_%05d-A", i)
	}
	for _, query := range []string{
		"?order_ids=" + strings.Join(ids, ","),
		"?max=0", "?max=ten", "?offset=-1", "?sort=dateUpdated", "?order=up",
		"?start_update_date=yesterday", "?order_state_codes=LOST", "?order_tax_mode=NONE",
	} {
		if status, _, body := b.raw(t, http.MethodGet, "/api/orders"+query, testKey, ""); status != http.StatusBadRequest {
			t.Errorf("%.60s: %d %s, want 400", query, status, body)
		}
	}
	if status, _, _ := b.raw(t, http.MethodGet, "/api/orders?order_ids="+strings.Join(ids[:100], ","), testKey, ""); status != http.StatusOK {
		t.Errorf("100 order ids: %d, want 200", status)
	}
}

func TestFakeStartUpdateDateReachesBackByTheDelta(t *testing.T) {
	b := setup(t)
	start := b.clock.Now()
	at := func(d time.Duration) string {
		order := SampleOrder(0)
		order.CreatedAt = start.Add(d)
		return b.fake.AddOrder(order)
	}
	tooOld, inDelta, after := at(-6*time.Minute), at(-4*time.Minute), at(time.Minute)
	got := map[string]bool{}
	for _, order := range listRaw(t, b, "?start_update_date="+start.Format(time.RFC3339)).Orders {
		got[order.OrderID] = true
	}
	if got[tooOld] || !got[inDelta] || !got[after] {
		t.Errorf("listed %v: want %s (4 min before) and %s, not %s (6 min before)", got, inDelta, after, tooOld)
	}
	b.fake.SetUpdateDelta(0)
	if orders := listRaw(t, b, "?start_update_date="+start.Format(time.RFC3339)).Orders; len(orders) != 1 {
		t.Errorf("with no delta: %d orders, want 1", len(orders))
	}
	if orders := listRaw(t, b, "?order_state_codes=SHIPPING,CANCELED").Orders; len(orders) != 0 {
		t.Errorf("state filter: %d orders, want none", len(orders))
	}
}

// The fake's OR11 order carries every field the spec marks required, with the spec's types.
func TestFakeOR11WireShape(t *testing.T) {
	b := setup(t)
	b.clock.Advance(460 * time.Millisecond)
	waiting := b.fake.AddOrder(SampleOrder(0))
	accepted := b.acceptedSample(1)
	required := []string{"can_cancel", "can_shop_ship", "commercial_id", "created_date", "currency_iso_code", "customer",
		"fulfillment", "fully_refunded", "has_customer_message", "has_incident", "has_invoice", "last_updated_date",
		"leadtime_to_ship", "order_id", "order_lines", "order_state", "order_tax_mode", "paymentType", "price",
		"shipping_price", "shipping_type_code", "shipping_type_label", "shipping_zone_code", "shipping_zone_label",
		"total_commission", "total_price"}
	_, _, body := b.raw(t, http.MethodGet, "/api/orders?paginate=false", testKey, "")
	var answer struct {
		Orders     []map[string]any `json:"orders"`
		TotalCount *int             `json:"total_count"`
	}
	decoder := json.NewDecoder(strings.NewReader(body))
	decoder.UseNumber()
	if err := decoder.Decode(&answer); err != nil {
		t.Fatal(err)
	}
	if answer.TotalCount == nil || len(answer.Orders) != 2 {
		t.Fatalf("answer %s", body)
	}
	date := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$`)
	for _, order := range answer.Orders {
		for _, key := range required {
			if _, ok := order[key]; !ok {
				t.Errorf("order %v has no %s", order["order_id"], key)
			}
		}
		for _, key := range []string{"price", "shipping_price", "total_price", "total_commission"} {
			if _, ok := order[key].(json.Number); !ok {
				t.Errorf("%s is %T, want a JSON number", key, order[key])
			}
		}
		for _, key := range []string{"created_date", "last_updated_date", "shipping_deadline"} {
			if text, _ := order[key].(string); !date.MatchString(text) {
				t.Errorf("%s = %q, want ISO 8601 UTC", key, text)
			}
		}
		customer := order["customer"].(map[string]any)
		switch order["order_id"] {
		case waiting:
			if customer["shipping_address"] != nil || customer["billing_address"] != nil {
				t.Errorf("addresses before acceptance: %v", customer)
			}
			if _, present := customer["shipping_address"]; !present {
				t.Error("shipping_address should be null, not absent")
			}
		case accepted:
			address := customer["shipping_address"].(map[string]any)
			if address["country_iso_code"] != "DEU" || address["street_1"] != "Hauptstraße 5" {
				t.Errorf("shipping address %v, want alpha-3 DEU", address)
			}
			if _, ok := customer["billing_address"].(map[string]any)["additional_info"]; ok {
				t.Error("a billing address has additional_info")
			}
		}
		line := order["order_lines"].([]any)[0].(map[string]any)
		for _, key := range []string{"order_line_id", "order_line_state", "offer_sku", "product_title", "quantity", "price_unit", "price", "shipping_price", "total_price"} {
			if _, ok := line[key]; !ok {
				t.Errorf("order line has no %s", key)
			}
		}
	}
}

func TestFakeOR21Guards(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(1)) // lines <id>-1 and <id>-2
	shipping := b.acceptedSample(0)
	line := func(n int) string { return fmt.Sprintf(`{"accepted":true,"id":"%s-%d"}`, id, n) }
	tests := []struct {
		name, orderID, body string
		status              int
		code                string
	}{
		{"a line missing", id, `{"order_lines":[` + line(1) + `]}`, 400, codeDecisionMissing},
		{"a line twice", id, `{"order_lines":[` + line(1) + `,` + line(1) + `,` + line(2) + `]}`, 400, codeDuplicateLine},
		{"a line of another order", id, `{"order_lines":[` + line(1) + `,` + line(2) + `,{"accepted":true,"id":"X-1"}]}`, 400, codeLineNotFound},
		{"a null line", id, `{"order_lines":[` + line(1) + `,null,` + line(2) + `]}`, 400, codeNullLine},
		{"no decision", id, `{"order_lines":[{"id":"` + id + `-1"},` + line(2) + `]}`, 400, codeValidationError},
		{"not JSON", id, `accept all`, 400, codeValidationError},
		{"not waiting acceptance", shipping, `{"order_lines":[{"accepted":true,"id":"` + shipping + `-1"}]}`, 400, codeInvalidState},
		{"unknown order", "Order_77777-A", `{"order_lines":[]}`, 404, codeOrderNotFound},
	}
	for _, tt := range tests {
		status, _, body := b.raw(t, http.MethodPut, "/api/orders/"+tt.orderID+"/accept", testKey, tt.body)
		code, _ := decodeError(status, []byte(body))
		if status != tt.status || code != tt.code {
			t.Errorf("%s: %d %s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	if snapshot, _ := b.fake.Order(id); snapshot.State != "WAITING_ACCEPTANCE" {
		t.Errorf("refused requests changed the order: %s", snapshot.State)
	}
}

func TestFakeAcceptanceMovesThroughTheDebitAndDisclosesAddresses(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(1))
	before, _ := b.fake.Order(id)
	b.clock.Advance(time.Minute)
	body := fmt.Sprintf(`{"order_lines":[{"accepted":true,"id":"%s-1"},{"accepted":false,"id":"%s-2"}]}`, id, id)
	status, _, answer := b.raw(t, http.MethodPut, "/api/orders/"+id+"/accept", testKey, body)
	if status != http.StatusNoContent || answer != "" {
		t.Fatalf("OR21: %d %q, want 204 with no body", status, answer)
	}
	accepted, _ := b.fake.Order(id)
	if accepted.State != "WAITING_DEBIT_PAYMENT" || !accepted.AddressesDisclosed || !accepted.LastUpdated.After(before.LastUpdated) {
		t.Errorf("right after OR21: %+v", accepted)
	}
	b.clock.Advance(time.Second)
	listed := listRaw(t, b, "?order_ids="+id).Orders[0]
	if listed.OrderState != "SHIPPING" || listed.OrderLines[0].OrderLineState != "SHIPPING" || listed.OrderLines[1].OrderLineState != "REFUSED" {
		t.Errorf("after the debit: order %s, lines %s/%s", listed.OrderState, listed.OrderLines[0].OrderLineState, listed.OrderLines[1].OrderLineState)
	}
	if listed.CustomerDebitedDate == nil || listed.AcceptanceDecisionDate == nil || !listed.CanCancel {
		t.Errorf("debit %v, decision %v, can_cancel %v", listed.CustomerDebitedDate, listed.AcceptanceDecisionDate, listed.CanCancel)
	}

	refused := b.fake.AddOrder(SampleOrder(0))
	body = fmt.Sprintf(`{"order_lines":[{"accepted":false,"id":"%s-1"}]}`, refused)
	if status, _, answer := b.raw(t, http.MethodPut, "/api/orders/"+refused+"/accept", testKey, body); status != http.StatusNoContent {
		t.Fatalf("refusal: %d %s", status, answer)
	}
	if snapshot, _ := b.fake.Order(refused); snapshot.State != "REFUSED" || snapshot.AddressesDisclosed {
		t.Errorf("all lines refused: %+v", snapshot)
	}
}

func TestFakeShippingAndCancellationGuards(t *testing.T) {
	b := setup(t)
	waiting := b.fake.AddOrder(SampleOrder(0))
	shipping := b.acceptedSample(1)
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"ship before acceptance", "PUT", "/api/orders/" + waiting + "/ship", "", 400, codeInvalidState},
		{"cancel before acceptance", "PUT", "/api/orders/" + waiting + "/cancel", "", 400, codeInvalidState},
		{"tracking before acceptance", "PUT", "/api/orders/" + waiting + "/tracking", `{"carrier_code":"UPS","tracking_number":"1Z"}`, 400, codeInvalidState},
		{"unknown carrier", "PUT", "/api/orders/" + shipping + "/tracking", `{"carrier_code":"PIGEON","tracking_number":"1"}`, 400, codeValidationError},
		{"registered carrier without number", "PUT", "/api/orders/" + shipping + "/tracking", `{"carrier_code":"UPS"}`, 400, codeValidationError},
		{"no carrier", "PUT", "/api/orders/" + shipping + "/tracking", `{"tracking_number":"1"}`, 400, codeValidationError},
		{"tracking", "PUT", "/api/orders/" + shipping + "/tracking", `{"carrier_code":"DHL","tracking_number":"JD0146"}`, 204, ""},
		{"ship", "PUT", "/api/orders/" + shipping + "/ship", "", 204, ""},
		{"ship twice", "PUT", "/api/orders/" + shipping + "/ship", "", 400, codeInvalidState},
		{"cancel once shipped", "PUT", "/api/orders/" + shipping + "/cancel", "", 400, codeInvalidState},
		{"unknown order", "PUT", "/api/orders/Order_404-A/ship", "", 404, codeOrderNotFound},
	}
	for _, tt := range tests {
		b.clock.Advance(time.Second)
		status, _, body := b.raw(t, tt.method, tt.path, testKey, tt.body)
		code, _ := decodeError(status, []byte(body))
		if status != tt.status || code != tt.code || (status == 204 && body != "") {
			t.Errorf("%s: %d %q, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
	}
	snapshot, _ := b.fake.Order(shipping)
	wantURL := "https://www.dhl.com/fr-en/home/tracking.html?tracking-id=JD0146"
	if snapshot.State != "SHIPPED" || snapshot.CarrierCode != "DHL" || snapshot.TrackingURL != wantURL || b.fake.ShipCalls(shipping) != 1 {
		t.Errorf("after shipping: %+v, %d shipments", snapshot, b.fake.ShipCalls(shipping))
	}
	listed := listRaw(t, b, "?order_ids="+shipping).Orders[0]
	if listed.ShippingTrackingURL == nil || *listed.ShippingTrackingURL != wantURL || listed.OrderLines[0].ShippedDate == nil {
		t.Errorf("OR11 after shipping: tracking URL %v, shipped date %v", listed.ShippingTrackingURL, listed.OrderLines[0].ShippedDate)
	}
}

func TestFakeCancellationBumpsTheUpdateDate(t *testing.T) {
	b := setup(t)
	id := b.acceptedSample(0)
	before, _ := b.fake.Order(id)
	b.clock.Advance(time.Minute)
	if status, _, body := b.raw(t, http.MethodPut, "/api/orders/"+id+"/cancel", testKey, ""); status != http.StatusNoContent || body != "" {
		t.Fatalf("OR29: %d %q", status, body)
	}
	after, _ := b.fake.Order(id)
	if after.State != "CANCELED" || !after.LastUpdated.Equal(before.LastUpdated.Add(time.Minute)) {
		t.Errorf("after OR29: %+v", after)
	}
	// Marketplace-side cancellation does the same.
	other := b.acceptedSample(1)
	b.clock.Advance(time.Minute)
	if err := b.fake.CancelOrder(other); err != nil {
		t.Fatal(err)
	}
	if snapshot, _ := b.fake.Order(other); snapshot.State != "CANCELED" || !snapshot.LastUpdated.Equal(b.clock.Now()) {
		t.Errorf("marketplace cancellation: %+v", snapshot)
	}
}

func TestFakeThrottlesOR11WhenAsked(t *testing.T) {
	b := setup(t)
	b.fake.SetMinPollInterval(time.Minute)
	if status, _, _ := b.raw(t, http.MethodGet, "/api/orders", testKey, ""); status != http.StatusOK {
		t.Fatalf("first poll: %d", status)
	}
	b.clock.Advance(15 * time.Second)
	status, header, _ := b.raw(t, http.MethodGet, "/api/orders", testKey, "")
	if status != http.StatusTooManyRequests || header.Get("Retry-After") != "45" {
		t.Errorf("second poll: %d, Retry-After %q; want 429 and 45", status, header.Get("Retry-After"))
	}
	if status, _, _ := b.raw(t, http.MethodGet, "/api/shipping/carriers", testKey, ""); status != http.StatusOK {
		t.Errorf("SH21 is not throttled with OR11: %d", status)
	}
}

func TestFakeAccount(t *testing.T) {
	b := setup(t)
	status, _, body := b.raw(t, http.MethodGet, "/api/account", testKey, "")
	var account accountResponse
	if err := json.Unmarshal([]byte(body), &account); err != nil || status != http.StatusOK {
		t.Fatalf("A01: %d %s", status, body)
	}
	if account.ShopID != FakeShopID || account.ShopState != "OPEN" || account.ShopName == "" {
		t.Errorf("account %+v", account)
	}
}
