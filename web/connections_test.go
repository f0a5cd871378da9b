package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// setupFixture is orderhub with its jobs and real connectors, a fake Mirakl marketplace and
// a fake WooCommerce store on loopback: what the connection wizard talks to.
type setupFixture struct {
	app            *testApp
	store          *woocommerce.Fake
	marketplaceURL string
	storeURL       string
}

func newSetupFixture(t *testing.T) *setupFixture {
	t.Helper()
	db := testdb.Open(t)
	mk := httptest.NewServer(mirakl.NewFake("mk-key").Handler())
	t.Cleanup(mk.Close)
	store := woocommerce.NewFake("ck_shop_key", "cs_shop_secret")
	store.AddProduct(woocommerce.ProductSpec{Name: "Ceramic mug", SKU: "MUG-BLUE-350", RegularPrice: "12.90", ManageStock: true, StockQuantity: 20})
	store.AddProduct(woocommerce.ProductSpec{Name: "T-shirt", SKU: "TSHIRT-ORG-M", RegularPrice: "24.50", ManageStock: true, StockQuantity: 2})
	woo := httptest.NewServer(store.Handler())
	t.Cleanup(woo.Close)
	app := serve(t, db, workingJobs(t, db))
	return &setupFixture{app: app, store: store, marketplaceURL: mk.URL, storeURL: woo.URL}
}

func (f *setupFixture) connection(merchantID int64, name string) *models.Connection {
	f.app.t.Helper()
	var c models.Connection
	if err := f.app.db.Gorm.Where("merchant_id = ? AND name = ?", merchantID, name).First(&c).Error; err != nil {
		f.app.t.Fatalf("connection %q: %v", name, err)
	}
	return &c
}

func TestConnectionWizardFromScratchToActive(t *testing.T) {
	f := newSetupFixture(t)
	app := f.app
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)

	list := c.get("/connections")
	if !strings.Contains(list.text(".empty"), "Create your first connection") {
		t.Fatalf("empty list: %q", list.text("main"))
	}

	// Step 1: refused input is shown again with the message next to the field.
	bad := c.post("/connections", url.Values{"marketplace_kind": {"mirakl"}, "name": {""}, "country": {"FR"},
		"fulfilment": {"merchant"}, "s_base_url": {"fnac.example"}})
	expectStatus(t, bad, http.StatusUnprocessableEntity)
	if bad.text("#e-name") == "" || !strings.Contains(bad.text("#e-s_base_url"), "https://") {
		t.Fatalf("step 1 errors: name %q, url %q", bad.text("#e-name"), bad.text("#e-s_base_url"))
	}
	if v, _ := bad.doc.Find("#f-s_base_url").Attr("value"); v != "fnac.example" {
		t.Fatalf("the typed URL was not kept: %q", v)
	}
	step1 := c.post("/connections", url.Values{"marketplace_kind": {"mirakl"}, "name": {"Fnac → my shop"}, "country": {"FR"},
		"fulfilment": {"merchant"}, "s_base_url": {f.marketplaceURL}})
	conn := f.connection(m.ID, "Fnac → my shop")
	expectRedirect(t, step1, fmt.Sprintf("/connections/%d/setup/credentials", conn.ID))
	if conn.State != models.ConnectionDraft {
		t.Fatalf("a new connection is %s, want draft", conn.State)
	}
	// Resumable: the connection's address goes to the first step not done.
	expectRedirect(t, c.get(fmt.Sprintf("/connections/%d", conn.ID)), fmt.Sprintf("/connections/%d/setup/credentials", conn.ID))

	// Step 2: "test connection" tries the typed key without saving it.
	base := fmt.Sprintf("/connections/%d/setup", conn.ID)
	wrong := c.postHX(base+"/credentials", url.Values{"c_api_key": {"not-the-key"}, "test": {"1"}})
	if ok, _ := wrong.doc.Find("[data-testid=check-result]").Attr("data-ok"); ok != "false" || wrong.text("[data-testid=check-result]") == "" {
		t.Fatalf("wrong key: %s", wrong.body)
	}
	right := c.postHX(base+"/credentials", url.Values{"c_api_key": {"mk-key"}, "test": {"1"}})
	if ok, _ := right.doc.Find("[data-testid=check-result]").Attr("data-ok"); ok != "true" {
		t.Fatalf("right key: %s", right.body)
	}
	if f.connection(m.ID, "Fnac → my shop").MarketplaceCredentials != "" {
		t.Fatal("testing saved the credentials")
	}
	expectRedirect(t, c.post(base+"/credentials", url.Values{"c_api_key": {"mk-key"}}), base+"/store")
	conn = f.connection(m.ID, "Fnac → my shop")
	if conn.MarketplaceCredentials == "" || strings.Contains(conn.MarketplaceCredentials, "mk-key") {
		t.Fatalf("stored credentials: %q", conn.MarketplaceCredentials)
	}
	if again := c.get(base + "/credentials"); strings.Contains(again.body, "mk-key") || !strings.Contains(again.text(".hint"), "Saved:") {
		t.Fatal("the saved key is shown back, or its masked form is missing")
	}

	// Step 3: WooCommerce, tested, saved; the catalogue is read by the jobs.
	store := url.Values{"store_kind": {"woocommerce"}, "s_base_url": {f.storeURL}, "c_consumer_key": {"ck_shop_key"}, "c_consumer_secret": {"cs_shop_secret"}}
	test := url.Values{"test": {"1"}}
	for k, v := range store {
		test[k] = v
	}
	if ok, _ := c.postHX(base+"/store", test).doc.Find("[data-testid=check-result]").Attr("data-ok"); ok != "true" {
		t.Fatal("the store test failed with the right keys")
	}
	expectRedirect(t, c.post(base+"/store", store), base+"/carriers")
	eventually(t, "the catalogue to be read", func() bool {
		sizes, _ := models.CatalogueSizes(context.Background(), app.db.Gorm, m.ID, []int64{conn.ID})
		return sizes[conn.ID] == 2
	})
	if p := c.get(base + "/catalogue"); !strings.Contains(p.text("#catalogue-progress"), "2 products") {
		t.Fatalf("catalogue progress: %q", p.text("#catalogue-progress"))
	}

	// Activation is refused while a step is missing, with the reason.
	activate := c.get(base + "/activate")
	if !strings.Contains(activate.text("[data-testid=activation-problems]"), "default carrier") {
		t.Fatalf("activation problems: %q", activate.text("main"))
	}
	refused := c.post(base+"/activate", url.Values{"activation_date": {time.Now().Format("2006-01-02")}})
	expectStatus(t, refused, http.StatusUnprocessableEntity)

	// Step 4: the marketplace's carriers, a default, rules and the live tester.
	carriers := c.get(base + "/carriers")
	if carriers.doc.Find(`select[name=carrier_code] option[value=COLISSIMO]`).Length() != 1 {
		t.Fatalf("the marketplace's carriers are not offered: %s", carriers.text("main"))
	}
	expectRedirect(t, c.post(base+"/carriers", url.Values{"carrier_code": {"GLS"}}), base+"/carriers")
	badRule := c.post(fmt.Sprintf("/connections/%d/carriers/rules", conn.ID), url.Values{"match_kind": {"regex"}, "pattern": {"(6A"}, "rule_carrier_code": {"COLISSIMO"}})
	expectStatus(t, badRule, http.StatusUnprocessableEntity)
	if !strings.Contains(badRule.text(".rule-form .field-error"), "regular expression") {
		t.Fatalf("bad rule: %q", badRule.text(".rule-form"))
	}
	for _, r := range []url.Values{
		{"match_kind": {"length"}, "min_length": {"18"}, "max_length": {"18"}, "rule_carrier_code": {"UPS"}},
		{"match_kind": {"starts_with"}, "pattern": {"6A"}, "rule_carrier_code": {"COLISSIMO"}},
	} {
		expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/carriers/rules", conn.ID), r), base+"/carriers")
	}
	rules, _ := models.ConnectionCarrierRules(context.Background(), app.db.Gorm, m.ID, conn.ID)
	if len(rules) != 2 || rules[1].CarrierName != "Colissimo" {
		t.Fatalf("rules %+v", rules)
	}
	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/carriers/rules/%d/move", conn.ID, rules[1].ID), url.Values{"direction": {"up"}}), base+"/carriers")
	tester := c.get(fmt.Sprintf("/connections/%d/carriers/test?tracking=6A12345678901", conn.ID), "HX-Request", "true")
	if tester.text("[data-testid=carrier-sent]") != "Colissimo" || !strings.Contains(tester.text("[data-testid=carrier-why]"), "rule 1") {
		t.Fatalf("tester: %q", tester.text("#carrier-test-result"))
	}
	if fallback := c.get(fmt.Sprintf("/connections/%d/carriers/test?tracking=XX1", conn.ID)); fallback.text("[data-testid=carrier-sent]") != "GLS" {
		t.Fatalf("default carrier: %q", fallback.text("#carrier-test-result"))
	}
	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/carriers/rules/%d/delete", conn.ID, rules[0].ID), url.Values{}), base+"/carriers")

	// Step 5: a test order through the real path to the store, then cancelled there.
	testStep := c.get(base + "/test-order")
	if testStep.doc.Find(`input[name=sku][value=TSHIRT-ORG-M][disabled]`).Length() != 1 || testStep.doc.Find(`input[name=sku][value=MUG-BLUE-350]`).Length() != 1 {
		t.Fatalf("product choices: %s", testStep.text("#product-results"))
	}
	lowStock := c.post(fmt.Sprintf("/connections/%d/test-orders", conn.ID), url.Values{"sku": {"TSHIRT-ORG-M"}, "country": {"FR"}})
	expectStatus(t, lowStock, http.StatusUnprocessableEntity)
	if !strings.Contains(lowStock.text("#e-sku"), "stock") {
		t.Fatalf("low stock: %q", lowStock.text("#e-sku"))
	}
	if found := c.get(fmt.Sprintf("/connections/%d/products?q=mug", conn.ID), "HX-Request", "true"); found.doc.Find("input[name=sku]").Length() != 1 {
		t.Fatalf("product search: %s", found.body)
	}
	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/test-orders", conn.ID), url.Values{"sku": {"MUG-BLUE-350"}, "country": {"FR"}, "quantity": {"2"}}), base+"/test-order")
	var testOrder models.Order
	eventually(t, "the test order to reach the store", func() bool {
		app.db.Gorm.Where("connection_id = ? AND test", conn.ID).First(&testOrder)
		return testOrder.StoreState == models.StoreImported
	})
	if list := c.get(fmt.Sprintf("/connections/%d/test-orders", conn.ID), "HX-Request", "true"); list.text(`[data-field="store-order"]`) != testOrder.StoreOrderID {
		t.Fatalf("test order list: %s", list.text("#test-orders"))
	}
	storeOrders := f.store.Orders()
	if len(storeOrders) != 1 || fmt.Sprint(storeOrders[0].ID) != testOrder.StoreOrderID || storeOrders[0].LineItems[0].Quantity != 2 {
		t.Fatalf("store orders: %+v", storeOrders)
	}
	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/test-orders/%d/cancel", conn.ID, testOrder.ID), url.Values{}), base+"/test-order")
	eventually(t, "the test order to be cancelled in the store", func() bool {
		return f.store.Orders()[0].Status == "cancelled"
	})
	eventually(t, "orderhub to record the cancellation", func() bool {
		app.db.Gorm.First(&testOrder, testOrder.ID)
		return testOrder.StoreState == models.StoreCancelled && testOrder.Status == models.StatusCancelled
	})

	// Step 6: activation, with the date at most 30 days back.
	tooOld := c.post(base+"/activate", url.Values{"activation_date": {time.Now().AddDate(0, 0, -40).Format("2006-01-02")}})
	expectStatus(t, tooOld, http.StatusUnprocessableEntity)
	if !strings.Contains(tooOld.text("#e-activation_date"), "30 days") {
		t.Fatalf("too old: %q", tooOld.text("#e-activation_date"))
	}
	expectRedirect(t, c.post(base+"/activate", url.Values{"activation_date": {time.Now().AddDate(0, 0, -3).Format("2006-01-02")}}), fmt.Sprintf("/connections/%d", conn.ID))
	page := c.get(fmt.Sprintf("/connections/%d", conn.ID))
	if page.text("[data-testid=connection-state]") != "active" {
		t.Fatalf("connection page: %q", page.text("main"))
	}
	if runs := page.text("[data-testid=sync-runs] tr[data-kind=catalogue]"); !strings.Contains(runs, "2 products read") {
		t.Fatalf("recent syncs: %q", page.text("main"))
	}
	conn = f.connection(m.ID, "Fnac → my shop")
	if conn.State != models.ConnectionActive || conn.ActivationDate == nil || time.Since(*conn.ActivationDate) < 48*time.Hour {
		t.Fatalf("activated connection: %s %v", conn.State, conn.ActivationDate)
	}
	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/pause", conn.ID), url.Values{}), fmt.Sprintf("/connections/%d", conn.ID))
	if f.connection(m.ID, "Fnac → my shop").State != models.ConnectionPaused {
		t.Fatal("pause did not pause")
	}
}

func TestConnectionWizardStoreAPIAndAccess(t *testing.T) {
	f := newSetupFixture(t)
	app := f.app
	m, _ := app.signUp("Acme", "admin@acme.test")
	app.addUser(m.ID, "staff@acme.test", models.RoleStaff)
	other, _ := app.signUp("Other", "admin@other.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)
	c.get("/connections/new")
	created := c.post("/connections", url.Values{"marketplace_kind": {"mirakl"}, "name": {"Darty"}, "country": {"FR"}, "fulfilment": {"merchant"}, "s_base_url": {f.marketplaceURL}})
	if created.status != http.StatusSeeOther {
		t.Fatalf("creating: %d %s", created.status, created.text("main"))
	}
	conn := f.connection(m.ID, "Darty")

	// "My shop uses the API" makes a token limited to this connection, shown once.
	page := c.post(fmt.Sprintf("/connections/%d/setup/store", conn.ID), url.Values{"store_kind": {models.StoreKindAPI}})
	expectStatus(t, page, http.StatusOK)
	token := page.text("[data-testid=new-token]")
	if !strings.HasPrefix(token, "oh_") {
		t.Fatalf("no token shown: %q", page.text("main"))
	}
	if res := app.api("GET", fmt.Sprintf("/api/v1/orders?connection_id=%d", conn.ID), token, ""); res.status != http.StatusOK {
		t.Fatalf("the new token: %d %s", res.status, res.body)
	}
	if f.connection(m.ID, "Darty").StoreKind != models.StoreKindAPI {
		t.Fatal("store kind not saved")
	}
	if strings.Contains(c.get(fmt.Sprintf("/connections/%d/setup/store", conn.ID)).body, token) {
		t.Fatal("the token is shown again")
	}

	// Staff see connections but do not set them up; another merchant gets 404.
	staff := app.client()
	staff.login("staff@acme.test", testPassword)
	expectStatus(t, staff.get("/connections"), http.StatusOK)
	expectStatus(t, staff.get("/connections/new"), http.StatusForbidden)
	expectStatus(t, staff.get(fmt.Sprintf("/connections/%d/setup/store", conn.ID)), http.StatusForbidden)
	stranger := app.client()
	stranger.login("admin@other.test", testPassword)
	_ = other
	expectStatus(t, stranger.get(fmt.Sprintf("/connections/%d/setup/store", conn.ID)), http.StatusNotFound)
	expectStatus(t, stranger.post(fmt.Sprintf("/connections/%d/setup/credentials", conn.ID), url.Values{"c_api_key": {"x"}}), http.StatusNotFound)
	if f.connection(m.ID, "Darty").MarketplaceCredentials != "" {
		t.Fatal("another merchant changed the connection")
	}
}

// postHX posts a form as htmx does, for a fragment answer.
func (c *client) postHX(path string, form url.Values) *page {
	c.t.Helper()
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, c.app.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	return c.do(req)
}

// The first step shows the chosen marketplace's own settings, and saves a connection of that
// kind with them.
func TestWizardShowsTheChosenMarketplacesSettings(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)

	mirakl := c.get("/connections/new")
	if mirakl.doc.Find("#f-s_base_url").Length() != 1 || mirakl.doc.Find("#f-s_region").Length() != 0 {
		t.Fatalf("Mirakl's step shows other settings: %s", mirakl.text("form"))
	}
	amazon := c.get("/connections/new?marketplace_kind=amazon&name=Amazon+FR", "HX-Request", "true")
	if amazon.doc.Find("#f-s_region").Length() != 1 || amazon.doc.Find("#f-s_base_url").Length() != 0 {
		t.Fatalf("Amazon's step: %s", amazon.text("form"))
	}
	if v, _ := amazon.doc.Find("#f-name").Attr("value"); v != "Amazon FR" {
		t.Fatalf("the typed name is lost when the marketplace changes: %q", v)
	}
	if v, _ := amazon.doc.Find(`#f-marketplace_kind option[selected]`).Attr("value"); v != "amazon" {
		t.Fatalf("selected marketplace %q", v)
	}

	missing := c.post("/connections", url.Values{"marketplace_kind": {"amazon"}, "name": {"Amazon FR"}, "country": {"FR"}, "fulfilment": {"merchant"}})
	expectStatus(t, missing, http.StatusUnprocessableEntity)
	if missing.text("#e-s_region") == "" {
		t.Fatalf("a missing region is not shown: %s", missing.text("form"))
	}
	saved := c.post("/connections", url.Values{"marketplace_kind": {"bol"}, "name": {"bol.com NL"}, "country": {"NL"}, "fulfilment": {"merchant"}})
	if saved.status != http.StatusSeeOther && saved.status != http.StatusFound {
		t.Fatalf("bol.com connection: %d %s", saved.status, saved.text("main"))
	}
	conns, err := models.MerchantConnections(context.Background(), app.db.Gorm, m.ID)
	if err != nil || len(conns) != 1 || conns[0].MarketplaceKind != "bol" {
		t.Fatalf("saved connections %+v %v", conns, err)
	}
}
