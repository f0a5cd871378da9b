package vendure

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestFakeRefusesBadAuthAndMalformedRequests(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	token := b.login(t)
	const variants = `query{ productVariants{ items{ id sku } } }`
	for _, tc := range []struct {
		name, token, query string
		variables          map[string]any
		status             int
		code, message      string
	}{
		{"no session", "", variants, nil, 200, "FORBIDDEN", "You are not currently authorized to perform this action"},
		{"unknown token", "not-a-session", variants, nil, 200, "FORBIDDEN", "not currently authorized"},
		{"syntax error", token, `query{ productVariants{ items{ id }`, nil, 400, "GRAPHQL_PARSE_FAILED", "Syntax Error"},
		{"unknown field", token, `query{ productVariants{ items{ id ean } } }`, nil, 400, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "ean" on type "ProductVariant".`},
		{"misspelt field", token, `query{ productVariants{ items{ id skus } } }`, nil, 400, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "skus" on type "ProductVariant". Did you mean "sku"?`},
		{"union field without fragment", token, `mutation{ addItemToDraftOrder(orderId:"1",input:{productVariantId:"1",quantity:1}){ id } }`, nil, 400, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "id" on type "UpdateOrderItemsResult". Did you mean to use an inline fragment on "Node" or "Order"?`},
		{"missing subfields", token, `query{ productVariants{ items } }`, nil, 400, "GRAPHQL_VALIDATION_FAILED", "must have a selection of subfields"},
		{"unknown argument", token, `query{ orders(take:5){ totalItems } }`, nil, 400, "GRAPHQL_VALIDATION_FAILED", `Unknown argument "take" on field "Query.orders".`},
		{"unknown filter field", token, `query{ orders(options:{filter:{marketplace:{eq:"x"}}}){ totalItems } }`, nil, 400, "GRAPHQL_VALIDATION_FAILED", `Field "marketplace" is not defined by type "OrderFilterParameter".`},
		{"variable of the wrong type", token, `mutation($id:String!){ deleteDraftOrder(orderId:$id){ result } }`, map[string]any{"id": "1"}, 400, "GRAPHQL_VALIDATION_FAILED", `Variable "$id" of type "String!" used in position expecting type "ID!".`},
		{"required variable missing", token, `mutation($id:ID!){ deleteDraftOrder(orderId:$id){ result } }`, nil, 200, "BAD_USER_INPUT", `Variable "$id" of required type "ID!" was not provided.`},
		{"quantity as text", token, `mutation($i:AddItemToDraftOrderInput!){ addItemToDraftOrder(orderId:"1",input:$i){ ... on ErrorResult{ message } } }`, map[string]any{"i": map[string]any{"productVariantId": "1", "quantity": "2"}}, 200, "BAD_USER_INPUT", `Variable "$i" got invalid value "2" at "i.quantity"; Int cannot represent non-integer value: "2"`},
		{"unknown input field", token, `mutation($i:CreateAddressInput!){ setDraftOrderShippingAddress(orderId:"1",input:$i){ id } }`, map[string]any{"i": map[string]any{"streetLine1": "x", "countryCode": "FR", "zip": "75002"}}, 200, "BAD_USER_INPUT", `Variable "$i" got invalid value { countryCode: "FR", streetLine1: "x", zip: "75002" }; Field "zip" is not defined by type "CreateAddressInput".`},
		{"required input field missing", token, `mutation($i:CreateAddressInput!){ setDraftOrderShippingAddress(orderId:"1",input:$i){ id } }`, map[string]any{"i": map[string]any{"streetLine1": "x"}}, 200, "BAD_USER_INPUT", `Variable "$i" got invalid value { streetLine1: "x" }; Field "countryCode" of required type "String!" was not provided.`},
		{"unknown order", token, `query{ order(id:"77"){ id } }`, nil, 200, "", ""},
		{"unknown order line", token, `mutation{ transitionFulfillmentToState(id:"77",state:"Shipped"){ ... on Fulfillment{ id } } }`, nil, 200, "ENTITY_NOT_FOUND", `No Fulfillment with the id "77" could be found`},
		{"too many at once", token, `query{ orders(options:{take:5000}){ totalItems } }`, nil, 200, "USER_INPUT_ERROR", "Cannot take more than 1000 results"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, out := b.rawCall(t, tc.token, tc.query, tc.variables)
			if status != tc.status {
				t.Errorf("status %d, want %d (%+v)", status, tc.status, out)
			}
			if tc.code == "" {
				if len(out.Errors) > 0 {
					t.Errorf("errors %+v", out.Errors)
				}
				return
			}
			if len(out.Errors) == 0 || out.Errors[0].Extensions.Code != tc.code || !strings.Contains(out.Errors[0].Message, tc.message) {
				t.Fatalf("errors %+v, want %s %q", out.Errors, tc.code, tc.message)
			}
			if data := string(out.Data); data != "" && data != "null" {
				t.Errorf("data %s next to an error, want null", out.Data)
			}
		})
	}
}

func TestFakeRefusesWhatIsNotGraphQLOverHTTP(t *testing.T) {
	b := setup(t)
	for _, tc := range []struct {
		method, path, contentType, body string
		status                          int
	}{
		{http.MethodGet, "/admin-api", "", "", 400},
		{http.MethodPost, "/shop-api", "application/json", `{"query":"{ me { id } }"}`, 404},
		{http.MethodPost, "/admin-api", "application/json", `{"query":`, 400},
		{http.MethodPost, "/admin-api", "application/json", `{"variables":{}}`, 400},
	} {
		req, _ := http.NewRequest(tc.method, b.server.URL+tc.path, strings.NewReader(tc.body))
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s %s %s: status %d, want %d", tc.method, tc.path, tc.body, res.StatusCode, tc.status)
		}
	}
}

func TestManualPaymentWithoutMetadataFailsAsOnSQLJS(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	order := marketplaceOrder(900)
	variants, err := b.client.resolveVariants(context.Background(), order)
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		CreateDraftOrder struct{ ID string } `json:"createDraftOrder"`
	}
	mustDo(t, b.client.mutate(context.Background(), `mutation{ createDraftOrder{ id } }`, nil, &created))
	mustDo(t, b.client.fillDraft(context.Background(), created.CreateDraftOrder.ID, order, variants))
	err = b.client.mutate(context.Background(), `mutation($i:ManualPaymentInput!){ addManualPaymentToOrder(input:$i){ ... on Order{ id } } }`,
		map[string]any{"i": map[string]any{"orderId": created.CreateDraftOrder.ID, "method": "x"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "NOT NULL constraint failed: payment.metadata") {
		t.Fatalf("got %v", err)
	}
}

// transcriptEntry is one call of the real run against Vendure 3.7.3.
type transcriptEntry struct {
	Label     string          `json:"label"`
	Query     string          `json:"query"`
	Variables map[string]any  `json:"variables"`
	Response  json.RawMessage `json:"response"`
}

// Every query the client sends, and every call of the real transcript, is valid for the
// fake's schema; replayed against the fake, the transcript's calls answer with the same
// shapes and states as the real server did.
func TestTranscriptReplaysAgainstTheFake(t *testing.T) {
	for _, query := range []string{loginMutation, productsQuery, variantBySKUQuery, findOrderQuery, setCustomFieldsMutation, addItemMutation,
		setCustomerMutation, setShippingAddrMutation, setBillingAddrMutation, eligibleShippingQuery, setShippingMethodMutation, addNoteMutation,
		toArrangingPayment, addPaymentMutation, deleteDraftMutation, addFulfillmentMutation, transitionFulfillment, cancelOrderMutation,
		orderStateQuery, shipmentsQuery, `query{ productVariants(options:{ take:1 }){ totalItems } }`} {
		doc, err := parseOperation(query)
		if err != nil {
			t.Errorf("client query %s: %v", query, err)
			continue
		}
		if failure := validateOperation(doc); failure != nil {
			t.Errorf("client query %s: %v", query, failure)
		}
	}

	raw, err := os.ReadFile("/work/shared/reference/vendure/e2e-transcript.json")
	if err != nil {
		t.Skip("the reference transcript is not on this machine")
	}
	var transcript []transcriptEntry
	if err := json.Unmarshal(raw, &transcript); err != nil {
		t.Fatal(err)
	}
	b := setup(t)
	b.clock.now = time.Date(2026, 11, 24, 1, 18, 50, 0, time.UTC)
	b.fake.AddProduct(FakeProduct{SKU: "MUG-BLUE", Name: "Blue Mug", Price: "15.00", Stock: 10})
	seed := map[string]bool{"createCountry": true, "createZone": true, "updateChannel": true, "createTaxCategory": true,
		"createTaxRate": true, "createShippingMethod": true, "createProduct": true, "createProductVariants": true}
	token := b.login(t)
	replayed := 0
	for _, entry := range transcript {
		if seed[entry.Label] || entry.Label == "login" {
			continue
		}
		if entry.Label == "addFulfillmentToOrder" {
			b.clock.Advance(time.Second) // as in the real run, the fulfilment is a second younger than the order's updatedAt
		}
		status, _, out := b.rawCall(t, token, entry.Query, entry.Variables)
		if status != 200 || len(out.Errors) > 0 {
			t.Fatalf("%s: status %d errors %+v", entry.Label, status, out.Errors)
		}
		var want struct{ Data any }
		json.Unmarshal(entry.Response, &want)
		var got any
		json.Unmarshal(out.Data, &got)
		if diff := shapeDiff(want.Data, got, entry.Label); diff != "" {
			t.Errorf("%s: %s\nreal: %s\nfake: %s", entry.Label, diff, entry.Response, out.Data)
		}
		replayed++
	}
	if replayed != 18 {
		t.Errorf("replayed %d calls, want 18", replayed)
	}
	o := b.fake.orderByID("1")
	if !o.updatedAt.Equal(time.Date(2026, 11, 24, 1, 18, 50, 0, time.UTC)) || !o.fulfillments[0].createdAt.Equal(time.Date(2026, 11, 24, 1, 18, 51, 0, time.UTC)) {
		t.Errorf("order updatedAt %v, fulfilment createdAt %v: want the real run's 01:18:50 and 01:18:51", o.updatedAt, o.fulfillments[0].createdAt)
	}
}

// shapeDiff compares the keys of two answers everywhere, and the values of the fields whose
// values do not depend on configuration (states, codes, quantities, stock, methods).
func shapeDiff(want, got any, where string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return where + ": not an object"
		}
		if keys(w) != keys(g) {
			return where + ": keys " + keys(g) + ", want " + keys(w)
		}
		for k := range w {
			switch k {
			case "state", "errorCode", "quantity", "stockOnHand", "stockAllocated", "stockLevel", "method", "trackingCode", "sku",
				"totalItems", "id", "externalChannel", "externalOrderId", "fullName", "city", "countryCode", "emailAddress", "transactionId", "code":
				if k == "code" && where != "eligibleShippingMethodsForDraftOrder" {
					break // order codes are random
				}
				if wv, gv := w[k], g[k]; !equalJSON(wv, gv) {
					return where + "." + k + ": " + toJSON(gv) + ", want " + toJSON(wv)
				}
			}
			if diff := shapeDiff(w[k], g[k], where); diff != "" {
				return diff
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return where + ": list of " + toJSON(got) + ", want " + toJSON(want)
		}
		for i := range w {
			if diff := shapeDiff(w[i], g[i], where); diff != "" {
				return diff
			}
		}
	}
	return ""
}

func keys(m map[string]any) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func equalJSON(a, b any) bool { return toJSON(a) == toJSON(b) }

func toJSON(v any) string {
	encoded, _ := json.Marshal(v)
	return string(encoded)
}
