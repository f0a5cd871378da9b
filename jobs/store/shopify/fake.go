package shopify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Fake is a Shopify store answering the Admin GraphQL API as shopify.dev documents it: the
// access-token check, the versioned endpoint, variables checked against the schema's types,
// calculated query costs with a leaky bucket and THROTTLED answers, userErrors with HTTP 200,
// global ids and MoneyBag amounts as strings. It keeps its state in memory; Go methods let
// tests and the demo act as the merchant, and it can deliver fulfilment webhooks.
type Fake struct {
	token  string
	faults *apiclient.Faults

	mu             sync.Mutex
	clock          func() time.Time
	currency       string
	scopes         []string
	bucketMax      float64
	restoreRate    float64
	available      float64
	leakedAt       time.Time
	nextID         int64
	nextNumber     int
	variants       []*fakeVariant
	orders         []*fakeOrder
	loseNextCreate bool
	webhookURL     string
	webhookSecret  string
	webhookClient  *http.Client
	searchWarnings []map[string]any
	// developmentStore caps orderCreate at 5 a minute, as on development and trial stores.
	developmentStore bool
	recentCreates    []time.Time
	locationID       int64
}

// FakeProduct is one product with a single variant, as a test adds it.
type FakeProduct struct {
	SKU, Name string
	Price     string // "12.90", in the shop's currency
	Stock     int
	EAN       string
}

// FakeOrderView is what a test checks of an order.
type FakeOrderView struct {
	Status       string // displayFulfillmentStatus, or CANCELLED
	Lines        []FakeLineView
	ShippingName string
	City         string
	Country      string
	Total        int64
	Paid         bool
}

// FakeLineView is one line of FakeOrderView.
type FakeLineView struct {
	SKU       string
	Quantity  int
	UnitPrice int64
}

type fakeVariant struct {
	id, productID int64
	sku, barcode  string
	productTitle  string
	title         string
	price         int64 // minor units of the shop currency
	stock         int
	tracked       bool
	policy        string // DENY or CONTINUE
	status        string // ACTIVE, DRAFT, ARCHIVED
	createdAt     time.Time
	updatedAt     time.Time
}

// allScopes are the access scopes the fake's token has unless a test changes them; not
// read_all_orders, which an app must ask for specially, so orders older than 60 days are
// invisible as on most shops.
var allScopes = []string{"read_products", "read_orders", "write_orders", "read_fulfillments", "write_fulfillments"}

// NewFake returns an empty store in EUR that accepts the given Admin API access token. Its
// query cost bucket is the Standard plan's: 2000 points, restored at 100 a second.
func NewFake(accessToken string) *Fake {
	return &Fake{
		token:         accessToken,
		faults:        &apiclient.Faults{},
		clock:         time.Now,
		currency:      "EUR",
		scopes:        append([]string(nil), allScopes...),
		bucketMax:     2000,
		restoreRate:   100,
		available:     2000,
		nextID:        7300000001,
		nextNumber:    1001,
		webhookClient: &http.Client{Timeout: 10 * time.Second},
		locationID:    64000000001,
	}
}

// Handler serves the API, with the armed faults applied.
func (f *Fake) Handler() http.Handler { return f.faults.Wrap(http.HandlerFunc(f.serve)) }

// Faults lets tests inject latency, errors, throttling and lost answers.
func (f *Fake) Faults() *apiclient.Faults { return f.faults }

// Config returns a client Config that works against the fake served at baseURL.
func (f *Fake) Config(baseURL string) Config {
	return Config{BaseURL: baseURL, AccessToken: f.token, APIVersion: DefaultAPIVersion}
}

// SetClock replaces the shop's clock (dates and the cost bucket's refill).
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = now
	f.leakedAt = time.Time{}
}

// SetThrottle sets the cost bucket: its size and how many points return each second. The
// bucket starts full.
func (f *Fake) SetThrottle(maximum, restoreRate float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bucketMax, f.restoreRate, f.available, f.leakedAt = maximum, restoreRate, maximum, time.Time{}
}

// SetDevelopmentStore makes the shop a development or trial store: at most 5 orderCreate a
// minute.
func (f *Fake) SetDevelopmentStore(development bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.developmentStore = development
}

func usesField(op *gqlOperation, name string) bool {
	for _, field := range op.Selections {
		if field.Name == name {
			return true
		}
	}
	return false
}

// SetScopes replaces the access scopes the token was granted.
func (f *Fake) SetScopes(scopes ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scopes = append([]string(nil), scopes...)
}

// AddProduct adds a product with one variant: stock tracked, not sold when out of stock.
func (f *Fake) AddProduct(p FakeProduct) {
	f.mu.Lock()
	defer f.mu.Unlock()
	price, err := parseMinor(defaultString(p.Price, "0"), 2)
	if err != nil {
		panic("shopify fake: product price " + err.Error())
	}
	now := f.now()
	productID := f.newID()
	f.variants = append(f.variants, &fakeVariant{
		id: f.newID(), productID: productID, sku: p.SKU, barcode: p.EAN, productTitle: defaultString(p.Name, p.SKU),
		title: "Default Title", price: price, stock: p.Stock, tracked: true, policy: "DENY", status: "ACTIVE",
		createdAt: now, updatedAt: now,
	})
}

// SetVariant changes how the shop treats a SKU's stock and whether its product is
// published: policy DENY or CONTINUE (sell when out of stock), status ACTIVE, DRAFT or
// ARCHIVED.
func (f *Fake) SetVariant(sku string, tracked bool, policy, status string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.variantBySKU(sku)
	if v == nil {
		return fmt.Errorf("no variant with SKU %q", sku)
	}
	v.tracked, v.policy, v.status, v.updatedAt = tracked, policy, status, f.now()
	return nil
}

// Stock returns the available quantity of a SKU.
func (f *Fake) Stock(sku string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v := f.variantBySKU(sku); v != nil {
		return v.stock, true
	}
	return 0, false
}

// OrdersFor returns the ids of the orders created for an orderhub order, by the orderhub
// order id in their metafields.
func (f *Fake) OrdersFor(orderhubOrderID int64) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	want := strconv.FormatInt(orderhubOrderID, 10)
	var ids []string
	for _, o := range f.orders {
		if o.metafield(metafieldNamespace, metaOrderID) == want {
			ids = append(ids, o.gid())
		}
	}
	return ids
}

// Order returns what a test checks of one order.
func (f *Fake) Order(storeOrderID string) (FakeOrderView, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orderByID(storeOrderID)
	if o == nil {
		return FakeOrderView{}, false
	}
	view := FakeOrderView{Status: o.displayFulfillmentStatus(), Total: o.total(), Paid: o.displayFinancialStatus() == "PAID"}
	if o.cancelledAt != nil {
		view.Status = "CANCELLED"
	}
	for _, line := range o.lines {
		view.Lines = append(view.Lines, FakeLineView{SKU: line.sku, Quantity: line.quantity, UnitPrice: line.unitPrice})
	}
	if o.shipping != nil {
		view.ShippingName = strings.TrimSpace(o.shipping["firstName"] + " " + o.shipping["lastName"])
		view.City, view.Country = o.shipping["city"], o.shipping["countryCode"]
	}
	return view, true
}

// Ship fulfils every remaining line, as the merchant does in the admin; tracking "" ships
// without a tracking number. A fulfillments/create webhook follows when deliveries are on.
func (f *Fake) Ship(storeOrderID, carrier, tracking string) error {
	f.mu.Lock()
	o := f.orderByID(storeOrderID)
	if o == nil {
		f.mu.Unlock()
		return fmt.Errorf("no order %s", storeOrderID)
	}
	if o.cancelledAt != nil {
		f.mu.Unlock()
		return fmt.Errorf("order %s is cancelled", storeOrderID)
	}
	if o.displayFulfillmentStatus() == "FULFILLED" {
		f.mu.Unlock()
		return fmt.Errorf("order %s is already fulfilled", storeOrderID)
	}
	now := f.now()
	fulfillment := &fakeFulfillment{id: f.newID(), status: "SUCCESS", createdAt: now, updatedAt: now}
	if tracking != "" || carrier != "" {
		fulfillment.tracking = []fakeTracking{newTracking(carrier, tracking)}
	}
	o.fulfillments = append(o.fulfillments, fulfillment)
	o.updatedAt = now
	delivery := f.webhookFor("fulfillments/create", o, fulfillment)
	f.mu.Unlock()
	f.deliver(delivery)
	return nil
}

// AddTracking sets the tracking of an order's latest fulfilment, as
// fulfillmentTrackingInfoUpdate does (it replaces the tracking). A fulfillments/update
// webhook follows when deliveries are on.
func (f *Fake) AddTracking(storeOrderID, carrier, tracking string) error {
	f.mu.Lock()
	o := f.orderByID(storeOrderID)
	if o == nil {
		f.mu.Unlock()
		return fmt.Errorf("no order %s", storeOrderID)
	}
	var latest *fakeFulfillment
	for _, ful := range o.fulfillments {
		if ful.status == "SUCCESS" {
			latest = ful
		}
	}
	if latest == nil {
		f.mu.Unlock()
		return fmt.Errorf("order %s has no fulfilment to add tracking to", storeOrderID)
	}
	now := f.now()
	latest.tracking = []fakeTracking{newTracking(carrier, tracking)}
	latest.updatedAt, o.updatedAt = now, now
	delivery := f.webhookFor("fulfillments/update", o, latest)
	f.mu.Unlock()
	f.deliver(delivery)
	return nil
}

// Cancel cancels an order as the merchant does in the admin: restocked, not refunded.
func (f *Fake) Cancel(storeOrderID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orderByID(storeOrderID)
	if o == nil {
		return fmt.Errorf("no order %s", storeOrderID)
	}
	if o.cancelledAt != nil {
		return fmt.Errorf("order %s is already cancelled", storeOrderID)
	}
	f.cancel(o, "STAFF", true)
	return nil
}

// LoseNextCreateAnswer makes the next orderCreate create the order, then drop the connection
// without answering.
func (f *Fake) LoseNextCreateAnswer() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loseNextCreate = true
}

// DeliverWebhooks makes Ship and AddTracking POST fulfilment webhooks to url, signed with
// secret. An empty url stops deliveries.
func (f *Fake) DeliverWebhooks(url, secret string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.webhookURL, f.webhookSecret = url, secret
}

// now is the shop's time, to the second as the Admin API writes it. Callers hold f.mu.
func (f *Fake) now() time.Time { return f.clock().UTC().Truncate(time.Second) }

func (f *Fake) newID() int64 {
	id := f.nextID
	f.nextID++
	return id
}

func (f *Fake) variantBySKU(sku string) *fakeVariant {
	for _, v := range f.variants {
		if v.sku == sku {
			return v
		}
	}
	return nil
}

func (f *Fake) variantByID(id int64) *fakeVariant {
	for _, v := range f.variants {
		if v.id == id {
			return v
		}
	}
	return nil
}

func (f *Fake) orderByID(storeOrderID string) *fakeOrder {
	id, ok := parseGID(storeOrderID, "Order")
	if !ok {
		id, _ = strconv.ParseInt(storeOrderID, 10, 64)
	}
	for _, o := range f.orders {
		if o.id == id {
			return o
		}
	}
	return nil
}

var gidPattern = regexp.MustCompile(`^gid://shopify/([A-Za-z]+)/(\d+)(\?.*)?$`)

// parseGID reads a global id of the given type.
func parseGID(value, typeName string) (int64, bool) {
	m := gidPattern.FindStringSubmatch(value)
	if m == nil || m[1] != typeName {
		return 0, false
	}
	id, err := strconv.ParseInt(m[2], 10, 64)
	return id, err == nil
}

func gid(typeName string, id int64) string {
	return "gid://shopify/" + typeName + "/" + strconv.FormatInt(id, 10)
}

// gqlError is one entry of a GraphQL answer's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Locations  []gqlLocation  `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

var endpointPattern = regexp.MustCompile(`^/admin/api/([^/]+)/graphql\.json$`)
var versionPattern = regexp.MustCompile(`^(20\d\d-(01|04|07|10)|unstable)$`)

// serve answers one HTTP request. The order of checks follows what Shopify answers first:
// the route, the token, the body, the document, the variables, the cost, the scopes.
func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	m := endpointPattern.FindStringSubmatch(r.URL.Path)
	if m == nil || !versionPattern.MatchString(m[1]) {
		writeJSON(w, http.StatusNotFound, map[string]any{"errors": "Not Found"})
		return
	}
	w.Header().Set("X-Shopify-API-Version", m[1])
	if token := r.Header.Get("X-Shopify-Access-Token"); token == "" || token != f.token {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"errors": "Method Not Allowed"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": "Bad Request"})
		return
	}
	var req struct {
		Query         string          `json:"query"`
		OperationName string          `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
	}
	variables := map[string]any{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/graphql") {
		req.Query = string(body)
	} else {
		decoder := json.NewDecoder(bytes.NewReader(body))
		decoder.UseNumber()
		if err := decoder.Decode(&req); err != nil || strings.TrimSpace(req.Query) == "" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"errors": map[string]any{"query": "Required parameter missing or invalid"}})
			return
		}
		if len(req.Variables) > 0 && string(req.Variables) != "null" {
			decoder := json.NewDecoder(bytes.NewReader(req.Variables))
			decoder.UseNumber()
			if err := decoder.Decode(&variables); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]any{"errors": map[string]any{"variables": "must be a JSON object"}})
				return
			}
		}
	}
	answer, lose := f.execute(req.Query, req.OperationName, variables)
	if message, limited := answer["orderRateLimit"]; limited {
		// Development and trial stores create at most 5 orders a minute (inferred: the
		// answer REST gives, reported by API users).
		w.Header().Set("Retry-After", "60")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"errors": message})
		return
	}
	if lose {
		writeJSON(httptest.NewRecorder(), http.StatusOK, answer) // done, and the answer never leaves
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	writeJSON(w, http.StatusOK, answer)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// execute runs one GraphQL request and returns the answer's body; lose says the answer is to
// be dropped after the work.
func (f *Fake) execute(document, operationName string, variables map[string]any) (map[string]any, bool) {
	op, err := parseDocument(document)
	if err != nil {
		return map[string]any{"errors": []gqlError{{Message: err.Error()}}}, false
	}
	if operationName != "" && op.Name != "" && operationName != op.Name {
		return map[string]any{"errors": []gqlError{{Message: fmt.Sprintf("No operation named %q", operationName)}}}, false
	}
	rootType := "QueryRoot"
	if op.Kind == "mutation" {
		rootType = "Mutation"
	}
	if errs := checkSelections(rootType, op.Selections, nil); len(errs) > 0 {
		return map[string]any{"errors": errs}, false
	}
	if errs := checkVariables(op, variables); len(errs) > 0 {
		return map[string]any{"errors": errs}, false
	}
	for _, def := range op.Vars {
		if _, given := variables[def.Name]; !given && def.HasDef {
			variables[def.Name] = substitute(def.Default, nil)
		}
	}
	if errs := checkArguments(op, variables); len(errs) > 0 {
		return map[string]any{"errors": errs}, false
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	requested := 0
	for _, field := range op.Selections {
		if op.Kind == "mutation" {
			requested += 10
		} else {
			requested += fieldCost(rootType, field, variables)
		}
	}
	if requested > 1000 {
		return map[string]any{"errors": []gqlError{{
			Message:    fmt.Sprintf("Query cost is %d, which exceeds the single query max cost limit (1000).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n", requested),
			Extensions: map[string]any{"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": 1000},
		}}}, false
	}
	f.leak()
	if float64(requested) > f.available {
		return map[string]any{
			"errors": []gqlError{{Message: "Throttled", Extensions: map[string]any{
				"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}},
			"extensions": map[string]any{"cost": f.costExtension(requested, nil)},
		}, false
	}
	if f.developmentStore && op.Kind == "mutation" && usesField(op, "orderCreate") {
		recent := f.recentCreates[:0]
		for _, at := range f.recentCreates {
			if f.clock().Sub(at) < time.Minute {
				recent = append(recent, at)
			}
		}
		f.recentCreates = recent
		if len(recent) >= 5 {
			return map[string]any{"orderRateLimit": "Exceeded order API rate limit, please try again in a minute. Upgrade to a paid account to remove this limit."}, false
		}
		f.recentCreates = append(f.recentCreates, f.clock())
	}
	f.available -= float64(requested)

	data := map[string]any{}
	var errs []gqlError
	actual := 0
	lose := false
	for _, field := range op.Selections {
		args := resolvedArgs(field, variables)
		root := fakeRootFields[field.Name]
		if root.scope != "" && !contains(f.scopes, root.scope) {
			data[field.key()] = nil
			errs = append(errs, gqlError{
				Message:   fmt.Sprintf("Access denied for %s field. Required access: `%s` access scope.", field.Name, root.scope),
				Locations: []gqlLocation{field.Loc}, Path: []any{field.key()},
				Extensions: map[string]any{"code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes",
					"requiredAccess": fmt.Sprintf("`%s` access scope.", root.scope)},
			})
			actual++
			continue
		}
		value, fieldErr, used := f.resolveRoot(field, args)
		if fieldErr != nil {
			fieldErr.Locations, fieldErr.Path = []gqlLocation{field.Loc}, []any{field.key()}
			data[field.key()] = nil
			errs = append(errs, *fieldErr)
			actual++
			continue
		}
		if op.Kind == "mutation" {
			actual += 10
		} else {
			actual += used
		}
		if field.Name == "orderCreate" && f.loseNextCreate {
			f.loseNextCreate, lose = false, true
		}
		data[field.key()] = project(value, field.Selections, variables)
	}
	f.available = math.Min(f.bucketMax, f.available+float64(requested-actual))
	answer := map[string]any{"data": data, "extensions": map[string]any{"cost": f.costExtension(requested, &actual)}}
	if len(errs) > 0 {
		answer["errors"] = errs
	}
	if warnings := f.takeSearchWarnings(); len(warnings) > 0 {
		answer["extensions"].(map[string]any)["search"] = warnings
	}
	return answer, lose
}

// leak refills the bucket for the time passed. Callers hold f.mu.
func (f *Fake) leak() {
	now := f.clock()
	if !f.leakedAt.IsZero() && now.After(f.leakedAt) {
		f.available = math.Min(f.bucketMax, f.available+now.Sub(f.leakedAt).Seconds()*f.restoreRate)
	}
	f.leakedAt = now
}

func (f *Fake) costExtension(requested int, actual *int) map[string]any {
	var actualValue any
	if actual != nil {
		actualValue = *actual
	}
	return map[string]any{
		"requestedQueryCost": requested,
		"actualQueryCost":    actualValue,
		"throttleStatus": map[string]any{
			"maximumAvailable":   f.bucketMax,
			"currentlyAvailable": math.Floor(f.available),
			"restoreRate":        f.restoreRate,
		},
	}
}

// checkVariables checks the declared variables: each used and each used one declared, and
// their values against their types.
func checkVariables(op *gqlOperation, variables map[string]any) []gqlError {
	var errs []gqlError
	used := map[string]bool{}
	var walk func(fields []*gqlField)
	walk = func(fields []*gqlField) {
		for _, field := range fields {
			for _, v := range field.Args {
				varRefs(v, used)
			}
			walk(field.Selections)
		}
	}
	walk(op.Selections)
	declared := map[string]bool{}
	opName := op.Name
	if opName == "" {
		opName = "anonymous " + op.Kind
	}
	for _, def := range op.Vars {
		declared[def.Name] = true
		if !used[def.Name] {
			errs = append(errs, gqlError{Message: fmt.Sprintf("Variable $%s is declared by %s but not used", def.Name, opName),
				Locations: []gqlLocation{def.Loc}, Path: []any{op.Kind + " " + op.Name},
				Extensions: map[string]any{"code": "variableNotUsed", "variableName": def.Name}})
		}
	}
	for _, name := range sortedKeys(used) {
		if !declared[name] {
			errs = append(errs, gqlError{Message: fmt.Sprintf("Variable $%s is used by %s but not declared", name, opName),
				Locations: []gqlLocation{op.Loc}, Extensions: map[string]any{"code": "variableNotDefined", "variableName": name}})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for _, def := range op.Vars {
		value, given := variables[def.Name]
		if !given && def.HasDef {
			continue
		}
		problems := checkValue(def.Type, value, nil)
		if len(problems) == 0 {
			continue
		}
		message := fmt.Sprintf("Variable $%s of type %s was provided invalid value", def.Name, def.Type)
		if len(problems) == 1 {
			if len(problems[0].Path) > 0 {
				message += " for " + pathText(problems[0].Path)
			}
			message += " (" + problems[0].Explanation + ")"
		}
		errs = append(errs, gqlError{Message: message, Locations: []gqlLocation{def.Loc},
			Extensions: map[string]any{"value": value, "problems": problems}})
	}
	return errs
}

// checkArguments checks the root fields' arguments: known, required ones given, variables of
// a fitting type, literals of the right type; connections need first or last, at most 250.
func checkArguments(op *gqlOperation, variables map[string]any) []gqlError {
	var errs []gqlError
	varTypes := map[string]*gqlVarDef{}
	for _, def := range op.Vars {
		varTypes[def.Name] = def
	}
	for _, field := range op.Selections {
		root, ok := fakeRootFields[field.Name]
		if !ok || field.Name == "__typename" {
			continue
		}
		for _, arg := range field.ArgOrder {
			argType, known := root.args[arg]
			if !known {
				errs = append(errs, gqlError{Message: fmt.Sprintf("Field '%s' doesn't accept argument '%s'", field.Name, arg),
					Locations: []gqlLocation{field.Loc}, Path: []any{field.key()},
					Extensions: map[string]any{"code": "argumentNotAccepted", "name": field.Name, "typeName": "Field", "argumentName": arg}})
				continue
			}
			if ref, isVar := field.Args[arg].(gqlVarRef); isVar {
				def := varTypes[ref.name]
				if def == nil {
					continue
				}
				if ok, nullability := typesCompatible(def.Type, argType, def.HasDef); !ok {
					kind := "Type"
					if nullability {
						kind = "Nullability"
					}
					errs = append(errs, gqlError{Message: fmt.Sprintf("%s mismatch on variable $%s and argument %s (%s / %s)", kind, ref.name, arg, def.Type, argType),
						Locations: []gqlLocation{field.Loc}, Path: []any{field.key(), arg},
						Extensions: map[string]any{"code": "variableMismatch", "variableName": ref.name, "typeName": def.Type, "argumentName": arg, "errorMessage": kind + " mismatch"}})
				}
				continue
			}
			literal := substitute(field.Args[arg], variables)
			if problems := checkValue(argType, literal, nil); len(problems) > 0 {
				encoded, _ := json.Marshal(literal)
				errs = append(errs, gqlError{Message: fmt.Sprintf("Argument '%s' on Field '%s' has an invalid value (%s). Expected type '%s'.", arg, field.Name, encoded, argType),
					Locations: []gqlLocation{field.Loc}, Path: []any{field.key(), arg},
					Extensions: map[string]any{"code": "argumentLiteralsIncompatible", "typeName": "Field", "argumentName": arg}})
			}
		}
		var missing []string
		for _, arg := range sortedKeys(root.args) {
			if strings.HasSuffix(root.args[arg], "!") {
				if _, given := field.Args[arg]; !given {
					missing = append(missing, arg)
				}
			}
		}
		if len(missing) > 0 {
			errs = append(errs, gqlError{Message: fmt.Sprintf("Field '%s' is missing required arguments: %s", field.Name, strings.Join(missing, ", ")),
				Locations: []gqlLocation{field.Loc}, Path: []any{field.key()},
				Extensions: map[string]any{"code": "missingRequiredArguments", "className": "Field", "name": field.Name, "arguments": strings.Join(missing, ", ")}})
		}
		if _, isConnection := root.args["first"]; isConnection {
			args := resolvedArgs(field, variables)
			first, hasFirst := intArg(args, "first")
			last, hasLast := intArg(args, "last")
			switch {
			case !hasFirst && !hasLast:
				errs = append(errs, gqlError{Message: "you must provide one of first or last", Locations: []gqlLocation{field.Loc}, Path: []any{field.key()}})
			case first > 250 || last > 250:
				errs = append(errs, gqlError{Message: "The maximum page size is 250", Locations: []gqlLocation{field.Loc}, Path: []any{field.key()}})
			case (hasFirst && first < 0) || (hasLast && last < 0):
				errs = append(errs, gqlError{Message: "first and last must be positive", Locations: []gqlLocation{field.Loc}, Path: []any{field.key()}})
			}
		}
	}
	return errs
}

func intArg(args map[string]any, name string) (int, bool) {
	n, ok := args[name].(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return int(i), err == nil
}

func stringArg(args map[string]any, name string) string {
	s, _ := args[name].(string)
	return s
}

func boolArg(args map[string]any, name string) bool {
	b, _ := args[name].(bool)
	return b
}

func defaultString(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}
