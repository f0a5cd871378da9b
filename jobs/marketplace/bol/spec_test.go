package bol

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/reference"
	"github.com/orderhub/orderhub/models"
)

// spec is the part of an OpenAPI document the tests read.
type spec struct {
	Components struct {
		Schemas map[string]schema `json:"schemas"`
	} `json:"components"`
}

type schema struct {
	Ref        string            `json:"$ref"`
	Type       string            `json:"type"`
	Properties map[string]schema `json:"properties"`
	Items      *schema           `json:"items"`
	Example    json.RawMessage   `json:"example"`
	Enum       []string          `json:"enum"`
}

func loadSpec(t *testing.T, name string) spec {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(reference.Dir(t, "bol"), name))
	if err != nil {
		t.Fatal(err)
	}
	var s spec
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// jsonFields lists the JSON names of a struct's fields, leaving out the pre-v10 spellings
// the client also reads.
func jsonFields(v any) []string {
	var names []string
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if strings.HasPrefix(typ.Field(i).Name, "Legacy") {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// TestWireTypesMatchSpecSchemas: every wire type has exactly the properties of its schema,
// spelled as the specification spells them.
func TestWireTypesMatchSpecSchemas(t *testing.T) {
	retailer, shared := loadSpec(t, "retailer.json"), loadSpec(t, "shared.json")
	cases := []struct {
		doc    spec
		schema string
		value  any
	}{
		{retailer, "ReducedOrders", reducedOrders{}},
		{retailer, "ReducedOrder", reducedOrder{}},
		{retailer, "ReducedOrderItem", reducedOrderItem{}},
		{retailer, "Order", order{}},
		{retailer, "ShipmentDetails", shipmentDetails{}},
		{retailer, "BillingDetails", billingDetails{}},
		{retailer, "OrderOrderItem", orderOrderItem{}},
		{retailer, "OrderFulfilment", orderFulfilment{}},
		{retailer, "OrderOffer", orderOffer{}},
		{retailer, "OrderProduct", orderProduct{}},
		{retailer, "Discount", orderDiscount{}},
		{retailer, "AdditionalService", orderService{}},
		{retailer, "ShipmentRequest", shipmentRequest{}},
		{retailer, "OrderItem", orderItem{}},
		{retailer, "TransportInstruction", transportInstruction{}},
		{retailer, "CancellationRequest", cancellationRequest{}},
		{retailer, "OrderItemCancellation", orderItemCancellation{}},
		{shared, "ProcessStatus", processStatus{}},
		{shared, "ProcessStatusResponse", processStatusResponse{}},
		{shared, "Problem", problem{}},
		{shared, "Violation", violation{}},
		{shared, "Link", link{}},
	}
	for _, tc := range cases {
		t.Run(tc.schema, func(t *testing.T) {
			s, ok := tc.doc.Components.Schemas[tc.schema]
			if !ok {
				t.Fatalf("the spec has no schema %s", tc.schema)
			}
			var want []string
			for name := range s.Properties {
				want = append(want, name)
			}
			sort.Strings(want)
			if got := jsonFields(tc.value); !slices.Equal(got, want) {
				t.Errorf("%T fields %v, schema %s properties %v", tc.value, got, tc.schema, want)
			}
		})
	}
}

// example builds a value from the examples the specification gives each property.
func example(doc spec, s schema) any {
	if s.Ref != "" {
		return example(doc, doc.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")])
	}
	switch {
	case s.Properties != nil:
		object := map[string]any{}
		for name, property := range s.Properties {
			object[name] = example(doc, property)
		}
		return object
	case s.Type == "array" && s.Items != nil:
		return []any{example(doc, *s.Items)}
	case len(s.Example) > 0:
		return s.Example
	case s.Type == "boolean":
		return true
	case s.Type == "integer" || s.Type == "number":
		return 1
	default:
		return "x"
	}
}

// TestSpecExampleOrderDecodes: the Order the specification's examples describe decodes with
// no unknown field, and converts to what the examples say.
func TestSpecExampleOrderDecodes(t *testing.T) {
	retailer := loadSpec(t, "retailer.json")
	body, err := json.Marshal(example(retailer, retailer.Components.Schemas["Order"]))
	if err != nil {
		t.Fatal(err)
	}
	var w order
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&w); err != nil {
		t.Fatalf("the spec's example Order does not decode: %v\n%s", err, body)
	}
	o, err := toOrder(w)
	if err != nil {
		t.Fatal(err)
	}
	if o.MarketplaceOrderID != "A2K8290LP8" || o.Shipping.PostalCode != "1111ZZ" || o.Shipping.Street1 != "Dorpstraat 1 B" ||
		o.Shipping.LastName != "Jansen" || o.Billing.Email != "billie@verkopen.bol.com" || o.MarketplaceReference != "MijnReferentie" {
		t.Errorf("order converted to %+v", o)
	}
	if len(o.Lines) != 1 || o.Lines[0].SKU != "BOLCOM00123" || o.Lines[0].EAN != "0000007740404" || o.Lines[0].UnitPrice != 1299 ||
		o.Lines[0].MarketplaceLineID != "2012345678" || o.Lines[0].Quantity != 10 {
		t.Errorf("lines converted to %+v", o.Lines)
	}
	if o.TotalAmount != 11891 {
		t.Errorf("total %d, want 11891 (totalPrice 118.91)", o.TotalAmount)
	}
	if want := time.Date(2017, 2, 9, 12, 39, 48, 0, time.FixedZone("", 3600)); !o.PlacedAt.Equal(want) {
		t.Errorf("placed at %v, want %v", o.PlacedAt, want)
	}

	psBody, _ := json.Marshal(example(loadSpec(t, "shared.json"), loadSpec(t, "shared.json").Components.Schemas["ProcessStatus"]))
	var status processStatus
	decoder = json.NewDecoder(bytes.NewReader(psBody))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&status); err != nil {
		t.Fatalf("the spec's example ProcessStatus does not decode: %v", err)
	}
	if status.id() != "1234567" || status.EntityID != "987654321" || status.ErrorMessage == "" {
		t.Errorf("process status decoded as %+v", status)
	}
}

// TestSampleOrderDecodes reads bol's recorded order detail answer.
func TestSampleOrderDecodes(t *testing.T) {
	var w order
	if err := json.Unmarshal(sampleBody(t, "200-order"), &w); err != nil {
		t.Fatal(err)
	}
	o, err := toOrder(w)
	if err != nil {
		t.Fatal(err)
	}
	wantShipping := models.Address{FirstName: "Hans", LastName: "de Grote", Street1: "Skywalkerstraat 199", PostalCode: "1234AB",
		City: "PLATOONDORP", Country: "NL", Email: "27zoytzc3crf2r6bctxfa3m2mrjbci@verkopen.test2.bol.com"}
	if o.Shipping != wantShipping {
		t.Errorf("shipping %+v\nwant     %+v", o.Shipping, wantShipping)
	}
	if o.Billing.Street1 != "Skywalkerstraat 21 X" || o.Billing.Street2 != "Extra informatie" || o.Billing.Company != "Pieter Post" {
		t.Errorf("billing %+v", o.Billing)
	}
	if o.MarketplaceOrderID != "1042823870" || o.Status != models.StatusWaitingShipment || o.TotalAmount != 1999+3298 {
		t.Errorf("order %s status %s total %d", o.MarketplaceOrderID, o.Status, o.TotalAmount)
	}
	if len(o.Lines) != 2 || o.Lines[0].SKU != "MijnOffer0021" || o.Lines[0].EAN != "8785056370398" || o.Lines[1].UnitPrice != 3298 ||
		o.Lines[1].Title != "Star Wars - The happy family 2" {
		t.Errorf("lines %+v", o.Lines)
	}
	if o.ShipBy == nil || o.ShipBy.In(dutchTime).Format(time.DateOnly) != "2018-01-16" {
		t.Errorf("ship by %v, want the earliest latestDeliveryDate 2018-01-16", o.ShipBy)
	}
	if w.LegacyPickUpPoint == nil || *w.LegacyPickUpPoint {
		t.Errorf("the pre-v10 pickUpPoint was not read")
	}
}

// TestSampleOrderListsDecode reads bol's recorded order lists, the empty one being {}.
func TestSampleOrderListsDecode(t *testing.T) {
	var list reducedOrders
	if err := json.Unmarshal(sampleBody(t, "200-reduced-orders"), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Orders) != 4 || list.Orders[2].OrderID != "A4K8290LP0" || len(list.Orders[1].OrderItems) != 2 ||
		list.Orders[0].OrderItems[0].EAN != "8717418510749" || list.Orders[0].OrderItems[0].Quantity != 3 {
		t.Errorf("orders %+v", list.Orders)
	}
	var empty reducedOrders
	if err := json.Unmarshal(sampleBody(t, "200-reduced-orders-empty"), &empty); err != nil || len(empty.Orders) != 0 {
		t.Errorf("empty list: %+v, %v", empty, err)
	}
}

// TestSampleProblemsDecode reads bol's recorded error answers.
func TestSampleProblemsDecode(t *testing.T) {
	for _, tc := range []struct{ sample, code, message string }{
		{"401-jwt-expired", "Expired JWT", "JWT expired at 2023-03-16T12:53:03Z"},
		{"429-too-many-requests", "Too Many Requests", "Too many requests, retry in 4 seconds."},
		{"404-not-found", "Not Found", "Some record is not found."},
		{"403-forbidden-account_is_not_active", "Forbidden", "Account is not active"},
	} {
		code, message := decodeError(0, sampleBody(t, tc.sample))
		if code != tc.code || !strings.Contains(message, tc.message) {
			t.Errorf("%s: code %q message %q", tc.sample, code, message)
		}
	}
	if code, message := decodeError(500, sampleBody(t, "500-internal-server-error")); code != "" || message != "" {
		t.Errorf("an HTML body gave %q %q; apiclient should show it as it is", code, message)
	}
	var legacy processStatus
	if err := json.Unmarshal(sampleBody(t, "202-offers-export"), &legacy); err != nil || legacy.id() != "1" || legacy.Status != processPending {
		t.Errorf("pre-v10 process status: %+v, %v", legacy, err)
	}
}

// TestCarriersAreTheSpecTransporterCodes: the carriers are the transporterCode enum.
func TestCarriersAreTheSpecTransporterCodes(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(reference.Dir(t, "bol"), "retailer-v10-2023-08-with-transporter-enum.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc spec
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := doc.Components.Schemas["ChangeTransportRequest"].Properties["transporterCode"].Enum
	carriers, err := New(Config{}).Carriers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range carriers {
		got = append(got, c.Code)
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("carriers %v\nspec enum %v", got, want)
	}
}

// TestFakeServesTheSampleOrder: the recorded order detail, loaded into the fake, reaches the
// client as bol sent it.
func TestFakeServesTheSampleOrder(t *testing.T) {
	b := setup(t)
	body := sampleBody(t, "200-order")
	id, err := b.fake.AddOrderJSON(body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.client.Order(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var w order
	if err := json.Unmarshal(body, &w); err != nil {
		t.Fatal(err)
	}
	want, err := toOrder(w)
	if err != nil {
		t.Fatal(err)
	}
	if got.Shipping != want.Shipping || got.Billing != want.Billing || len(got.Lines) != 2 || got.Lines[1] != want.Lines[1] || got.TotalAmount != want.TotalAmount {
		t.Errorf("through the fake %+v\ndirect %+v", got, want)
	}
}
