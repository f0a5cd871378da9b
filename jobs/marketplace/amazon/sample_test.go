package amazon

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// sampleOrders reads the orders of an examples file as raw documents, by id.
func sampleOrders(t *testing.T, name string) map[string]map[string]any {
	t.Helper()
	var pairs []struct {
		Status   int `json:"status"`
		Response struct {
			Orders []map[string]any `json:"orders"`
			Order  map[string]any   `json:"order"`
		} `json:"response"`
	}
	if err := json.Unmarshal(readReference(t, "examples/"+name), &pairs); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, p := range pairs {
		if p.Status != 200 {
			continue
		}
		for _, o := range append(p.Response.Orders, p.Response.Order) {
			if o != nil {
				out[o["orderId"].(string)] = o
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no order", name)
	}
	return out
}

func TestSpecSampleOrderIsDecoded(t *testing.T) {
	b := setup(t, 1)
	if _, err := b.fake.AddOrderDocuments(readReference(t, "examples/orders2026-searchOrders-sandbox.json")); err != nil {
		t.Fatal(err)
	}
	got, err := b.client(1).Order(context.Background(), "250-1234567-8901234")
	if err != nil {
		t.Fatal(err)
	}
	placed := time.Date(2024, 12, 25, 2, 30, 0, 0, time.UTC)
	updated := time.Date(2024, 12, 25, 6, 45, 0, 0, time.UTC)
	if got.MarketplaceReference != "JP-ORDER-2024-001" || !got.PlacedAt.Equal(placed) || !got.MarketplaceUpdatedAt.Equal(updated) {
		t.Errorf("identity: %q %v %v", got.MarketplaceReference, got.PlacedAt, got.MarketplaceUpdatedAt)
	}
	if got.Status != models.StatusShipped || got.RawStatus != "SHIPPED" || got.ShippingMethod != "STANDARD" {
		t.Errorf("status %q raw %q method %q", got.Status, got.RawStatus, got.ShippingMethod)
	}
	if got.Currency != "JPY" || got.TotalAmount != 19940 {
		t.Errorf("total %s %d, want JPY 19940", got.Currency, got.TotalAmount)
	}
	want := models.Address{FirstName: "John", LastName: "Smith", Street1: "123 Business Park", Street2: "Suite 456", City: "Tokyo", PostalCode: "150-0002", Country: "JP", Email: "buyer-email@marketplace.amazon.co.jp"}
	if got.Shipping != want {
		t.Errorf("shipping = %+v\nwant %+v", got.Shipping, want)
	}
	if got.ShipBy == nil || !got.ShipBy.Equal(time.Date(2024, 12, 25, 23, 59, 59, 0, time.UTC)) {
		t.Errorf("ship by = %v", got.ShipBy)
	}
	if len(got.Lines) != 2 {
		t.Fatalf("%d lines, want 2", len(got.Lines))
	}
	line := got.Lines[0]
	if line.MarketplaceLineID != "25012345678901" || line.SKU != "ECHO-DOT-4-JP-CHARCOAL" || line.Quantity != 1 || line.UnitPrice != 5980 || !strings.HasPrefix(line.Title, "Echo Dot") {
		t.Errorf("first line = %+v", line)
	}
}

// Every sample order of both operations converts to the sample's values.
func TestAllSpecSampleOrdersDecode(t *testing.T) {
	for _, file := range []string{"orders2026-searchOrders-sandbox.json", "orders2026-getOrder-sandbox.json"} {
		b := setup(t, 1)
		if _, err := b.fake.AddOrderDocuments(readReference(t, "examples/"+file)); err != nil {
			t.Fatal(err)
		}
		c := b.client(1)
		for id, raw := range sampleOrders(t, file) {
			got, err := c.Order(context.Background(), id)
			if err != nil {
				t.Errorf("%s %s: %v", file, id, err)
				continue
			}
			total := raw["proceeds"].(map[string]any)["grandTotal"].(map[string]any)
			wantTotal, _ := minorUnits(total["amount"].(string), total["currencyCode"].(string))
			if got.TotalAmount != wantTotal || got.Currency != total["currencyCode"] {
				t.Errorf("%s: total %s %d, want %v", id, got.Currency, got.TotalAmount, total)
			}
			fulfillment := raw["fulfillment"].(map[string]any)
			if got.RawStatus != fulfillment["fulfillmentStatus"] {
				t.Errorf("%s: status %q, want %v", id, got.RawStatus, fulfillment["fulfillmentStatus"])
			}
			address := raw["recipient"].(map[string]any)["deliveryAddress"].(map[string]any)
			if got.Shipping.City != address["city"] || got.Shipping.PostalCode != address["postalCode"] || got.Shipping.Country != address["countryCode"] ||
				strings.TrimSpace(got.Shipping.FirstName+" "+got.Shipping.LastName) != address["name"] {
				t.Errorf("%s: shipping %+v, want %v", id, got.Shipping, address)
			}
			items := raw["orderItems"].([]any)
			if len(got.Lines) != len(items) {
				t.Errorf("%s: %d lines, want %d", id, len(got.Lines), len(items))
				continue
			}
			for i, item := range items {
				item := item.(map[string]any)
				product := item["product"].(map[string]any)
				if got.Lines[i].MarketplaceLineID != item["orderItemId"] || got.Lines[i].SKU != product["sellerSku"] ||
					float64(got.Lines[i].Quantity) != item["quantityOrdered"] || got.Lines[i].Title != product["title"] {
					t.Errorf("%s line %d = %+v, want %v", id, i, got.Lines[i], item)
				}
			}
		}
	}
}

// searchOrders lists the sample orders by their fulfilment, and the client reads them all.
func TestSpecSampleOrdersAreListedByFulfilment(t *testing.T) {
	b := setup(t, 1)
	ids, err := b.fake.AddOrderDocuments(readReference(t, "examples/orders2026-searchOrders-sandbox.json"))
	if err != nil {
		t.Fatal(err)
	}
	since := cursor{Since: time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)}.String()
	mfn, _, _ := importAll(t, context.Background(), b.client(1), since)
	b.cfg.Fulfilment = FulfilmentAFN
	afn, _, _ := importAll(t, context.Background(), b.client(1), since)
	if _, ok := afn["250-1234567-8901234"]; !ok || len(afn) != 1 {
		t.Errorf("AFN: %v, want the Amazon-fulfilled sample only", keys(afn))
	}
	if len(mfn)+len(afn) != len(ids) {
		t.Errorf("listed %d + %d orders, the samples hold %d", len(mfn), len(afn), len(ids))
	}
}

// The sample confirmShipment requests get the samples' answers from the fake.
func TestSpecConfirmShipmentSamples(t *testing.T) {
	var pairs []struct {
		Status  int `json:"status"`
		Request struct {
			Parameters struct {
				OrderID struct{ Value string } `json:"orderId"`
				Body    struct{ Value json.RawMessage }
			} `json:"parameters"`
		} `json:"request"`
		Response json.RawMessage `json:"response"`
	}
	if err := json.Unmarshal(readReference(t, "examples/ordersV0-confirmShipment-sandbox.json"), &pairs); err != nil {
		t.Fatal(err)
	}
	b := setup(t, 1)
	// An order the samples can ship: their order, marketplace and item.
	b.fake.AddOrder(FakeOrder{ID: "902-1106328-1059050", MarketplaceID: "ATVPDKIKX0DER", Currency: "USD",
		Items: []FakeItem{{ID: "79039765272157", SKU: "SKU-1", Title: "Item", Quantity: 1, UnitPrice: "10.00"}}})
	token, err := b.client(1).auth.token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The 400 sample first: a refused request must not ship the order.
	for i := len(pairs) - 1; i >= 0; i-- {
		p := pairs[i]
		req, _ := http.NewRequest(http.MethodPost, b.server.URL+"/orders/v0/orders/"+p.Request.Parameters.OrderID.Value+"/shipmentConfirmation", bytes.NewReader(p.Request.Parameters.Body.Value))
		req.Header.Set("x-amz-access-token", token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != p.Status {
			t.Errorf("sample %d: status %d, want %d (%s)", i, res.StatusCode, p.Status, body.String())
			continue
		}
		if p.Status == http.StatusNoContent {
			if body.Len() != 0 {
				t.Errorf("sample %d: 204 with a body %q", i, body.String())
			}
			continue
		}
		var got, want errorList
		_ = json.Unmarshal(body.Bytes(), &got)
		_ = json.Unmarshal(p.Response, &want)
		if len(got.Errors) != 1 || got.Errors[0].Code != want.Errors[0].Code || got.Errors[0].Message != want.Errors[0].Message {
			t.Errorf("sample %d: %s, want %s", i, body.String(), p.Response)
		}
	}
	if s := b.fake.Shipments("902-1106328-1059050"); len(s) != 1 || s[0].CarrierCode != "FedEx" || s[0].TrackingNumber != "112345678" {
		t.Errorf("shipments = %+v", s)
	}
}

// Every JSON name the wire types declare is a property of the models, so a misspelt or
// renamed field fails here rather than decoding silently to nothing.
func TestWireFieldNamesAreTheModels(t *testing.T) {
	properties := map[string]bool{}
	for _, file := range []string{"orders_2026-01-01.json", "ordersV0.json"} {
		var spec struct {
			Definitions map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"definitions"`
		}
		if err := json.Unmarshal(readReference(t, file), &spec); err != nil {
			t.Fatal(err)
		}
		for _, d := range spec.Definitions {
			for name := range d.Properties {
				properties[name] = true
			}
		}
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			field := typ.Field(i)
			name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
			if !properties[name] {
				t.Errorf("%s.%s: %q is not a property of the models", path, field.Name, name)
			}
			walk(field.Type, path+"."+name)
		}
	}
	for _, v := range []any{searchOrdersResponse{}, getOrderResponse{}, confirmShipmentRequest{}, errorList{}, fakeConfirmation{}} {
		walk(reflect.TypeOf(v), reflect.TypeOf(v).Name())
	}
}
