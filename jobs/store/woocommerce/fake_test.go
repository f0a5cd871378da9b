package woocommerce

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// These tests hold the fake to what the docs say, so client and fake cannot agree on
// something WooCommerce does not do.

func TestFakeRefusesCallsWithoutCredentials(t *testing.T) {
	b := setup(t)
	for _, tc := range []struct{ method, path, code string }{
		{http.MethodGet, "/wp-json/wc/v3/orders", "woocommerce_rest_cannot_view"},
		{http.MethodPost, "/wp-json/wc/v3/orders", "woocommerce_rest_cannot_create"},
		{http.MethodPut, "/wp-json/wc/v3/orders/12", "woocommerce_rest_cannot_edit"},
	} {
		req, _ := http.NewRequest(tc.method, b.server.URL+tc.path, strings.NewReader("{}"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body wireError
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized || body.Code != tc.code {
			t.Errorf("%s %s: %d %q, want 401 %q", tc.method, tc.path, res.StatusCode, body.Code, tc.code)
		}
	}
}

func TestFakeAnswersUnknownRoutesWithRestNoRoute(t *testing.T) {
	b := setup(t)
	for _, r := range []apiclient.Request{
		{Method: http.MethodGet, Path: "/customers/orders"},
		{Method: http.MethodGet, Path: "/orders/abc"},
		{Method: http.MethodPatch, Path: "/products"},
	} {
		_, apiErr := b.call(t, r)
		if apiErr == nil || apiErr.Status != http.StatusNotFound || apiErr.Code != "rest_no_route" {
			t.Errorf("%s %s: %v, want 404 rest_no_route", r.Method, r.Path, apiErr)
		}
	}
}

func TestFakeCheckListParameters(t *testing.T) {
	b := setup(t)
	for _, query := range []url.Values{
		{"per_page": {"101"}},
		{"per_page": {"0"}},
		{"page": {"0"}},
		{"orderby": {"modified"}},
		{"order": {"up"}},
		{"status": {"shipped"}},
		{"modified_after": {"yesterday"}},
		{"dates_are_gmt": {"maybe"}},
	} {
		_, apiErr := b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/orders", Query: query})
		if apiErr == nil || apiErr.Status != http.StatusBadRequest || apiErr.Code != "rest_invalid_param" {
			t.Errorf("GET /orders?%s: %v, want 400 rest_invalid_param", query.Encode(), apiErr)
		}
	}
}

func TestFakePagesWithWordPressHeaders(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	for id := int64(900); id < 912; id++ {
		mustCreate(t, b, marketplaceOrder(id))
	}
	res, apiErr := b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/orders"})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var page []FakeOrder
	json.Unmarshal(res.Body, &page)
	if len(page) != 10 || res.Header.Get("X-WP-Total") != "12" || res.Header.Get("X-WP-TotalPages") != "2" {
		t.Errorf("default page: %d orders, total %s, pages %s; want 10, 12, 2", len(page), res.Header.Get("X-WP-Total"), res.Header.Get("X-WP-TotalPages"))
	}
	if link := res.Header.Get("Link"); !strings.Contains(link, `page=2>; rel="next"`) || strings.Contains(link, "oauth_") {
		t.Errorf("Link %q", link)
	}
	// Newest first by default.
	if page[0].ID < page[1].ID {
		t.Errorf("default order is not date descending: %d before %d", page[0].ID, page[1].ID)
	}
	res, _ = b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/orders", Query: url.Values{"page": {"2"}}})
	json.Unmarshal(res.Body, &page)
	if len(page) != 2 || !strings.Contains(res.Header.Get("Link"), `rel="prev"`) || strings.Contains(res.Header.Get("Link"), `rel="next"`) {
		t.Errorf("last page: %d orders, Link %q", len(page), res.Header.Get("Link"))
	}
}

func TestFakeWritesMoneyAsStringsAndDatesWithoutZone(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(920))
	res, apiErr := b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/orders/" + id})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var raw map[string]any
	json.Unmarshal(res.Body, &raw)
	for _, field := range []string{"total", "shipping_total", "discount_total", "total_tax"} {
		if _, isString := raw[field].(string); !isString {
			t.Errorf("%s is %T, want a string", field, raw[field])
		}
	}
	noZone := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$`)
	for _, field := range []string{"date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "date_paid_gmt"} {
		if text, _ := raw[field].(string); !noZone.MatchString(text) {
			t.Errorf("%s = %v, want YYYY-MM-DDTHH:MM:SS", field, raw[field])
		}
	}
	if raw["date_completed"] != nil {
		t.Errorf("date_completed = %v, want null", raw["date_completed"])
	}
	local, _ := time.Parse(wooTimeLayout, raw["date_created"].(string))
	gmt, _ := time.Parse(wooTimeLayout, raw["date_created_gmt"].(string))
	if gmt.Sub(local) != 3*time.Hour || !gmt.Equal(b.clock.Now()) {
		t.Errorf("date_created %v, gmt %v: want the shop 3 hours behind UTC", local, gmt)
	}
}

func TestFakeLineItemsNeedAProductReference(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	_, apiErr := b.call(t, apiclient.Request{Method: http.MethodPost, Path: "/orders", Body: map[string]any{
		"line_items": []map[string]any{{"quantity": 1, "total": "1.00"}},
	}})
	if apiErr == nil || apiErr.Status != 400 || apiErr.Code != "woocommerce_rest_required_product_reference" || apiErr.Message != "Product ID or SKU is required." {
		t.Fatalf("got %v", apiErr)
	}
}

func TestFakeUsesCataloguePriceWhenTotalsAreMissing(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	mug, _ := b.fake.Product("MUG-1")
	res, apiErr := b.call(t, apiclient.Request{Method: http.MethodPost, Path: "/orders", Body: map[string]any{
		"line_items": []map[string]any{{"product_id": mug.ID, "quantity": 3}},
	}})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	if res.Status != http.StatusCreated {
		t.Errorf("status %d, want 201", res.Status)
	}
	var order FakeOrder
	json.Unmarshal(res.Body, &order)
	if order.LineItems[0].Total != "60.00" || order.Total != "60.00" || order.Status != "pending" {
		t.Errorf("line total %s, total %s, status %s; want 60.00 60.00 pending", order.LineItems[0].Total, order.Total, order.Status)
	}
	if mug, _ := b.fake.Product("MUG-1"); mug.StockQuantity != 10 {
		t.Errorf("an unpaid pending order took stock: %d", mug.StockQuantity)
	}
}

func TestFakeRefusesTotalsThatAreNotStrings(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	_, apiErr := b.call(t, apiclient.Request{Method: http.MethodPost, Path: "/orders", Body: map[string]any{
		"line_items": []map[string]any{{"sku": "MUG-1", "quantity": 1, "total": 12.5}},
	}})
	if apiErr == nil || apiErr.Code != "rest_invalid_param" || !strings.Contains(apiErr.Message, "line_items") {
		t.Fatalf("got %v", apiErr)
	}
}

func TestFakeStatusChangesMoveStockOnce(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(930)) // set_paid took 2 mugs
	for _, status := range []string{"completed", "on-hold", "processing"} {
		if _, apiErr := b.call(t, apiclient.Request{Method: http.MethodPut, Path: "/orders/" + id, Body: map[string]string{"status": status}}); apiErr != nil {
			t.Fatal(apiErr)
		}
	}
	if mug, _ := b.fake.Product("MUG-1"); mug.StockQuantity != 8 {
		t.Errorf("stock %d, want 8: taken once whatever the paid statuses", mug.StockQuantity)
	}
	b.call(t, apiclient.Request{Method: http.MethodPut, Path: "/orders/" + id, Body: map[string]string{"status": "cancelled"}})
	b.call(t, apiclient.Request{Method: http.MethodPut, Path: "/orders/" + id, Body: map[string]string{"status": "cancelled"}})
	if mug, _ := b.fake.Product("MUG-1"); mug.StockQuantity != 10 {
		t.Errorf("stock %d after cancelling, want 10", mug.StockQuantity)
	}
	notes := b.fake.Notes(mustID(t, id))
	if len(notes) == 0 || notes[0].Note != "Stock levels increased: Mug (MUG-1) 8&rarr;10" {
		t.Errorf("latest note %+v", notes)
	}
}

func TestFakeVariationsAreOrderedBySKUAndShareParentStock(t *testing.T) {
	b := setup(t)
	b.fake.AddProduct(ProductSpec{Name: "Cap", Type: "variable", ManageStock: true, StockQuantity: 5, Variations: []VariationSpec{
		{SKU: "CAP-RED", RegularPrice: "15.00", Attributes: []VariationOption{{"Color", "Red"}}},
	}})
	res, apiErr := b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/products", Query: url.Values{"sku": {"CAP-RED"}}})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var found []map[string]any
	json.Unmarshal(res.Body, &found)
	if len(found) != 1 || found[0]["type"] != "variation" || found[0]["manage_stock"] != "parent" {
		t.Fatalf("GET /products?sku= of a variation: %v", found)
	}
	res, _ = b.call(t, apiclient.Request{Method: http.MethodPost, Path: "/orders", Body: map[string]any{
		"set_paid": true, "line_items": []map[string]any{{"sku": "CAP-RED", "quantity": 2}},
	}})
	var order FakeOrder
	json.Unmarshal(res.Body, &order)
	red, _ := b.fake.Product("CAP-RED")
	if line := order.LineItems[0]; line.ProductID != red.ParentID || line.VariationID != red.ID || line.Total != "30.00" || line.Name != "Cap - Red" {
		t.Errorf("line %+v", line)
	}
	if red.StockQuantity != 3 {
		t.Errorf("parent stock %d, want 3", red.StockQuantity)
	}
}

func TestFakeShipmentTrackingRoute(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(940)
	order.Shipping.PostalCode = "1011AB"
	id := mustCreate(t, b, order)
	b.clock.Advance(time.Minute)

	res, apiErr := b.callNamespace(t, "wc-shipment-tracking/v3", apiclient.Request{
		Method: http.MethodPost, Path: "/orders/" + id + "/shipment-trackings",
		Body: map[string]string{"tracking_provider": "postnl", "tracking_number": "3SABCD1234", "date_shipped": "2025-03-13"},
	})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var item trackingJSON
	json.Unmarshal(res.Body, &item)
	if item.TrackingProvider != "PostNL" || item.DateShipped != "2025-03-13" || item.TrackingID == "" ||
		item.TrackingLink != "https://postnl.nl/tracktrace/?B=3SABCD1234&P=1011AB&D=NL&T=C" {
		t.Errorf("route answer %+v", item)
	}
	after, _ := b.fake.Order(mustID(t, id))
	var stored []map[string]any
	for _, meta := range after.MetaData {
		if meta.Key == metaTrackingItems {
			json.Unmarshal(meta.Value, &stored)
		}
	}
	if len(stored) != 1 || stored[0]["tracking_provider"] != "postnl" || stored[0]["date_shipped"] != strconv.FormatInt(time.Date(2025, 3, 13, 0, 0, 0, 0, time.UTC).Unix(), 10) {
		t.Errorf("meta %v, want the slug and a unix time", stored)
	}
	if after.DateModifiedGMT != formatWooTime(b.clock.Now()) {
		t.Errorf("with HPOS storage, adding a tracking left date_modified at %s", after.DateModifiedGMT)
	}
	res, _ = b.callNamespace(t, "wc-shipment-tracking/v3", apiclient.Request{Method: http.MethodGet, Path: "/orders/" + id + "/shipment-trackings"})
	var listed []trackingJSON
	json.Unmarshal(res.Body, &listed)
	if len(listed) != 1 || listed[0].TrackingID != item.TrackingID {
		t.Errorf("listed %+v", listed)
	}
	if _, apiErr := b.callNamespace(t, "wc-shipment-tracking/v3", apiclient.Request{
		Method: http.MethodPost, Path: "/orders/" + id + "/shipment-trackings", Body: map[string]string{"tracking_provider": "ups"},
	}); apiErr == nil || apiErr.Code != "rest_missing_callback_param" {
		t.Errorf("tracking without a number: %v", apiErr)
	}
}

func TestFakeTrackingAloneIsInvisibleToPollsWithPostsStorage(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	b.fake.SetPostsStorage(true)
	id := mustCreate(t, b, marketplaceOrder(941))
	b.clock.Advance(time.Minute)
	b.fake.CompleteOrder(mustID(t, id), nil)
	_, cursor := readAllShipments(t, b, "")
	b.clock.Advance(time.Minute)
	mustCreate(t, b, marketplaceOrder(942)) // a later change moves the window past the first order
	_, cursor = readAllShipments(t, b, cursor)

	b.clock.Advance(time.Minute)
	before, _ := b.fake.Order(mustID(t, id))
	if err := b.fake.AddTracking(mustID(t, id), TrackingItem{TrackingProvider: "ups", TrackingNumber: "1ZLATE"}); err != nil {
		t.Fatal(err)
	}
	after, _ := b.fake.Order(mustID(t, id))
	if after.DateModifiedGMT != before.DateModifiedGMT {
		t.Errorf("with posts storage, a tracking saved alone moved date_modified")
	}
	if seen, _ := readAllShipments(t, b, cursor); seen[id].TrackingNumber != "" {
		t.Errorf("the poll saw the tracking, want it invisible to modified_after: %+v", seen[id])
	}
}

func TestFakeOrderNotes(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	id := mustCreate(t, b, marketplaceOrder(950))
	res, apiErr := b.call(t, apiclient.Request{Method: http.MethodPost, Path: "/orders/" + id + "/notes", Body: map[string]any{"note": "Gift wrap", "customer_note": true}})
	if apiErr != nil || res.Status != http.StatusCreated {
		t.Fatalf("create note: %v", apiErr)
	}
	res, _ = b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/orders/" + id + "/notes", Query: url.Values{"type": {"customer"}}})
	var notes []FakeNote
	json.Unmarshal(res.Body, &notes)
	if len(notes) != 1 || notes[0].Note != "Gift wrap" || !notes[0].CustomerNote {
		t.Errorf("customer notes %+v", notes)
	}
	res, _ = b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/orders/" + id + "/notes"})
	json.Unmarshal(res.Body, &notes)
	if len(notes) < 2 || notes[len(notes)-1].Note != "Order status changed from Pending payment to Processing." {
		t.Errorf("all notes %+v", notes)
	}
	if _, apiErr := b.call(t, apiclient.Request{Method: http.MethodPost, Path: "/orders/" + id + "/notes", Body: map[string]any{}}); apiErr == nil || apiErr.Code != "rest_missing_callback_param" {
		t.Errorf("note without text: %v", apiErr)
	}
}

func TestFakeFiltersOrdersByDates(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	old := mustCreate(t, b, marketplaceOrder(960))
	start := b.clock.Now()
	b.clock.Advance(time.Hour)
	recent := mustCreate(t, b, marketplaceOrder(961))
	list := func(query url.Values) []string {
		t.Helper()
		res, apiErr := b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/orders", Query: query})
		if apiErr != nil {
			t.Fatal(apiErr)
		}
		var orders []FakeOrder
		json.Unmarshal(res.Body, &orders)
		var ids []string
		for _, order := range orders {
			ids = append(ids, order.Number)
		}
		return ids
	}
	gmtStart := formatWooTime(start)
	if got := list(url.Values{"after": {gmtStart}, "dates_are_gmt": {"true"}}); len(got) != 1 || got[0] != recent {
		t.Errorf("after (strict) %s GMT = %v, want only %s", gmtStart, got, recent)
	}
	// Without dates_are_gmt the same text is shop time, three hours later in UTC.
	if got := list(url.Values{"after": {gmtStart}}); len(got) != 0 {
		t.Errorf("after %s shop time = %v, want none", gmtStart, got)
	}
	if got := list(url.Values{"before": {start.Add(time.Second).Format(time.RFC3339)}}); len(got) != 1 || got[0] != old {
		t.Errorf("before with a zone = %v, want %s", got, old)
	}
	b.clock.Advance(time.Minute)
	b.fake.CompleteOrder(mustID(t, old), nil)
	if got := list(url.Values{"modified_after": {formatWooTime(b.clock.Now().Add(-time.Second))}, "dates_are_gmt": {"1"}}); len(got) != 1 || got[0] != old {
		t.Errorf("modified_after = %v, want %s", got, old)
	}
}
