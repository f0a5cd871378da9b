package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/models"
)

// actionsConnection saves an API-store connection with a default carrier and two carrier
// rules: 1Z… is UPS, 6A… is Colissimo.
func (a *testApp) actionsConnection(merchantID int64) *models.Connection {
	a.t.Helper()
	c := a.apiConnection(merchantID, "Fnac")
	c.DefaultCarrierCode, c.DefaultCarrierName, c.DefaultCarrierURL = "OTHER", "Other carrier", "https://track.example/{tracking}"
	if err := models.SaveConnection(context.Background(), a.db.Gorm, c); err != nil {
		a.t.Fatal(err)
	}
	rules := []models.CarrierRule{
		{Position: 1, MatchKind: models.MatchStartsWith, Pattern: "1Z", CarrierCode: "UPS", CarrierName: "UPS", TrackingURLTemplate: "https://www.ups.com/track?tracknum={tracking}"},
		{Position: 2, MatchKind: models.MatchStartsWith, Pattern: "6A", CarrierCode: "COLISSIMO", CarrierName: "Colissimo", TrackingURLTemplate: "https://www.laposte.fr/suivi?code={tracking}"},
	}
	for _, r := range rules {
		r.MerchantID, r.ConnectionID = merchantID, c.ID
		if err := a.db.Gorm.Create(&r).Error; err != nil {
			a.t.Fatal(err)
		}
	}
	return c
}

// actionsOrder imports an order waiting shipment with two lines (2 × SKU-1, 1 × SKU-2) and,
// when acknowledged, marks it imported by the shop.
func (a *testApp) actionsOrder(c *models.Connection, marketplaceID string, acknowledged bool) *models.Order {
	a.t.Helper()
	ctx := context.Background()
	in := &models.Order{MarketplaceOrderID: marketplaceID, Status: models.StatusWaitingShipment, Currency: "EUR", TotalAmount: 2990,
		PlacedAt: time.Now(), MarketplaceUpdatedAt: time.Now(),
		Shipping: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "1 Main St", PostalCode: "N1", City: "London", Country: "GB"},
		Lines: []models.OrderLine{
			{MarketplaceLineID: marketplaceID + "-1", SKU: "SKU-1", Title: "Tent", Quantity: 2, UnitPrice: 995},
			{MarketplaceLineID: marketplaceID + "-2", SKU: "SKU-2", Title: "Stove", Quantity: 1, UnitPrice: 1000},
		}}
	var o *models.Order
	err := a.db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		if o, _, err = models.ImportOrder(ctx, tx, c, in, time.Now()); err != nil || !acknowledged {
			return err
		}
		return models.AcknowledgeOrder(ctx, tx, o, "WEB-"+marketplaceID, "test", time.Now())
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return o
}

func (a *testApp) reload(o *models.Order) *models.Order {
	a.t.Helper()
	fresh, err := models.MerchantOrder(context.Background(), a.db.Gorm, o.MerchantID, o.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return fresh
}

func (a *testApp) jobCount(kind string) int64 {
	a.t.Helper()
	var n int64
	if err := a.db.Gorm.Raw("SELECT count(*) FROM river_job WHERE kind = ?", kind).Scan(&n).Error; err != nil {
		a.t.Fatal(err)
	}
	return n
}

func orderURL(o *models.Order, action string) string {
	if action == "" {
		return fmt.Sprintf("/orders/%d", o.ID)
	}
	return fmt.Sprintf("/orders/%d/%s", o.ID, action)
}

// actionForms lists the actions the page offers, by their forms' data-action.
func actionForms(p *page) string {
	var names []string
	p.doc.Find("form[data-action]").Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.AttrOr("data-action", ""))
	})
	return strings.Join(names, ",")
}

// fullShipment is the ship form filled for the whole of an actionsOrder.
func fullShipment(o *models.Order, tracking string) url.Values {
	form := url.Values{"tracking_number": {tracking}, "carrier": {"Colissimo"}, "carrier_other": {""}, "tracking_url": {""}}
	for _, line := range o.Lines {
		form.Set(fmt.Sprintf("qty_%d", line.ID), fmt.Sprint(line.Quantity))
	}
	return form
}

func TestOrderActionsShipRecordsTheShipmentOnceWithTheWholeOrder(t *testing.T) {
	app := newTestApp(t)
	m, admin := app.signUp("Acme", "admin@acme.test")
	o := app.actionsOrder(app.actionsConnection(m.ID), "SHIP-1", true)
	c := app.client()
	c.login("admin@acme.test", testPassword)

	show := c.get(orderURL(o, ""))
	expectStatus(t, show, http.StatusOK)
	if got := actionForms(show); got != "ship,cancel" {
		t.Fatalf("an acknowledged order waiting shipment offers %q", got)
	}
	// The form starts with the full quantities and the connection's default carrier.
	for _, line := range o.Lines {
		if v := show.doc.Find(fmt.Sprintf("input[name=qty_%d]", line.ID)).AttrOr("value", ""); v != fmt.Sprint(line.Quantity) {
			t.Errorf("line %s pre-filled with %q", line.SKU, v)
		}
	}
	if selected := show.text("#f-carrier option[selected]"); selected != "Other carrier" {
		t.Errorf("carrier pre-selected %q", selected)
	}
	if options := show.text("#f-carrier"); !strings.Contains(options, "UPS") || !strings.Contains(options, "Colissimo") || !strings.Contains(options, "Another carrier") {
		t.Errorf("carrier options %q", options)
	}
	if show.doc.Find("#order-page[hx-trigger]").Length() != 0 {
		t.Error("the page polls while no shipment is on its way")
	}

	// A partial shipment is refused, with the form as typed.
	partial := fullShipment(o, "6A123456789")
	partial.Set(fmt.Sprintf("qty_%d", o.Lines[0].ID), "1")
	p := c.post(orderURL(o, "ship"), partial)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#e-lines"); !strings.Contains(msg, "whole order, once") || !strings.Contains(msg, "full quantity") {
		t.Errorf("partial shipment message %q", msg)
	}
	if v := p.doc.Find("#f-tracking_number").AttrOr("value", ""); v != "6A123456789" {
		t.Errorf("tracking number not kept: %q", v)
	}
	if v := p.doc.Find(fmt.Sprintf("input[name=qty_%d]", o.Lines[0].ID)).AttrOr("value", ""); v != "1" {
		t.Errorf("quantity not kept: %q", v)
	}
	// Leaving every line out is not a shipment either.
	none := fullShipment(o, "6A123456789")
	for _, line := range o.Lines {
		none.Set(fmt.Sprintf("qty_%d", line.ID), "0")
	}
	if p := c.post(orderURL(o, "ship"), none); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.text("#e-lines"), "whole order") {
		t.Errorf("no line shipped: %d %q", p.status, p.text("#e-lines"))
	}

	// Bad fields get their message next to them; nothing typed is lost.
	bad := fullShipment(o, "6A123456789")
	bad.Set("carrier", "")
	bad.Set("tracking_url", "laposte.fr/track")
	bad.Set(fmt.Sprintf("qty_%d", o.Lines[1].ID), "3")
	p = c.post(orderURL(o, "ship"), bad)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#ship-carrier .field.invalid .field-error"); !strings.Contains(msg, "Choose the carrier") {
		t.Errorf("carrier message %q", msg)
	}
	if msg := p.text("#e-tracking_url"); !strings.Contains(msg, "https://") {
		t.Errorf("tracking URL message %q", msg)
	}
	if msg := p.text(fmt.Sprintf("tr[data-line='%d'] .field-error", o.Lines[1].ID)); msg != "Enter a whole number from 0 to 1." {
		t.Errorf("quantity message %q", msg)
	}
	if v := p.doc.Find("#f-tracking_url").AttrOr("value", ""); v != "laposte.fr/track" {
		t.Errorf("tracking URL not kept: %q", v)
	}
	if got := app.reload(o); got.ShipmentState != models.ShipmentNone || app.jobCount("process_order") != 0 {
		t.Fatalf("a refused form changed the order: %s", got.ShipmentState)
	}

	// The whole order ships; the page then follows the shipment.
	p = c.post(orderURL(o, "ship"), fullShipment(o, "6A123456789"))
	expectRedirect(t, p, orderURL(o, ""))
	got := app.reload(o)
	if got.ShipmentState != models.ShipmentReady || got.CarrierName != "Colissimo" || got.TrackingNumber != "6A123456789" || got.ShippedAt == nil {
		t.Fatalf("after shipping: %s %q %q", got.ShipmentState, got.CarrierName, got.TrackingNumber)
	}
	if app.jobCount("process_order") == 0 {
		t.Fatal("no job takes the shipment to the marketplace")
	}
	show = c.get(orderURL(o, ""))
	if flash := show.text(".flash.success"); !strings.Contains(flash, "Marked as shipped") {
		t.Errorf("flash %q", flash)
	}
	if timeline := show.text(".timeline"); !strings.Contains(timeline, fmt.Sprintf("user:%d", admin.ID)) || !strings.Contains(timeline, "Marked as shipped by hand") || !strings.Contains(timeline, "6A123456789") {
		t.Errorf("timeline %q", timeline)
	}
	if poll := show.doc.Find("#order-page"); poll.AttrOr("hx-trigger", "") != "every 3s" || poll.AttrOr("hx-get", "") != orderURL(o, "") {
		t.Error("the page does not follow the shipment on its way")
	}
	if got := actionForms(show); got != "" {
		t.Errorf("a shipped order still offers %q", got)
	}

	// Shipping again, now that the state no longer allows it, is refused and changes nothing.
	p = c.post(orderURL(o, "ship"), fullShipment(o, "1Z999"))
	expectStatus(t, p, http.StatusConflict)
	if msg := p.text(`[data-testid="action-refused"]`); !strings.Contains(msg, "not marked as shipped") || !strings.Contains(msg, "Nothing was changed") {
		t.Errorf("refusal %q", msg)
	}
	if got := app.reload(o); got.TrackingNumber != "6A123456789" {
		t.Fatalf("the second shipment changed the order: %q", got.TrackingNumber)
	}
}

func TestOrderActionsShipWithAnotherCarrierAndHTMX(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	o := app.actionsOrder(app.actionsConnection(m.ID), "SHIP-2", true)
	c := app.client()
	c.login("admin@acme.test", testPassword)
	c.get(orderURL(o, ""))

	// A boosted form with an error gets the whole page, at the order's address.
	bad := fullShipment(o, "CV-88")
	bad.Set("carrier", "")
	req, _ := http.NewRequest(http.MethodPost, app.base+orderURL(o, "ship"), strings.NewReader(bad.Encode()+"&_csrf="+url.QueryEscape(c.csrf)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Boosted", "true")
	p := c.do(req)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.body, "<html") || p.header.Get("HX-Replace-Url") != orderURL(o, "") {
		t.Fatalf("boosted refusal: HX-Replace-Url %q, whole page %v", p.header.Get("HX-Replace-Url"), strings.Contains(p.body, "<html"))
	}

	// A carrier the list does not have is typed; an htmx request is sent on with HX-Redirect.
	form := fullShipment(o, "CV-88")
	form.Set("carrier", "")
	form.Set("carrier_other", "Coursier Vélo")
	form.Set("tracking_url", "https://coursier.example/CV-88")
	form.Set("_csrf", c.csrf)
	req, _ = http.NewRequest(http.MethodPost, app.base+orderURL(o, "ship"), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	p = c.do(req)
	if p.status != http.StatusNoContent || p.header.Get("HX-Redirect") != orderURL(o, "") {
		t.Fatalf("htmx shipment: %d, HX-Redirect %q", p.status, p.header.Get("HX-Redirect"))
	}
	if got := app.reload(o); got.CarrierName != "Coursier Vélo" || got.TrackingURL != "https://coursier.example/CV-88" || got.ShipmentState != models.ShipmentReady {
		t.Fatalf("after shipping: %+v", got)
	}

	// The page polls for its own block: an htmx request gets the block, not the layout.
	fragment := c.get(orderURL(o, ""), "HX-Request", "true")
	expectStatus(t, fragment, http.StatusOK)
	if strings.Contains(fragment.body, "<html") || fragment.doc.Find("#order-page").Length() != 1 {
		t.Fatalf("fragment: %s", fragment.body)
	}
	if full := c.get(orderURL(o, ""), "HX-Request", "true", "HX-Boosted", "true"); !strings.Contains(full.body, "<html") {
		t.Fatal("a boosted request did not get the whole page")
	}
}

func TestOrderActionsCarrierPrefillFollowsTheRules(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	conn := app.actionsConnection(m.ID)
	o := app.actionsOrder(conn, "PREFILL-1", true)
	c := app.client()
	c.login("admin@acme.test", testPassword)

	show := c.get(orderURL(o, ""))
	tracking := show.doc.Find("#f-tracking_number")
	if tracking.AttrOr("hx-get", "") != orderURL(o, "carrier") || tracking.AttrOr("hx-trigger", "") != "input changed delay:300ms" || tracking.AttrOr("hx-target", "") != "#ship-carrier" {
		t.Fatalf("tracking field: %v", tracking.Nodes[0].Attr)
	}

	// A number a rule matches: that rule's carrier and URL, and the rule named.
	p := c.get(orderURL(o, "carrier")+"?tracking_number=6A0001", "HX-Request", "true")
	expectStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, "<html") || p.doc.Find("#ship-carrier").Length() != 1 {
		t.Fatalf("not a fragment: %s", p.body)
	}
	if got := p.text(`[data-testid="carrier-rule"]`); got != "Rule 2: starts with 6A → Colissimo" {
		t.Errorf("rule shown %q", got)
	}
	if got := p.text("#f-carrier option[selected]"); got != "Colissimo" {
		t.Errorf("carrier %q", got)
	}
	if got := p.doc.Find("#f-tracking_url").AttrOr("value", ""); got != "https://www.laposte.fr/suivi?code=6A0001" {
		t.Errorf("tracking URL %q", got)
	}

	// No rule matches: the default carrier.
	p = c.get(orderURL(o, "carrier")+"?tracking_number=XX42", "HX-Request", "true")
	if got := p.text("#f-carrier option[selected]"); got != "Other carrier" {
		t.Errorf("carrier %q", got)
	}
	if got := p.doc.Find("#f-tracking_url").AttrOr("value", ""); got != "https://track.example/XX42" {
		t.Errorf("tracking URL %q", got)
	}
	if got := p.text(`[data-testid="carrier-rule"]`); !strings.Contains(got, "No rule matches") || !strings.Contains(got, "Other carrier") {
		t.Errorf("rule shown %q", got)
	}

	// No default carrier either: the person is asked to choose.
	app.db.Gorm.Model(&models.Connection{}).Where("id = ?", conn.ID).Updates(map[string]any{"default_carrier_name": "", "default_carrier_code": "", "default_carrier_url": ""})
	p = c.get(orderURL(o, "carrier")+"?tracking_number=XX42", "HX-Request", "true")
	if got := p.text(`[data-testid="carrier-rule"]`); !strings.Contains(got, "choose the carrier") {
		t.Errorf("rule shown %q", got)
	}
	if got := p.doc.Find("#f-carrier option[selected]").AttrOr("value", "-"); got != "" {
		t.Errorf("carrier selected %q, want another carrier", got)
	}
}

func TestOrderActionsRetryBlockedOrder(t *testing.T) {
	app := newTestApp(t)
	m, admin := app.signUp("Acme", "admin@acme.test")
	o := app.actionsOrder(app.actionsConnection(m.ID), "BLOCKED-1", false)
	app.block(o, models.BlockedUnknownProduct, "SKU-2 is not in the store's catalogue.")
	c := app.client()
	c.login("admin@acme.test", testPassword)

	show := c.get(orderURL(o, ""))
	if got := actionForms(show); got != "retry,cancel" {
		t.Fatalf("a blocked order offers %q", got)
	}
	p := c.post(orderURL(o, "retry"), nil)
	expectRedirect(t, p, orderURL(o, ""))
	if got := app.reload(o); got.StoreState != models.StorePending || app.jobCount("process_order") == 0 {
		t.Fatalf("after retry: store %s, %d jobs", got.StoreState, app.jobCount("process_order"))
	}
	show = c.get(orderURL(o, ""))
	if flash := show.text(".flash.success"); !strings.Contains(flash, "Retrying") {
		t.Errorf("flash %q", flash)
	}
	if timeline := show.text(".timeline"); !strings.Contains(timeline, fmt.Sprintf("user:%d", admin.ID)) || !strings.Contains(timeline, "Retry after the unknown product was fixed") {
		t.Errorf("timeline %q", timeline)
	}
	if got := actionForms(show); strings.Contains(got, "retry") {
		t.Errorf("an order no longer blocked offers %q", got)
	}
	p = c.post(orderURL(o, "retry"), nil)
	expectStatus(t, p, http.StatusConflict)
	if msg := p.text(`[data-testid="action-refused"]`); !strings.Contains(msg, "not retried") || !strings.Contains(msg, "not blocked") {
		t.Errorf("refusal %q", msg)
	}
}

func TestOrderActionsRefusedInAStateThatDoesNotAllowThem(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	conn := app.actionsConnection(m.ID)
	shipped := app.orderWithSKUs(conn, "SHIPPED-9", models.StatusShipped, "A")
	notAcknowledged := app.actionsOrder(conn, "PENDING-9", false)
	c := app.client()
	c.login("admin@acme.test", testPassword)

	show := c.get(orderURL(shipped, ""))
	if got := actionForms(show); got != "" || show.doc.Find(".order-actions").Length() != 0 {
		t.Fatalf("a shipped order offers %q", got)
	}
	for _, action := range []string{"accept", "refuse", "cancel", "ship", "retry"} {
		form := fullShipment(shipped, "6A1")
		form.Set("refuse_reason", "no stock")
		p := c.post(orderURL(shipped, action), form)
		expectStatus(t, p, http.StatusConflict)
		if msg := p.text(`[data-testid="action-refused"]`); !strings.Contains(msg, "Nothing was changed") {
			t.Errorf("%s: refusal %q", action, msg)
		}
	}
	if got := app.reload(shipped); got.Status != models.StatusShipped || got.StoreState != shipped.StoreState || got.ShipmentState != shipped.ShipmentState {
		t.Fatalf("refused actions changed the order: %+v", got)
	}
	if n := app.jobCount("decide_order") + app.jobCount("process_order"); n != 0 {
		t.Fatalf("refused actions queued %d jobs", n)
	}

	// A shop has not acknowledged this one yet: it cannot be shipped, but can be cancelled.
	if got := actionForms(c.get(orderURL(notAcknowledged, ""))); got != "cancel" {
		t.Fatalf("an order not acknowledged offers %q", got)
	}
}

func TestOrderActionsBelongToTheMerchant(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	theirs := app.actionsOrder(app.actionsConnection(other.ID), "THEIRS-1", true)
	c := app.client()
	c.login("admin@acme.test", testPassword)

	expectStatus(t, c.get(orderURL(theirs, "")), http.StatusNotFound)
	expectStatus(t, c.get(orderURL(theirs, "carrier")+"?tracking_number=6A1"), http.StatusNotFound)
	for _, action := range []string{"accept", "refuse", "cancel", "ship", "retry"} {
		form := fullShipment(theirs, "6A1")
		form.Set("refuse_reason", "no stock")
		expectStatus(t, c.post(orderURL(theirs, action), form), http.StatusNotFound)
	}
	if got := app.reload(theirs); got.ShipmentState != models.ShipmentNone || got.StoreState != models.StoreImported {
		t.Fatalf("another merchant changed the order: %+v", got)
	}
}

func TestOrderActionsNeedTheCSRFToken(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	o := app.actionsOrder(app.actionsConnection(m.ID), "CSRF-1", true)
	c := app.client()
	c.login("admin@acme.test", testPassword)
	c.get(orderURL(o, ""))

	for _, action := range []string{"ship", "cancel"} {
		p := c.postRaw(orderURL(o, action), fullShipment(o, "6A1"))
		expectStatus(t, p, http.StatusForbidden)
		if !strings.Contains(p.text("main"), "Reload the page") {
			t.Errorf("%s without token: %q", action, p.text("main"))
		}
	}
	if got := app.reload(o); got.ShipmentState != models.ShipmentNone || got.StoreState != models.StoreImported {
		t.Fatalf("a post without token changed the order: %+v", got)
	}
}

// TestOrderActionsDecideAndCancelOnTheMarketplace runs the jobs against a fake Mirakl
// marketplace: each decision taken on the page reaches it.
func TestOrderActionsDecideAndCancelOnTheMarketplace(t *testing.T) {
	app, fake, token, merchantID := pullShop(t, func(c *models.Connection) { c.AutoAccept = false })
	acceptedID := fake.AddOrder(mirakl.SampleOrder(0))
	refusedID := fake.AddOrder(mirakl.SampleOrder(2))
	var waiting listedOrders
	eventually(t, "both orders waiting acceptance", func() bool {
		waiting = app.list(token, "?status=waiting_acceptance")
		return len(waiting.Orders) == 2
	})
	byRef := map[string]*models.Order{}
	for _, id := range ids(waiting) {
		o, _ := models.MerchantOrder(context.Background(), app.db.Gorm, merchantID, id)
		byRef[o.MarketplaceOrderID] = o
	}
	accepted, refused := byRef[acceptedID], byRef[refusedID]
	var admin models.User
	app.db.Gorm.Where("email = ?", "admin@acme.test").First(&admin)
	c := app.client()
	c.login("admin@acme.test", testPassword)

	show := c.get(orderURL(refused, ""))
	if got := actionForms(show); got != "accept,refuse" {
		t.Fatalf("an order waiting acceptance offers %q", got)
	}
	// Refusing needs a reason; the form says so next to the field.
	p := c.post(orderURL(refused, "refuse"), url.Values{"refuse_reason": {"   "}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if msg := p.text("#e-refuse_reason"); !strings.Contains(msg, "Type why you refuse") {
		t.Fatalf("missing reason: %q", msg)
	}
	if p.doc.Find(`form[data-action="refuse"] .field.invalid #f-refuse_reason`).Length() != 1 {
		t.Error("the error is not next to the reason field")
	}
	expectRedirect(t, c.post(orderURL(refused, "refuse"), url.Values{"refuse_reason": {"no stock left"}}), orderURL(refused, ""))
	expectRedirect(t, c.post(orderURL(accepted, "accept"), nil), orderURL(accepted, ""))
	if flash := c.get(orderURL(accepted, "")).text(".flash.success"); !strings.Contains(flash, "Accepted") {
		t.Errorf("flash %q", flash)
	}
	eventually(t, "the refusal on the marketplace", func() bool {
		snap, _ := fake.Order(refusedID)
		return snap.State == "REFUSED"
	})
	eventually(t, "the acceptance on the marketplace", func() bool {
		return app.reload(accepted).Status == models.StatusWaitingShipment
	})
	show = c.get(orderURL(accepted, ""))
	if timeline := show.text(".timeline"); !strings.Contains(timeline, fmt.Sprintf("user:%d", admin.ID)) || !strings.Contains(timeline, "Accepted on the marketplace.") {
		t.Errorf("timeline %q", timeline)
	}
	if got := actionForms(show); strings.Contains(got, "accept") || !strings.Contains(got, "cancel") {
		t.Errorf("an accepted order offers %q", got)
	}
	p = c.post(orderURL(accepted, "accept"), nil)
	expectStatus(t, p, http.StatusConflict)
	if msg := p.text(`[data-testid="action-refused"]`); !strings.Contains(msg, "not accepted") || !strings.Contains(msg, "not waiting acceptance") {
		t.Errorf("accepting again: %q", msg)
	}

	// Cancelling an accepted order cancels it on the marketplace.
	expectRedirect(t, c.post(orderURL(accepted, "cancel"), url.Values{"cancel_reason": {"buyer asked"}}), orderURL(accepted, ""))
	eventually(t, "the cancellation on the marketplace", func() bool {
		snap, _ := fake.Order(acceptedID)
		return snap.State == "CANCELED" && app.reload(accepted).Status == models.StatusCancelled
	})
	show = c.get(orderURL(accepted, ""))
	if timeline := show.text(".timeline"); !strings.Contains(timeline, "Cancelled by the store (buyer asked)") {
		t.Errorf("timeline %q", timeline)
	}
	if got := actionForms(show); got != "" {
		t.Errorf("a cancelled order offers %q", got)
	}
	p = c.post(orderURL(accepted, "cancel"), nil)
	expectStatus(t, p, http.StatusConflict)
	if msg := p.text(`[data-testid="action-refused"]`); !strings.Contains(msg, "not cancelled") {
		t.Errorf("cancelling again: %q", msg)
	}
}
