package vendureserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// Product is one catalogue product to seed, with a single variant.
type Product struct {
	SKU   string
	Name  string // defaults to SKU
	Price int    // minor units, before tax (1250 = 12.50)
	Stock int    // stock on hand
}

// Countries are the countries Seed creates, all in one zone "Europe".
var Countries = []struct{ Code, Name string }{
	{"FR", "France"}, {"DE", "Germany"}, {"NL", "Netherlands"},
	{"BE", "Belgium"}, {"IT", "Italy"}, {"ES", "Spain"},
}

// GraphQLError is an error of the GraphQL response's "errors" array, or an HTTP failure.
type GraphQLError struct {
	Status  int
	Message string
	Body    string
}

func (e *GraphQLError) Error() string {
	return fmt.Sprintf("admin API: HTTP %d: %s", e.Status, e.Message)
}

// Query runs an Admin GraphQL query or mutation as the superadmin (logging in on first use) and
// returns its "data". GraphQL errors fail the test; business errors of union results
// (ErrorResult) come back inside data, see CheckResult.
func (s *Server) Query(t testing.TB, query string, vars map[string]any) map[string]any {
	t.Helper()
	data, err := s.Exec(query, vars)
	if err != nil {
		t.Fatalf("vendureserver: %v\nquery: %s\nvariables: %v", err, query, vars)
	}
	return data
}

// Exec is Query without a testing.TB: it returns GraphQL errors as a *GraphQLError.
func (s *Server) Exec(query string, vars map[string]any) (map[string]any, error) {
	token, err := s.login()
	if err != nil {
		return nil, err
	}
	data, _, err := s.post(query, vars, token)
	return data, err
}

func (s *Server) login() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" {
		return s.token, nil
	}
	data, header, err := s.post(`mutation($u:String!,$p:String!){ login(username:$u,password:$p){
		... on CurrentUser{ id identifier } ... on ErrorResult{ errorCode message } } }`,
		map[string]any{"u": s.Username, "p": s.Password}, "")
	if err != nil {
		return "", fmt.Errorf("login: %w", err)
	}
	if err := resultError(data["login"]); err != nil {
		return "", fmt.Errorf("login as %s: %w", s.Username, err)
	}
	token := header.Get("vendure-auth-token")
	if token == "" {
		return "", errNoToken
	}
	s.token = token
	return token, nil
}

func (s *Server) post(query string, vars map[string]any, token string) (map[string]any, http.Header, error) {
	if vars == nil {
		vars = map[string]any{}
	}
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequest(http.MethodPost, s.AdminURL, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, nil, &GraphQLError{Status: resp.StatusCode, Message: "response is not JSON: " + err.Error(), Body: string(raw)}
	}
	if len(out.Errors) > 0 || resp.StatusCode != http.StatusOK {
		msgs := make([]string, 0, len(out.Errors))
		for _, e := range out.Errors {
			msgs = append(msgs, e.Message)
		}
		if len(msgs) == 0 {
			msgs = append(msgs, strings.TrimSpace(string(raw)))
		}
		return out.Data, resp.Header, &GraphQLError{Status: resp.StatusCode, Message: strings.Join(msgs, "; "), Body: string(raw)}
	}
	return out.Data, resp.Header, nil
}

// CheckResult fails the test when a mutation's union result is an ErrorResult (it carries an
// errorCode), and returns the result as a map otherwise. Select
// `... on ErrorResult{ errorCode message }` in the mutation.
func CheckResult(t testing.TB, name string, result any) map[string]any {
	t.Helper()
	if err := resultError(result); err != nil {
		t.Fatalf("vendureserver: %s: %v", name, err)
	}
	m, _ := result.(map[string]any)
	return m
}

func resultError(result any) error {
	m, ok := result.(map[string]any)
	if !ok {
		return fmt.Errorf("unexpected result %v", result)
	}
	if code, ok := m["errorCode"].(string); ok && code != "" {
		return fmt.Errorf("%s: %v", code, m["message"])
	}
	return nil
}

// Seed creates a minimal store the first time it is called on this server: the countries of
// Countries in a zone "Europe" made the default channel's tax and shipping zone, a default tax
// category "Standard" with a 20% rate, and a shipping method "standard" (manual fulfilment, flat
// 5.00). It then creates each product with one variant (SKU, price, stock on hand, inventory
// tracked). Later calls only add products.
func (s *Server) Seed(t testing.TB, products []Product) {
	t.Helper()
	s.mu.Lock()
	seeded := s.seeded
	s.seeded = true
	s.mu.Unlock()
	if !seeded {
		s.seedStore(t)
	}
	for _, p := range products {
		s.createProduct(t, p)
	}
}

func (s *Server) seedStore(t testing.TB) {
	t.Helper()
	memberIDs := make([]any, 0, len(Countries))
	for _, c := range Countries {
		data := s.Query(t, `mutation($i:CreateCountryInput!){ createCountry(input:$i){ id code } }`, map[string]any{
			"i": map[string]any{
				"code": c.Code, "enabled": true,
				"translations": []any{map[string]any{"languageCode": "en", "name": c.Name}},
			},
		})
		memberIDs = append(memberIDs, field(data, "createCountry", "id"))
	}
	data := s.Query(t, `mutation($i:CreateZoneInput!){ createZone(input:$i){ id name } }`, map[string]any{
		"i": map[string]any{"name": "Europe", "memberIds": memberIDs},
	})
	zoneID := field(data, "createZone", "id")

	data = s.Query(t, `mutation($i:UpdateChannelInput!){ updateChannel(input:$i){
		... on Channel{ id defaultTaxZone{ id } defaultShippingZone{ id } } ... on ErrorResult{ errorCode message } } }`,
		map[string]any{"i": map[string]any{"id": "1", "defaultTaxZoneId": zoneID, "defaultShippingZoneId": zoneID}})
	CheckResult(t, "updateChannel", data["updateChannel"])

	data = s.Query(t, `mutation($i:CreateTaxCategoryInput!){ createTaxCategory(input:$i){ id } }`, map[string]any{
		"i": map[string]any{"name": "Standard", "isDefault": true},
	})
	categoryID := field(data, "createTaxCategory", "id")

	s.Query(t, `mutation($i:CreateTaxRateInput!){ createTaxRate(input:$i){ id value } }`, map[string]any{
		"i": map[string]any{"name": "EU VAT", "enabled": true, "value": 20, "categoryId": categoryID, "zoneId": zoneID},
	})

	s.Query(t, `mutation($i:CreateShippingMethodInput!){ createShippingMethod(input:$i){ id code } }`, map[string]any{
		"i": map[string]any{
			"code":               "standard",
			"fulfillmentHandler": "manual-fulfillment",
			"checker": map[string]any{
				"code":      "default-shipping-eligibility-checker",
				"arguments": []any{arg("orderMinimum", "0")},
			},
			"calculator": map[string]any{
				"code":      "default-shipping-calculator",
				"arguments": []any{arg("rate", "500"), arg("includesTax", "auto"), arg("taxRate", "0")},
			},
			"translations": []any{map[string]any{"languageCode": "en", "name": "Standard shipping", "description": ""}},
		},
	})
}

func (s *Server) createProduct(t testing.TB, p Product) {
	t.Helper()
	if p.SKU == "" {
		t.Fatalf("vendureserver: Seed: product without SKU: %+v", p)
	}
	name := p.Name
	if name == "" {
		name = p.SKU
	}
	data := s.Query(t, `mutation($i:CreateProductInput!){ createProduct(input:$i){ id } }`, map[string]any{
		"i": map[string]any{"translations": []any{map[string]any{
			"languageCode": "en", "name": name, "slug": slug(p.SKU), "description": name,
		}}},
	})
	productID := field(data, "createProduct", "id")
	s.Query(t, `mutation($i:[CreateProductVariantInput!]!){ createProductVariants(input:$i){ id sku price stockOnHand } }`, map[string]any{
		"i": []any{map[string]any{
			"productId":   productID,
			"sku":         p.SKU,
			"price":       p.Price,
			"stockOnHand": p.Stock,
			// GlobalFlag enum (TRUE, FALSE, INHERIT), not a Boolean.
			"trackInventory": "TRUE",
			"translations":   []any{map[string]any{"languageCode": "en", "name": name}},
		}},
	})
}

// Variant is the variant with this SKU (id sku name price priceWithTax stockOnHand
// stockAllocated stockLevel trackInventory), or nil when there is none.
func (s *Server) Variant(t testing.TB, sku string) map[string]any {
	t.Helper()
	data := s.Query(t, `query($sku:String!){ productVariants(options:{ filter:{ sku:{ eq:$sku } } }){
		totalItems items{ id sku name price priceWithTax stockOnHand stockAllocated stockLevel trackInventory } } }`,
		map[string]any{"sku": sku})
	items := list(field(data, "productVariants", "items"))
	var found []map[string]any
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && m["sku"] == sku {
			found = append(found, m)
		}
	}
	switch len(found) {
	case 0:
		return nil
	case 1:
		return found[0]
	}
	t.Fatalf("vendureserver: %d variants with SKU %q", len(found), sku)
	return nil
}

// Stock is the stock on hand of the variant with this SKU; the test fails when there is none.
func (s *Server) Stock(t testing.TB, sku string) int {
	t.Helper()
	v := s.Variant(t, sku)
	if v == nil {
		t.Fatalf("vendureserver: no product variant with SKU %q", sku)
	}
	n, ok := v["stockOnHand"].(float64)
	if !ok {
		t.Fatalf("vendureserver: variant %q: stockOnHand %v", sku, v["stockOnHand"])
	}
	return int(n)
}

// orderFields is what OrderByExternalID reads.
const orderFields = `id code state active orderPlacedAt updatedAt currencyCode
	subTotalWithTax shippingWithTax totalWithTax
	customFields{ externalChannel externalOrderId }
	customer{ emailAddress firstName lastName }
	lines{ id quantity unitPriceWithTax linePriceWithTax productVariant{ id sku name } }
	shippingAddress{ fullName company streetLine1 streetLine2 city province postalCode country countryCode phoneNumber }
	shippingLines{ shippingMethod{ code } priceWithTax }
	payments{ id method amount state transactionId }
	fulfillments{ id state method trackingCode createdAt updatedAt lines{ orderLineId quantity } }`

// OrderByExternalID is the order whose externalOrderId custom field is externalOrderID, or nil
// when there is none; the test fails when there are several. Each line also carries a "sku" key
// (its productVariant's SKU) next to quantity and unitPriceWithTax; fulfillments carry state,
// method (the carrier) and trackingCode.
func (s *Server) OrderByExternalID(t testing.TB, externalOrderID string) map[string]any {
	t.Helper()
	data := s.Query(t, `query($x:String!){ orders(options:{ filter:{ externalOrderId:{ eq:$x } } }){
		totalItems items{ `+orderFields+` } } }`, map[string]any{"x": externalOrderID})
	items := list(field(data, "orders", "items"))
	switch len(items) {
	case 0:
		return nil
	case 1:
	default:
		t.Fatalf("vendureserver: %d orders with externalOrderId %q", len(items), externalOrderID)
	}
	order, _ := items[0].(map[string]any)
	for _, l := range list(order["lines"]) {
		if line, ok := l.(map[string]any); ok {
			if v, ok := line["productVariant"].(map[string]any); ok {
				line["sku"] = v["sku"]
			}
		}
	}
	return order
}

// field walks nested maps: field(data, "createCountry", "id").
func field(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func arg(name, value string) map[string]any {
	return map[string]any{"name": name, "value": value}
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}
