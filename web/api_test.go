package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// apiConnection saves an active connection whose store pulls orders through the API.
func (a *testApp) apiConnection(merchantID int64, name string) *models.Connection {
	a.t.Helper()
	c := models.NewConnection(merchantID, name, "mirakl")
	c.StoreKind, c.State = models.StoreKindAPI, models.ConnectionActive
	if err := models.SaveConnection(context.Background(), a.db.Gorm, c); err != nil {
		a.t.Fatal(err)
	}
	return c
}

// orderOn imports an order waiting shipment on the connection.
func (a *testApp) orderOn(c *models.Connection, marketplaceID, status string) *models.Order {
	a.t.Helper()
	in := &models.Order{MarketplaceOrderID: marketplaceID, Status: status, Currency: "EUR", TotalAmount: 2490, ShippingAmount: 500,
		PlacedAt: time.Now(), MarketplaceUpdatedAt: time.Now(),
		Shipping: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "1 Main St", PostalCode: "N1", City: "London", Country: "GB"},
		Lines:    []models.OrderLine{{MarketplaceLineID: marketplaceID + "-1", SKU: "SKU-1", Title: "Thing", Quantity: 2, UnitPrice: 995}}}
	var o *models.Order
	err := a.db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		o, _, err = models.ImportOrder(context.Background(), tx, c, in, time.Now())
		return err
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return o
}

func (a *testApp) token(merchantID int64, connections ...int64) string {
	a.t.Helper()
	plaintext, _, err := models.CreateAPIToken(context.Background(), a.db.Gorm, merchantID, models.NewAPIToken{Name: "shop", ConnectionIDs: connections})
	if err != nil {
		a.t.Fatal(err)
	}
	return plaintext
}

type apiResponse struct {
	status int
	header http.Header
	body   []byte
}

func (r apiResponse) decode(t *testing.T, into any) {
	t.Helper()
	if err := json.Unmarshal(r.body, into); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// problemType reads the problem's type, checking it is served as problem details.
func (r apiResponse) problemType(t *testing.T) string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q for %s", ct, r.body)
	}
	var p struct{ Type, Detail string }
	r.decode(t, &p)
	if p.Detail == "" {
		t.Fatalf("a problem without detail: %s", r.body)
	}
	return strings.TrimPrefix(p.Type, "/api/v1/problems/")
}

func (a *testApp) api(method, path, token, body string) apiResponse {
	a.t.Helper()
	return a.apiWith(method, path, token, body, nil)
}

// apiWith sends a Store API request with extra headers.
func (a *testApp) apiWith(method, path, token, body string, headers map[string]string) apiResponse {
	a.t.Helper()
	req, err := http.NewRequest(method, a.base+path, bytes.NewBufferString(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	matchesSpec(a.t, req, res.StatusCode, res.Header, raw)
	return apiResponse{status: res.StatusCode, header: res.Header, body: raw}
}

type listedOrders struct {
	Orders []struct {
		ID             int64
		Status         string
		Acknowledged   bool
		StoreReference string `json:"store_reference"`
		TotalAmount    int64  `json:"total_amount"`
		Lines          []struct{ SKU string }
	}
	NextCursor string `json:"next_cursor"`
}

func (a *testApp) list(token, query string) listedOrders {
	a.t.Helper()
	res := a.api("GET", "/api/v1/orders"+query, token, "")
	if res.status != http.StatusOK {
		a.t.Fatalf("list %s: %d %s", query, res.status, res.body)
	}
	var out listedOrders
	res.decode(a.t, &out)
	return out
}

func ids(l listedOrders) []int64 {
	var out []int64
	for _, o := range l.Orders {
		out = append(out, o.ID)
	}
	return out
}

func TestAPITokens(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	token := app.token(m.ID)
	if r := app.api("GET", "/api/v1/orders", "", ""); r.status != 401 || r.problemType(t) != "token-missing" {
		t.Fatalf("no token: %d %s", r.status, r.body)
	}
	if r := app.api("GET", "/api/v1/orders", "oh_not-a-real-token", ""); r.status != 401 || r.problemType(t) != "token-invalid" {
		t.Fatalf("wrong token: %d %s", r.status, r.body)
	}
	if r := app.api("GET", "/api/v1/orders", token, ""); r.status != 200 {
		t.Fatalf("valid token: %d %s", r.status, r.body)
	}
	var stored models.APIToken
	app.db.Gorm.Where("merchant_id = ?", m.ID).First(&stored)
	if stored.TokenHash == token || strings.Contains(stored.TokenHash, token[3:]) || stored.LastUsedAt == nil {
		t.Fatalf("stored token %+v", stored)
	}
	if err := models.RevokeAPIToken(context.Background(), app.db.Gorm, m.ID, stored.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := app.api("GET", "/api/v1/orders", token, ""); r.status != 401 {
		t.Fatalf("revoked token: %d", r.status)
	}
	past := time.Now().Add(-time.Minute)
	expired, _, _ := models.CreateAPIToken(context.Background(), app.db.Gorm, m.ID, models.NewAPIToken{Name: "old", ExpiresAt: &past})
	if r := app.api("GET", "/api/v1/orders", expired, ""); r.status != 401 {
		t.Fatalf("expired token: %d", r.status)
	}
}

func TestAPIDefaultListingRules(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	c := app.apiConnection(m.ID, "Fnac → my shop")
	offered := app.orderOn(c, "OFFERED-1", models.StatusWaitingShipment)
	app.orderOn(c, "WAITING-ACCEPTANCE-1", models.StatusWaitingAcceptance)
	old := app.orderOn(c, "OLD-1", models.StatusWaitingShipment)
	app.db.Gorm.Model(&models.Order{}).Where("id = ?", old.ID).Update("updated_at", time.Now().Add(-8*24*time.Hour))
	acked := app.orderOn(c, "ACKED-1", models.StatusWaitingShipment)
	app.db.Gorm.Transaction(func(tx *gorm.DB) error {
		return models.AcknowledgeOrder(context.Background(), tx, acked, "WEB-77", "api:shop", time.Now())
	})
	app.orderOn(app.importedConnection(m.ID), "PUSHED-1", models.StatusWaitingShipment)
	app.orderOn(app.apiConnection(other.ID, "theirs"), "THEIRS-1", models.StatusWaitingShipment)

	token := app.token(m.ID)
	list := app.list(token, "")
	if got := ids(list); len(got) != 1 || got[0] != offered.ID {
		t.Fatalf("default listing %v, want only %d", got, offered.ID)
	}
	o := list.Orders[0]
	if o.TotalAmount != 2490 || len(o.Lines) != 1 || o.Lines[0].SKU != "SKU-1" || o.Acknowledged {
		t.Fatalf("listed order %+v", o)
	}
	ackList := app.list(token, "?acknowledged=true")
	if len(ackList.Orders) != 1 || ackList.Orders[0].ID != acked.ID || ackList.Orders[0].StoreReference != "WEB-77" {
		t.Fatalf("acknowledged listing %+v", ackList)
	}
	if got := ids(app.list(token, "?status=waiting_acceptance")); len(got) != 1 {
		t.Fatalf("status filter %v", got)
	}
	since := url.QueryEscape(time.Now().Add(-9 * 24 * time.Hour).Format(time.RFC3339))
	if got := ids(app.list(token, "?updated_since="+since)); len(got) != 2 {
		t.Fatalf("updated_since 9 days back: %v, want the offered and the old order", got)
	}
}

// importedConnection is a push connection (not the API): its orders are never offered.
func (a *testApp) importedConnection(merchantID int64) *models.Connection {
	a.t.Helper()
	c := models.NewConnection(merchantID, "Pushed", "mirakl")
	c.StoreKind = "woocommerce"
	if err := models.SaveConnection(context.Background(), a.db.Gorm, c); err != nil {
		a.t.Fatal(err)
	}
	return c
}

func TestAPIPagesNeitherSkipNorRepeatWhileOrdersChange(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.apiConnection(m.ID, "shop")
	var want []int64
	for i := 0; i < 7; i++ {
		want = append(want, app.orderOn(c, fmt.Sprintf("P-%d", i), models.StatusWaitingShipment).ID)
	}
	token := app.token(m.ID)
	seen := map[int64]int{}
	page := app.list(token, "?limit=3")
	for _, id := range ids(page) {
		seen[id]++
	}
	// Meanwhile: an order of the first page is acknowledged, one is updated, a new one arrives.
	app.api("POST", "/api/v1/orders/acknowledge", token, fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"S1","status":"success"}]}`, want[0]))
	app.db.Gorm.Model(&models.Order{}).Where("id = ?", want[5]).Update("updated_at", time.Now())
	want = append(want, app.orderOn(c, "P-new", models.StatusWaitingShipment).ID)
	for page.NextCursor != "" {
		page = app.list(token, "?limit=3&cursor="+page.NextCursor)
		for _, id := range ids(page) {
			seen[id]++
		}
	}
	for _, id := range want {
		if seen[id] != 1 {
			t.Errorf("order %d seen %d times", id, seen[id])
		}
	}
}

func TestAPIAcknowledgeLifecycle(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.apiConnection(m.ID, "shop")
	good := app.orderOn(c, "GOOD-1", models.StatusWaitingShipment)
	bad := app.orderOn(c, "BAD-1", models.StatusWaitingShipment)
	token := app.token(m.ID)

	body := fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"WEB-1001","status":"success"},{"id":%d,"status":"error","message":"postcode N1 is not valid"},{"id":999999,"store_reference":"X","status":"success"}]}`, good.ID, bad.ID)
	res := app.api("POST", "/api/v1/orders/acknowledge", token, body)
	var out struct {
		Results []struct {
			ID      int64
			OK      bool
			Problem *struct{ Type string }
		}
	}
	res.decode(t, &out)
	if res.status != 200 || len(out.Results) != 3 || !out.Results[0].OK || !out.Results[1].OK || out.Results[2].OK ||
		out.Results[2].Problem == nil || !strings.HasSuffix(out.Results[2].Problem.Type, "/not-found") {
		t.Fatalf("acknowledge: %d %s", res.status, res.body)
	}
	if got := ids(app.list(token, "")); len(got) != 0 {
		t.Fatalf("acknowledged and rejected orders still offered: %v", got)
	}
	o, _ := models.MerchantOrder(context.Background(), app.db.Gorm, m.ID, good.ID)
	if o.StoreState != models.StoreImported || o.StoreOrderID != "WEB-1001" || o.AcknowledgedAt == nil {
		t.Fatalf("acknowledged order %+v", o)
	}
	b, _ := models.MerchantOrder(context.Background(), app.db.Gorm, m.ID, bad.ID)
	if b.StoreState != models.StoreBlocked || b.StoreBlockedReason != models.BlockedStoreRejected || !strings.Contains(b.StoreBlockedMessage, "postcode N1 is not valid") {
		t.Fatalf("rejected order %+v", b)
	}

	// The same acknowledgement again is fine; another reference is a conflict.
	res = app.api("POST", "/api/v1/orders/acknowledge", token, fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"WEB-1001","status":"success"},{"id":%d,"store_reference":"WEB-2","status":"success"}]}`, good.ID, good.ID))
	res.decode(t, &out)
	if !out.Results[0].OK || out.Results[1].OK || !strings.HasSuffix(out.Results[1].Problem.Type, "/order-state") {
		t.Fatalf("repeated acknowledgement: %s", res.body)
	}

	res = app.api("POST", "/api/v1/orders/unacknowledge", token, fmt.Sprintf(`{"orders":[{"id":%d}]}`, good.ID))
	res.decode(t, &out)
	if !out.Results[0].OK {
		t.Fatalf("unacknowledge: %s", res.body)
	}
	if got := ids(app.list(token, "")); len(got) != 1 || got[0] != good.ID {
		t.Fatalf("after unacknowledge the listing is %v", got)
	}
	var shown struct {
		ID           int64
		Acknowledged bool
	}
	app.api("GET", fmt.Sprintf("/api/v1/orders/%d", good.ID), token, "").decode(t, &shown)
	if shown.ID != good.ID || shown.Acknowledged {
		t.Fatalf("order after unacknowledge %+v", shown)
	}
}

func TestAPITokenLimitedToOneConnection(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	a := app.apiConnection(m.ID, "A")
	b := app.apiConnection(m.ID, "B")
	onA := app.orderOn(a, "ON-A", models.StatusWaitingShipment)
	onB := app.orderOn(b, "ON-B", models.StatusWaitingShipment)
	theirs := app.orderOn(app.apiConnection(other.ID, "theirs"), "THEIRS", models.StatusWaitingShipment)
	token := app.token(m.ID, a.ID)

	if got := ids(app.list(token, "")); len(got) != 1 || got[0] != onA.ID {
		t.Fatalf("limited token lists %v", got)
	}
	for _, id := range []int64{onB.ID, theirs.ID} {
		if r := app.api("GET", fmt.Sprintf("/api/v1/orders/%d", id), token, ""); r.status != 404 || r.problemType(t) != "not-found" {
			t.Fatalf("order %d: %d %s", id, r.status, r.body)
		}
	}
	if r := app.api("GET", fmt.Sprintf("/api/v1/orders?connection_id=%d", b.ID), token, ""); r.status != 404 {
		t.Fatalf("filtering on connection B: %d", r.status)
	}
	res := app.api("POST", "/api/v1/orders/acknowledge", token, fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"X","status":"success"}]}`, onB.ID))
	if !strings.Contains(string(res.body), "not-found") {
		t.Fatalf("acknowledging connection B's order: %s", res.body)
	}
	if o, _ := models.MerchantOrder(context.Background(), app.db.Gorm, m.ID, onB.ID); o.StoreState != models.StorePending {
		t.Fatal("an order outside the token's connections was changed")
	}
}

func TestAPIBadInputIsRefusedAndChangesNothing(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	o := app.orderOn(app.apiConnection(m.ID, "shop"), "O-1", models.StatusWaitingShipment)
	token := app.token(m.ID)

	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf(`{"id":%d,"store_reference":"R","status":"success"}`, o.ID)
	}
	cases := []struct {
		name, body, problem string
		status              int
	}{
		{"malformed JSON", `{"orders":[`, "invalid-json", 400},
		{"unknown field", fmt.Sprintf(`{"orders":[{"id":%d,"store_ref":"R","status":"success"}]}`, o.ID), "invalid-json", 400},
		{"wrong type", `{"orders":[{"id":"one"}]}`, "invalid-json", 400},
		{"trailing data", `{"orders":[]} {}`, "invalid-json", 400},
		{"empty batch", `{"orders":[]}`, "empty-batch", 400},
		{"oversized batch", `{"orders":[` + strings.Join(many, ",") + `]}`, "batch-too-large", 413},
		{"bad status", fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"R","status":"done"}]}`, o.ID), "invalid-field", 400},
		{"success without reference", fmt.Sprintf(`{"orders":[{"id":%d,"status":"success"}]}`, o.ID), "invalid-field", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := app.api("POST", "/api/v1/orders/acknowledge", token, tc.body)
			if r.status != tc.status || r.problemType(t) != tc.problem {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})
	}
	for _, query := range []string{"?limit=0", "?limit=101", "?status=lost", "?acknowledged=maybe", "?updated_since=yesterday", "?cursor=%%%"} {
		if r := app.api("GET", "/api/v1/orders"+query, token, ""); r.status != 400 || r.problemType(t) != "invalid-parameter" {
			t.Errorf("%s: %d %s", query, r.status, r.body)
		}
	}
	if got, _ := models.MerchantOrder(context.Background(), app.db.Gorm, m.ID, o.ID); got.StoreState != models.StorePending {
		t.Fatalf("bad input changed the order: %s", got.StoreState)
	}
}

func TestAPITokensPage(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	app.addUser(m.ID, "staff@acme.test", models.RoleStaff)
	conn := app.apiConnection(m.ID, "Fnac → my shop")

	staff := app.client()
	staff.login("staff@acme.test", testPassword)
	expectStatus(t, staff.get("/settings/api-tokens"), http.StatusForbidden)

	admin := app.client()
	admin.login("admin@acme.test", testPassword)
	admin.get("/settings/api-tokens")
	p := admin.post("/settings/api-tokens", url.Values{"name": {""}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	p = admin.post("/settings/api-tokens", url.Values{"name": {"My shop"}, "connection_ids": {fmt.Sprint(conn.ID)}, "expires_in_days": {"30"}})
	expectStatus(t, p, http.StatusCreated)
	token := p.text(`[data-testid="new-token"]`)
	if !strings.HasPrefix(token, "oh_") {
		t.Fatalf("token shown: %q", token)
	}
	if r := app.api("GET", "/api/v1/orders", token, ""); r.status != 200 {
		t.Fatalf("the new token does not work: %d", r.status)
	}
	list := admin.get("/settings/api-tokens")
	if strings.Contains(list.body, token) || !strings.Contains(list.body, token[:10]) {
		t.Fatal("the token list shows the whole token, or not its prefix")
	}
	id, _ := list.doc.Find("tr[data-token]").Attr("data-token")
	expectRedirect(t, admin.post("/settings/api-tokens/"+id+"/revoke", nil), "/settings/api-tokens")
	if r := app.api("GET", "/api/v1/orders", token, ""); r.status != 401 {
		t.Fatalf("a revoked token still works: %d", r.status)
	}
}

func TestAPIRateLimitPerToken(t *testing.T) {
	app := newTestApp(t, func(cfg *models.Config) { cfg.APIRate = 1 }) // bursts of 2
	m, _ := app.signUp("Acme", "admin@acme.test")
	busy, calm := app.token(m.ID), app.token(m.ID)
	for i := 0; i < 2; i++ {
		if r := app.api("GET", "/api/v1/orders", busy, ""); r.status != 200 {
			t.Fatalf("call %d within the burst: %d", i+1, r.status)
		}
	}
	r := app.api("GET", "/api/v1/orders", busy, "")
	if r.status != 429 || r.problemType(t) != "rate-limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("beyond the burst: %d %s (Retry-After %q)", r.status, r.body, r.header.Get("Retry-After"))
	}
	if r := app.api("GET", "/api/v1/orders", calm, ""); r.status != 200 {
		t.Fatalf("another token is limited too: %d", r.status)
	}
}

func TestAPIShipmentLinesMustBeTheWholeOrder(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.apiConnection(m.ID, "shop")
	o := app.orderOn(c, "LINES-1", models.StatusWaitingShipment)
	token := app.token(m.ID)
	if res := app.api("POST", "/api/v1/orders/acknowledge", token, fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"W-1","status":"success"}]}`, o.ID)); res.status != http.StatusOK {
		t.Fatalf("acknowledge: %d %s", res.status, res.body)
	}
	line := o.Lines[0] // quantity 2
	type result struct {
		OK            bool
		ShipmentState string `json:"shipment_state"`
		Problem       *struct{ Type, Detail string }
	}
	ship := func(lines string) result {
		t.Helper()
		res := app.api("POST", "/api/v1/orders/ship", token, fmt.Sprintf(`{"orders":[{"id":%d,"carrier":"UPS","tracking_number":"1Z1","lines":%s}]}`, o.ID, lines))
		var out struct{ Results []result }
		res.decode(t, &out)
		if res.status != http.StatusOK || len(out.Results) != 1 {
			t.Fatalf("ship %s: %d %s", lines, res.status, res.body)
		}
		return out.Results[0]
	}
	for lines, want := range map[string]string{
		fmt.Sprintf(`[{"id":%d,"quantity":1}]`, line.ID): "partial-shipment",
		fmt.Sprintf(`[{"id":%d,"quantity":3}]`, line.ID): "invalid-lines",
		`[{"id":987654}]`: "invalid-lines",
	} {
		r := ship(lines)
		if r.OK || r.Problem == nil || !strings.HasSuffix(r.Problem.Type, "/"+want) || r.Problem.Detail == "" {
			t.Fatalf("lines %s: %+v, want %s", lines, r, want)
		}
		got, _ := models.MerchantOrder(context.Background(), app.db.Gorm, m.ID, o.ID)
		if got.ShipmentState != models.ShipmentNone {
			t.Fatalf("a refused shipment changed the order: %s", got.ShipmentState)
		}
	}
	// The line in full, in two parts of one shipment, is the whole order.
	if r := ship(fmt.Sprintf(`[{"id":%d,"quantity":1},{"id":%d,"quantity":1}]`, line.ID, line.ID)); !r.OK || r.ShipmentState != models.ShipmentReady {
		t.Fatalf("whole order: %+v", r)
	}
}
