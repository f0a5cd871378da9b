package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
	"github.com/orderhub/orderhub/views"
)

// queueFixture is a merchant with an active connection from the Mirakl fake to the
// WooCommerce fake, the jobs running: orders flow, and some get blocked.
type queueFixture struct {
	app      *testApp
	market   *mirakl.Fake
	store    *woocommerce.Fake
	merchant *models.Merchant
	conn     *models.Connection
}

func newQueueFixture(t *testing.T) *queueFixture {
	t.Helper()
	db := testdb.Open(t)
	market := mirakl.NewFake("mk-key")
	mk := httptest.NewServer(market.Handler())
	t.Cleanup(mk.Close)
	store := woocommerce.NewFake("ck_shop_key", "cs_shop_secret")
	for _, p := range []woocommerce.ProductSpec{
		{Name: "Ceramic mug, blue, 350 ml", SKU: "MUG-BLUE-350", RegularPrice: "12.90", ManageStock: true, StockQuantity: 500},
		{Name: "Organic cotton T-shirt, size M", SKU: "TSHIRT-ORG-M", RegularPrice: "24.50", ManageStock: true, StockQuantity: 500},
		{Name: "LED desk lamp, dimmable", SKU: "LAMP-DESK-01", RegularPrice: "39.99", ManageStock: true, StockQuantity: 500},
		{Name: "Stainless steel bottle, 750 ml", SKU: "BOTTLE-SS-750", RegularPrice: "19.99", ManageStock: true, StockQuantity: 500},
		{Name: "Camping stove, compact", SKU: "STOVE-COMPACT", RegularPrice: "34.90", ManageStock: true, StockQuantity: 500},
		{Name: "LED lantern", SKU: "LANTERN-LED", RegularPrice: "29.90", ManageStock: true, StockQuantity: 1},
	} {
		store.AddProduct(p)
	}
	woo := httptest.NewServer(store.Handler())
	t.Cleanup(woo.Close)
	app := serve(t, db, workingJobs(t, db))
	merchant, _ := app.signUp("Acme", "admin@acme.test")

	sealer, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	c := models.NewConnection(merchant.ID, "Fnac → Acme shop", "mirakl")
	c.Country, c.StoreKind, c.ActiveCountries = "FR", "woocommerce", "FR,DE,IT,ES,BE"
	c.DefaultCarrierCode, c.DefaultCarrierName = "COLISSIMO", "Colissimo"
	c.MarketplaceSettings = fmt.Sprintf(`{"base_url":%q}`, mk.URL)
	c.StoreSettings = fmt.Sprintf(`{"base_url":%q}`, woo.URL)
	c.PollIntervalSeconds = 1
	if err := c.SetMarketplaceCredentials(sealer, models.Credentials{"api_key": "mk-key"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetStoreCredentials(sealer, models.Credentials{"consumer_key": "ck_shop_key", "consumer_secret": "cs_shop_secret"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Activate(now.Add(-time.Hour), now); err != nil {
		t.Fatal(err)
	}
	next := now.UTC()
	c.NextPollAt = &next
	if err := models.SaveConnection(context.Background(), db.Gorm, c); err != nil {
		t.Fatal(err)
	}
	return &queueFixture{app: app, market: market, store: store, merchant: merchant, conn: c}
}

// addOrders puts n orders on the marketplace, each changed by edit.
func (f *queueFixture) addOrders(n int, edit func(*mirakl.FakeOrder)) []string {
	var ids []string
	for i := range n {
		order := mirakl.SampleOrder(i)
		edit(&order)
		ids = append(ids, f.market.AddOrder(order))
	}
	return ids
}

// waitBlocked waits until n of the merchant's orders are blocked for the reason.
func (f *queueFixture) waitBlocked(t *testing.T, reason string, n int64) {
	t.Helper()
	eventually(t, fmt.Sprintf("%d orders blocked by %s", n, reason), func() bool {
		var count int64
		f.app.db.Gorm.Model(&models.Order{}).Where("merchant_id = ? AND store_blocked_reason = ?", f.merchant.ID, reason).Count(&count)
		return count == n
	})
}

// storeOrders counts the orders created in the store fake for the marketplace orders.
func (f *queueFixture) storeOrders(marketplaceIDs []string) int {
	created := 0
	for _, o := range f.store.Orders() {
		for _, meta := range o.MetaData {
			var value string
			if meta.Key == "_orderhub_marketplace_order_id" && json.Unmarshal(meta.Value, &value) == nil && slices.Contains(marketplaceIDs, value) {
				created++
			}
		}
	}
	return created
}

func TestUnknownSKUFixedOnceSendsEveryBlockedOrderToTheStore(t *testing.T) {
	f := newQueueFixture(t)
	ids := f.addOrders(14, func(o *mirakl.FakeOrder) {
		o.Lines = []mirakl.FakeLine{{SKU: "CAMP-STOVE-X", Title: "Camping stove", Quantity: 1, UnitPrice: "34.90", ShippingPrice: "4.90"}}
	})
	f.waitBlocked(t, models.BlockedUnknownProduct, 14)

	c := f.app.client()
	c.login("admin@acme.test", testPassword)
	queue := c.get("/errors")
	expectStatus(t, queue, http.StatusOK)
	group := queue.doc.Find(`li.error-group[data-cause="CAMP-STOVE-X"]`)
	if title := strings.Join(strings.Fields(group.Find("h2").Text()), " "); title != "SKU CAMP-STOVE-X unknown 14 orders" {
		t.Fatalf("group title %q\n%s", title, queue.text("main"))
	}
	href, _ := group.Find("h2 a").Attr("href")
	page := c.get(href)
	expectStatus(t, page, http.StatusOK)
	if n := page.doc.Find("tr[data-order]").Length(); n != 14 {
		t.Fatalf("the group's page lists %d orders, want 14", n)
	}

	// The typed store SKU must exist: the error shows next to the field, the input is kept.
	key := url.Values{"connection": {strconv.FormatInt(f.conn.ID, 10)}, "side": {"store"}, "reason": {models.BlockedUnknownProduct}, "cause": {"CAMP-STOVE-X"}}
	wrong := cloneValues(key)
	wrong.Set(views.LinkField("CAMP-STOVE-X"), "STOVE-NOPE")
	bad := c.post("/errors/group/link", wrong)
	expectStatus(t, bad, http.StatusUnprocessableEntity)
	if msg := bad.text("#e-link-CAMP-STOVE-X"); !strings.Contains(msg, "STOVE-NOPE") {
		t.Fatalf("link error %q", msg)
	}
	if v, _ := bad.doc.Find("#f-link-CAMP-STOVE-X").Attr("value"); v != "STOVE-NOPE" {
		t.Fatalf("typed SKU not kept: %q", v)
	}
	// The SKU field offers the store's products as the person types.
	choices := c.get(fmt.Sprintf("/connections/%d/skus?%s=STOVE", f.conn.ID, url.QueryEscape(views.LinkField("CAMP-STOVE-X"))))
	if v, _ := choices.doc.Find("datalist option").Attr("value"); v != "STOVE-COMPACT" {
		t.Fatalf("store SKU choices: %s", choices.body)
	}

	good := cloneValues(key)
	good.Set(views.LinkField("CAMP-STOVE-X"), "STOVE-COMPACT")
	expectRedirect(t, c.post("/errors/group/link", good), "/errors")
	eventually(t, "the 14 orders in the store", func() bool { return f.storeOrders(ids) == 14 })
	if page := c.get("/errors"); page.doc.Find("li.error-group").Length() != 0 {
		t.Fatalf("the queue still shows groups: %s", page.text("main"))
	}
	// The order's timeline shows the API exchanges, bodies included, and no secret.
	var first models.Order
	f.app.db.Gorm.Where("marketplace_order_id = ?", ids[0]).First(&first)
	orderPage := c.get(fmt.Sprintf("/orders/%d", first.ID))
	if orderPage.doc.Find("[data-testid=exchange-request]").Length() == 0 || orderPage.doc.Find("[data-testid=exchange-response]").Length() == 0 {
		t.Fatalf("no API bodies in the timeline: %s", orderPage.text(".timeline"))
	}
	if !strings.Contains(orderPage.text(".timeline"), "STOVE-COMPACT") {
		t.Errorf("the store request with the linked SKU is not in the timeline")
	}
	for _, secret := range []string{"mk-key", "ck_shop_key", "cs_shop_secret"} {
		if strings.Contains(orderPage.body, secret) {
			t.Errorf("the order page shows the secret %q", secret)
		}
	}
	// Later orders with the same SKU go through by themselves: the link is kept.
	later := f.addOrders(1, func(o *mirakl.FakeOrder) {
		o.Lines = []mirakl.FakeLine{{SKU: "CAMP-STOVE-X", Title: "Camping stove", Quantity: 1, UnitPrice: "34.90", ShippingPrice: "4.90"}}
	})
	eventually(t, "a later order with the linked SKU in the store", func() bool { return f.storeOrders(later) == 1 })
}

func TestCountryActivatedFromTheQueueAndGroupRefusedInBulk(t *testing.T) {
	f := newQueueFixture(t)
	swiss := f.addOrders(2, func(o *mirakl.FakeOrder) {
		o.Shipping.Country, o.Shipping.CountryISOCode, o.Shipping.City, o.Shipping.ZipCode = "Suisse", "CHE", "Genève", "1201"
	})
	f.waitBlocked(t, models.BlockedCountryInactive, 2)
	key := url.Values{"connection": {strconv.FormatInt(f.conn.ID, 10)}, "side": {"store"}, "reason": {models.BlockedCountryInactive}, "cause": {"CH"}}

	// Staff see the fix but only an administrator changes the connection.
	f.app.addUser(f.merchant.ID, "staff@acme.test", models.RoleStaff)
	staff := f.app.client()
	staff.login("staff@acme.test", testPassword)
	page := staff.get(views.GroupURL(models.GroupKey{ConnectionID: f.conn.ID, Side: "store", Reason: models.BlockedCountryInactive, Cause: "CH"}))
	if h1 := page.text("h1"); h1 != "Country Switzerland not active" {
		t.Fatalf("group page heading %q", h1)
	}
	expectStatus(t, staff.post("/errors/group/activate-country", cloneValues(key)), http.StatusForbidden)

	admin := f.app.client()
	admin.login("admin@acme.test", testPassword)
	admin.get("/errors") // a page, for the form token
	expectRedirect(t, admin.post("/errors/group/activate-country", cloneValues(key)), "/errors")
	eventually(t, "the Swiss orders in the store", func() bool { return f.storeOrders(swiss) == 2 })
	conn, err := models.MerchantConnection(context.Background(), f.app.db.Gorm, f.merchant.ID, f.conn.ID)
	if err != nil || !conn.CountryActive("CH") {
		t.Fatalf("CH not active on the connection: %q %v", conn.ActiveCountries, err)
	}

	// A group of three orders to a country still inactive is refused in bulk, after a
	// confirmation that says how many and where.
	norway := f.addOrders(3, func(o *mirakl.FakeOrder) {
		o.Shipping.Country, o.Shipping.CountryISOCode, o.Shipping.City, o.Shipping.ZipCode = "Norge", "NOR", "Oslo", "0150"
	})
	f.waitBlocked(t, models.BlockedCountryInactive, 3)
	bulk := url.Values{"connection": {strconv.FormatInt(f.conn.ID, 10)}, "side": {"store"}, "reason": {models.BlockedCountryInactive},
		"cause": {"NO"}, "all": {"1"}, "action": {"refuse"}, "why": {"We do not ship to Norway."}}
	none := cloneValues(bulk)
	none.Del("all")
	expectStatus(t, admin.post("/errors/bulk", none), http.StatusUnprocessableEntity)

	confirm := admin.post("/errors/bulk", bulk)
	expectStatus(t, confirm, http.StatusOK)
	if h1 := confirm.text("h1"); h1 != "Refuse 3 orders?" {
		t.Fatalf("confirmation heading %q", h1)
	}
	if where := confirm.text("[data-testid=confirm-connections]"); !strings.Contains(where, "Fnac → Acme shop (Mirakl") {
		t.Fatalf("confirmation names %q", where)
	}
	for _, id := range norway {
		if snap, _ := f.market.Order(id); snap.State == "REFUSED" || snap.State == "CANCELED" {
			t.Fatalf("order %s is %s before the confirmation", id, snap.State)
		}
	}
	bulk.Set("confirm", "1")
	done := admin.post("/errors/bulk", bulk)
	if done.status != http.StatusSeeOther && done.status != http.StatusFound {
		t.Fatalf("confirmed bulk refusal: %d %s", done.status, done.text("main"))
	}
	// Accepted by the connection's auto-accept, they are cancelled on the marketplace.
	eventually(t, "the three orders closed on the marketplace", func() bool {
		for _, id := range norway {
			if snap, _ := f.market.Order(id); snap.State != "REFUSED" && snap.State != "CANCELED" {
				return false
			}
		}
		return true
	})
	if page := admin.get("/errors"); page.doc.Find("li.error-group").Length() != 0 {
		t.Fatalf("the refused group is still in the queue: %s", page.text("main"))
	}
}

// Another merchant reaches none of the group's pages or fixes.
func TestAnotherMerchantCannotReachTheGroup(t *testing.T) {
	f := newQueueFixture(t)
	f.addOrders(1, func(o *mirakl.FakeOrder) {
		o.Lines = []mirakl.FakeLine{{SKU: "CAMP-STOVE-X", Title: "Camping stove", Quantity: 1, UnitPrice: "34.90", ShippingPrice: "4.90"}}
	})
	f.waitBlocked(t, models.BlockedUnknownProduct, 1)
	f.app.signUp("Other", "admin@other.test")
	other := f.app.client()
	other.login("admin@other.test", testPassword)
	k := models.GroupKey{ConnectionID: f.conn.ID, Side: "store", Reason: models.BlockedUnknownProduct, Cause: "CAMP-STOVE-X"}
	expectStatus(t, other.get(views.GroupURL(k)), http.StatusNotFound)
	other.get("/errors") // a page, for the form token
	key := url.Values{"connection": {strconv.FormatInt(f.conn.ID, 10)}, "side": {"store"}, "reason": {k.Reason}, "cause": {k.Cause}}
	link := cloneValues(key)
	link.Set(views.LinkField("CAMP-STOVE-X"), "STOVE-COMPACT")
	expectStatus(t, other.post("/errors/group/link", link), http.StatusNotFound)
	expectStatus(t, other.get(fmt.Sprintf("/connections/%d/skus?q=STOVE", f.conn.ID)), http.StatusNotFound)
	bulk := cloneValues(key)
	bulk.Set("all", "1")
	bulk.Set("action", "refuse")
	bulk.Set("confirm", "1")
	if page := other.post("/errors/bulk", bulk); page.status < 400 {
		t.Fatalf("another merchant's bulk refusal answered %d", page.status)
	}
	var aliases int64
	f.app.db.Gorm.Model(&models.SKUAlias{}).Count(&aliases)
	if aliases != 0 {
		t.Fatalf("%d SKU links saved by another merchant", aliases)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, values := range v {
		out[k] = append([]string(nil), values...)
	}
	return out
}

// A store carrier the marketplace does not know blocks the shipments; choosing the carrier
// from the queue, with a rule for later tracking numbers, sends them.
func TestUnmappedCarrierChosenFromTheQueue(t *testing.T) {
	f := newQueueFixture(t)
	// Without a default carrier, an unknown store carrier blocks the shipment.
	if err := f.app.db.Gorm.Model(f.conn).Updates(map[string]any{"default_carrier_code": "", "default_carrier_name": ""}).Error; err != nil {
		t.Fatal(err)
	}
	ids := f.addOrders(2, func(*mirakl.FakeOrder) {})
	eventually(t, "the two orders in the store", func() bool { return f.storeOrders(ids) == 2 })
	for _, o := range f.store.Orders() {
		err := f.store.CompleteOrder(o.ID, &woocommerce.TrackingItem{CustomTrackingProvider: "Speedy Parcels", TrackingNumber: fmt.Sprintf("SP%09d", o.ID)})
		if err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "two shipments blocked by the carrier", func() bool {
		var n int64
		f.app.db.Gorm.Model(&models.Order{}).Where("shipment_blocked_reason = ?", models.BlockedCarrierUnmapped).Count(&n)
		return n == 2
	})
	c := f.app.client()
	c.login("admin@acme.test", testPassword)
	k := models.GroupKey{ConnectionID: f.conn.ID, Side: "shipment", Reason: models.BlockedCarrierUnmapped, Cause: "Speedy Parcels"}
	page := c.get(views.GroupURL(k))
	expectStatus(t, page, http.StatusOK)
	if h1 := page.text("h1"); h1 != "Carrier “Speedy Parcels” not mapped" {
		t.Fatalf("group heading %q", h1)
	}
	if page.doc.Find(`#f-carrier option[value="DPD"]`).Length() != 1 {
		t.Fatalf("the marketplace's carriers are not offered: %s", page.text("#f-carrier"))
	}
	form := url.Values{"connection": {strconv.FormatInt(f.conn.ID, 10)}, "side": {"shipment"}, "reason": {k.Reason}, "cause": {k.Cause}}
	expectStatus(t, c.post("/errors/group/carrier", cloneValues(form)), http.StatusUnprocessableEntity)
	form.Set("carrier", "DPD")
	form.Set("rule_prefix", "SP")
	expectRedirect(t, c.post("/errors/group/carrier", form), "/errors")
	eventually(t, "both shipments on the marketplace with DPD", func() bool {
		for _, id := range ids {
			if snap, _ := f.market.Order(id); snap.CarrierCode != "DPD" {
				return false
			}
		}
		return true
	})
	rules, err := models.ConnectionCarrierRules(context.Background(), f.app.db.Gorm, f.merchant.ID, f.conn.ID)
	if err != nil || len(rules) != 1 || rules[0].Pattern != "SP" || rules[0].CarrierCode != "DPD" {
		t.Fatalf("saved rules %+v %v", rules, err)
	}
}

// A product added to the store after the orders came is found by refreshing the catalogue
// from the queue, and the orders waiting for it go through; an order short of stock is imported
// anyway by hand.
func TestCatalogueRefreshAndImportAnywayFromTheQueue(t *testing.T) {
	f := newQueueFixture(t)
	kettles := f.addOrders(2, func(o *mirakl.FakeOrder) {
		o.Lines = []mirakl.FakeLine{{SKU: "KETTLE-1L", Title: "Camping kettle", Quantity: 1, UnitPrice: "19.90", ShippingPrice: "3.90"}}
	})
	lanterns := f.addOrders(1, func(o *mirakl.FakeOrder) {
		o.Lines = []mirakl.FakeLine{{SKU: "LANTERN-LED", Title: "LED lantern", Quantity: 3, UnitPrice: "29.90", ShippingPrice: "4.90"}}
	})
	f.waitBlocked(t, models.BlockedUnknownProduct, 2)
	f.waitBlocked(t, models.BlockedOutOfStock, 1)

	c := f.app.client()
	c.login("admin@acme.test", testPassword)
	c.get("/errors")
	f.store.AddProduct(woocommerce.ProductSpec{Name: "Camping kettle, 1 l", SKU: "KETTLE-1L", RegularPrice: "19.90", ManageStock: true, StockQuantity: 50})
	key := url.Values{"connection": {strconv.FormatInt(f.conn.ID, 10)}, "side": {"store"}, "reason": {models.BlockedUnknownProduct}, "cause": {"KETTLE-1L"}}
	refresh := c.post("/errors/group/refresh", key)
	if refresh.status != http.StatusSeeOther && refresh.status != http.StatusFound {
		t.Fatalf("refresh: %d %s", refresh.status, refresh.text("main"))
	}
	eventually(t, "the kettle orders in the store after the refresh", func() bool { return f.storeOrders(kettles) == 2 })

	var lantern models.Order
	f.app.db.Gorm.Where("marketplace_order_id = ?", lanterns[0]).First(&lantern)
	stock := url.Values{"connection": {strconv.FormatInt(f.conn.ID, 10)}, "side": {"store"}, "reason": {models.BlockedOutOfStock}, "cause": {"LANTERN-LED"}}
	page := c.get(views.GroupURL(models.GroupKey{ConnectionID: f.conn.ID, Side: "store", Reason: models.BlockedOutOfStock, Cause: "LANTERN-LED"}))
	if page.doc.Find(`tr[data-order] button[formaction$="/import-anyway"]`).Length() != 1 {
		t.Fatalf("no import-anyway button: %s", page.text("main"))
	}
	expectRedirect(t, c.post(fmt.Sprintf("/orders/%d/import-anyway", lantern.ID), stock), "/errors")
	eventually(t, "the lantern order in the store", func() bool { return f.storeOrders(lanterns) == 1 })
	if timeline := c.get(fmt.Sprintf("/orders/%d", lantern.ID)).text(".timeline"); !strings.Contains(timeline, "Import anyway: the stock check is skipped for this order.") {
		t.Fatalf("timeline:\n%s", timeline)
	}
}
