package shopify

import (
	"net/http"
	"strings"
	"testing"
)

const endpoint = "/admin/api/" + DefaultAPIVersion + "/graphql.json"

func TestFakeRefusesBadRequestsAtTheHTTPLevel(t *testing.T) {
	b := setup(t)
	tests := []struct {
		name       string
		token      string
		path       string
		body       any
		wantStatus int
		wantText   string
	}{
		{"no token", "", endpoint, map[string]any{"query": "{ shop { name } }"}, http.StatusUnauthorized, "Invalid API key or access token"},
		{"wrong token", "shpat_wrong", endpoint, map[string]any{"query": "{ shop { name } }"}, http.StatusUnauthorized, "Invalid API key or access token"},
		{"no such version", testToken, "/admin/api/2025-02/graphql.json", map[string]any{"query": "{ shop { name } }"}, http.StatusNotFound, "Not Found"},
		{"REST path", testToken, "/admin/api/2025-01/orders.json", map[string]any{"query": "{ shop { name } }"}, http.StatusNotFound, "Not Found"},
		{"not JSON", testToken, endpoint, "query=shop", http.StatusBadRequest, "Required parameter missing or invalid"},
		{"no query", testToken, endpoint, map[string]any{"variables": map[string]any{}}, http.StatusBadRequest, "Required parameter missing or invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := b.raw(t, tt.token, tt.path, tt.body)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %v", status, tt.wantStatus, out)
			}
			if !strings.Contains(stringify(out["errors"]), tt.wantText) {
				t.Fatalf("errors %v, want %q", out["errors"], tt.wantText)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodGet, b.server.URL+endpoint, nil)
	req.Header.Set("X-Shopify-Access-Token", testToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET: status %d", res.StatusCode)
	}
}

func stringify(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		var parts []string
		for k, item := range x {
			parts = append(parts, k+": "+stringify(item))
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

func TestFakeChecksDocumentsAndVariablesLikeTheSchema(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	variantID := func() string {
		out := b.gql(t, `{ productVariants(first: 1, query: "sku:MUG-1") { nodes { id } } }`, nil)
		return out["data"].(map[string]any)["productVariants"].(map[string]any)["nodes"].([]any)[0].(map[string]any)["id"].(string)
	}()
	money := map[string]any{"shopMoney": map[string]any{"amount": "1.00", "currencyCode": "EUR"}}
	create := `mutation C($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) { orderCreate(order: $order, options: $options) { order { id } userErrors { code field message } } }`
	tests := []struct {
		name      string
		document  string
		variables map[string]any
		wantText  string
		wantCode  string
	}{
		{"syntax error", `query { shop { name }`, nil, "Parse error", ""},
		{"unknown root field", `{ customers(first: 1) { nodes { id } } }`, nil, "Field 'customers' doesn't exist on type 'QueryRoot'", "undefinedField"},
		{"unknown nested field", `{ shop { name plan } }`, nil, "Field 'plan' doesn't exist on type 'Shop'", "undefinedField"},
		{"object without selections", `{ shop }`, nil, "Field must have selections", "selectionMismatch"},
		{"connection without size", `{ orders { nodes { id } } }`, nil, "you must provide one of first or last", ""},
		{"page too large", `{ orders(first: 251) { nodes { id } } }`, nil, "maximum page size is 250", ""},
		{"bad enum literal", `{ orders(first: 1, sortKey: SHIPPED) { nodes { id } } }`, nil, "Argument 'sortKey' on Field 'orders' has an invalid value", "argumentLiteralsIncompatible"},
		{"unknown argument", `{ orders(first: 1, status: OPEN) { nodes { id } } }`, nil, "doesn't accept argument 'status'", "argumentNotAccepted"},
		{"missing required argument", `mutation { orderCancel(orderId: "gid://shopify/Order/1", refund: false, restock: true) { job { id } } }`, nil,
			"is missing required arguments: reason", "missingRequiredArguments"},
		{"variable not declared", `query { orders(first: $n) { nodes { id } } }`, nil, "Variable $n is used by anonymous query but not declared", "variableNotDefined"},
		{"variable not used", `query Q($n: Int) { shop { name } }`, nil, "Variable $n is declared by Q but not used", "variableNotUsed"},
		{"nullable variable for a required argument", `mutation M($order: OrderCreateOrderInput) { orderCreate(order: $order) { order { id } } }`, nil,
			"Nullability mismatch on variable $order and argument order", "variableMismatch"},
		{"required variable missing", create, map[string]any{}, "Variable $order of type OrderCreateOrderInput! was provided invalid value (Expected value to not be null)", ""},
		{"line without quantity", create, map[string]any{"order": map[string]any{"lineItems": []any{map[string]any{"variantId": variantID}}}},
			"invalid value for lineItems.0.quantity (Expected value to not be null)", ""},
		{"quantity as a string", create, map[string]any{"order": map[string]any{"lineItems": []any{map[string]any{"variantId": variantID, "quantity": "2"}}}},
			`invalid value for lineItems.0.quantity (Could not coerce value "2" to Int)`, ""},
		{"numeric id", create, map[string]any{"order": map[string]any{"lineItems": []any{map[string]any{"variantId": "123", "quantity": 1}}}},
			"Invalid global id '123'", ""},
		{"unknown input field", create, map[string]any{"order": map[string]any{"lineItems": []any{map[string]any{"variantId": variantID, "quantity": 1, "price": "3"}}}},
			"lineItems.0.price (Field is not defined on OrderCreateLineItemInput)", ""},
		{"bad enum value", create, map[string]any{"order": map[string]any{"financialStatus": "SETTLED", "lineItems": []any{map[string]any{"variantId": variantID, "quantity": 1}}}},
			`financialStatus (Expected "SETTLED" to be one of: AUTHORIZED, EXPIRED, PAID`, ""},
		{"country as a name", create, map[string]any{"order": map[string]any{"shippingAddress": map[string]any{"countryCode": "France"}}},
			`shippingAddress.countryCode (Expected "France" to be one of`, ""},
		{"shipping line without title", create, map[string]any{"order": map[string]any{"shippingLines": []any{map[string]any{"priceSet": money}}}},
			"shippingLines.0.title (Expected value to not be null)", ""},
		{"amount not a decimal", create, map[string]any{"order": map[string]any{"transactions": []any{map[string]any{"amountSet": map[string]any{"shopMoney": map[string]any{"amount": "ten", "currencyCode": "EUR"}}}}}},
			`Could not coerce value "ten" to Decimal`, ""},
		{"bad inventory behaviour", create, map[string]any{"order": map[string]any{}, "options": map[string]any{"inventoryBehaviour": "DECREMENT"}},
			`inventoryBehaviour (Expected "DECREMENT" to be one of: BYPASS`, ""},
		{"query too costly", `{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }`, nil, "exceeds the single query max cost limit (1000)", "MAX_COST_EXCEEDED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := b.gql(t, tt.document, tt.variables)
			message, code := firstError(out)
			if !strings.Contains(message, tt.wantText) || code != tt.wantCode {
				t.Fatalf("error %q (%s), want %q (%s)", message, code, tt.wantText, tt.wantCode)
			}
			if data, ok := out["data"].(map[string]any); ok && data["orderCreate"] != nil {
				t.Fatalf("the mutation ran: %v", data)
			}
		})
	}
	if got := b.fake.OrdersFor(0); len(got) != 0 {
		t.Fatalf("orders created by refused requests: %v", got)
	}
}

func TestFakeOrderCreateAnswersUserErrors(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	create := `mutation C($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } userErrors { code field message } } }`
	tests := []struct {
		name  string
		order map[string]any
		want  string
	}{
		{"no lines", map[string]any{}, "at least one line item"},
		{"unknown variant", map[string]any{"lineItems": []any{map[string]any{"variantId": "gid://shopify/ProductVariant/99", "quantity": 1}}}, "does not exist"},
		{"custom line without price", map[string]any{"lineItems": []any{map[string]any{"title": "Gift", "quantity": 1}}}, "Price set is required"},
		{"zero quantity", map[string]any{"lineItems": []any{map[string]any{"title": "Gift", "quantity": 0,
			"priceSet": map[string]any{"shopMoney": map[string]any{"amount": "1.00", "currencyCode": "EUR"}}}}}, "greater than or equal to 1"},
		{"price in another currency", map[string]any{"currency": "EUR", "lineItems": []any{map[string]any{"title": "Gift", "quantity": 1,
			"priceSet": map[string]any{"shopMoney": map[string]any{"amount": "1.00", "currencyCode": "USD"}}}}}, "does not match the order currency"},
		{"bad email", map[string]any{"email": "ada-at-example", "lineItems": []any{map[string]any{"title": "Gift", "quantity": 1,
			"priceSet": map[string]any{"shopMoney": map[string]any{"amount": "1.00", "currencyCode": "EUR"}}}}}, "Email is invalid"},
		{"processed in the future", map[string]any{"processedAt": "2099-01-01T00:00:00Z", "lineItems": []any{map[string]any{"title": "Gift", "quantity": 1,
			"priceSet": map[string]any{"shopMoney": map[string]any{"amount": "1.00", "currencyCode": "EUR"}}}}}, "must not be in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := b.gql(t, create, map[string]any{"order": tt.order})
			if _, hasErrors := out["errors"]; hasErrors {
				t.Fatalf("top-level errors %v, want userErrors", out["errors"])
			}
			payload := out["data"].(map[string]any)["orderCreate"].(map[string]any)
			userErrors := payload["userErrors"].([]any)
			if payload["order"] != nil || len(userErrors) == 0 || !strings.Contains(userErrors[0].(map[string]any)["message"].(string), tt.want) {
				t.Fatalf("payload %v, want a userError %q", payload, tt.want)
			}
		})
	}
}

func TestFakeAnswersCostsScopesAndSearchWarnings(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	out := b.gql(t, `{ productVariants(first: 10, query: "colour:blue") { nodes { id sku product { title } } } }`, nil)
	cost := out["extensions"].(map[string]any)["cost"].(map[string]any)
	status := cost["throttleStatus"].(map[string]any)
	// 2 + 10 × (variant 1 + product 1) requested; both variants match (the unknown field is
	// ignored), so 2 + 2×2 is the actual cost.
	if cost["requestedQueryCost"] != float64(22) || cost["actualQueryCost"] != float64(6) || status["maximumAvailable"] != float64(2000) ||
		status["currentlyAvailable"] != float64(1994) || status["restoreRate"] != float64(100) {
		t.Fatalf("cost %v", cost)
	}
	search, _ := out["extensions"].(map[string]any)["search"].([]any)
	if len(search) != 1 || !strings.Contains(stringify(search[0].(map[string]any)["warnings"].([]any)[0]), "Invalid search field") {
		t.Fatalf("search warnings %v", out["extensions"])
	}
	if nodes := out["data"].(map[string]any)["productVariants"].(map[string]any)["nodes"].([]any); len(nodes) != 2 {
		t.Fatalf("nodes %v", nodes)
	}

	b.fake.SetScopes("read_products")
	out = b.gql(t, `mutation C($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } } }`,
		map[string]any{"order": map[string]any{"lineItems": []any{map[string]any{"title": "x", "quantity": 1}}}})
	message, code := firstError(out)
	if code != "ACCESS_DENIED" || !strings.Contains(message, "write_orders") || out["data"].(map[string]any)["orderCreate"] != nil {
		t.Fatalf("access denied answer %v", out)
	}

	b.fake.SetThrottle(10, 1)
	out = b.gql(t, `{ productVariants(first: 10) { nodes { id } } }`, nil)
	message, code = firstError(out)
	cost = out["extensions"].(map[string]any)["cost"].(map[string]any)
	if code != "THROTTLED" || message != "Throttled" || cost["actualQueryCost"] != nil || cost["requestedQueryCost"] != float64(12) {
		t.Fatalf("throttled answer %v", out)
	}
	if _, hasData := out["data"]; hasData {
		t.Fatalf("a throttled answer carries no data: %v", out)
	}
}

func TestFakeAliasesAndEdges(t *testing.T) {
	b := setup(t)
	b.addCatalogue()
	out := b.gql(t, `query V($q: String) { first: productVariants(first: 1, query: $q) { edges { cursor node { code: sku __typename } } pageInfo { hasNextPage endCursor } } }`,
		map[string]any{"q": "sku:MUG OR sku:POSTER"})
	conn := out["data"].(map[string]any)["first"].(map[string]any)
	edge := conn["edges"].([]any)[0].(map[string]any)
	node := edge["node"].(map[string]any)
	pageInfo := conn["pageInfo"].(map[string]any)
	if node["code"] != "MUG-1" || node["__typename"] != "ProductVariant" || pageInfo["hasNextPage"] != true || pageInfo["endCursor"] != edge["cursor"] {
		t.Fatalf("answer %v", out)
	}
	if _, extra := node["sku"]; extra {
		t.Fatalf("field not asked for is present: %v", node)
	}
}
