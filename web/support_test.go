package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/models"
)

// supportAgent creates a support agent, who belongs to no merchant.
func (a *testApp) supportAgent(email string) *models.User {
	a.t.Helper()
	u, err := models.CreateUser(context.Background(), a.db.Gorm, models.NewUser{Email: email, Name: "Sam Support", Password: testPassword, Role: models.RoleSupport})
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

func TestSupportAgentFixesAMerchantsOrderAndTheMerchantSeesIt(t *testing.T) {
	app := newTestApp(t)
	acme, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	o := app.importedOrder(acme.ID, "ACME-1")
	app.db.Gorm.Model(o).Update("billing_email", "jeanne@example.test")
	app.blockFor(o, models.BlockedMissingField, "phone", "The buyer's phone number is missing and the store requires it.")
	theirs := app.importedOrder(other.ID, "OTHER-1")
	agent := app.supportAgent("sam@orderhub.test")

	c := app.client()
	c.login("sam@orderhub.test", testPassword)
	// Outside any merchant's account, merchant pages lead to the support page.
	expectRedirect(t, c.get("/orders"), "/support")
	home := c.get("/support?q=JEANNE@example.test")
	expectStatus(t, home, http.StatusOK)
	hit := home.doc.Find(`[data-testid=support-hits] tr[data-order="ACME-1"]`)
	if !strings.Contains(hit.Text(), "Acme") {
		t.Fatalf("search by buyer e-mail: %q", home.text("[data-testid=support-hits]"))
	}
	if home.doc.Find(`li.error-group[data-merchant="Acme"][data-reason="missing_field"]`).Length() != 1 {
		t.Fatalf("support queue across merchants: %s", home.text("main"))
	}

	orderPath := "/orders/" + strconv.FormatInt(o.ID, 10)
	expectRedirect(t, c.post("/support/enter", url.Values{"merchant_id": {strconv.FormatInt(acme.ID, 10)}, "next": {orderPath}}), orderPath)
	page := c.get(orderPath)
	expectStatus(t, page, http.StatusOK)
	if banner := page.text("[data-testid=support-banner]"); !strings.Contains(banner, "Acme") {
		t.Fatalf("no support banner: %q", banner)
	}
	// Inside Acme's account, another merchant's order stays out of reach.
	expectStatus(t, c.get(fmt.Sprintf("/orders/%d", theirs.ID)), http.StatusNotFound)

	form := url.Values{"addr_first_name": {"Ada"}, "addr_last_name": {"Lovelace"}, "addr_street1": {"1 Main St"},
		"addr_postcode": {"N1 9GU"}, "addr_city": {"London"}, "addr_country": {"GB"}, "addr_phone": {"07400 123456"}, "addr_email": {"jeanne@example.test"}}
	saved := c.post(orderPath+"/address", form)
	if saved.status != http.StatusSeeOther && saved.status != http.StatusFound {
		t.Fatalf("address saved by support: %d %s", saved.status, saved.text("main"))
	}

	// The audit holds who, where, what, before and after.
	audit, err := models.MerchantAudit(context.Background(), app.db.Gorm, acme.ID, 10)
	if err != nil || len(audit) != 2 {
		t.Fatalf("audit events %v %v, want entering and the address", audit, err)
	}
	change := audit[0]
	if change.UserID != agent.ID || change.Action != "POST "+orderPath+"/address" || change.Subject != "order ACME-1" ||
		!strings.Contains(change.BeforeState, `phone ""`) || !strings.Contains(change.AfterState, `phone "+447400123456"`) ||
		!strings.Contains(change.BeforeState, "store blocked (missing_field)") || !strings.Contains(change.AfterState, "store pending") {
		t.Fatalf("audit event %+v", change)
	}
	if audit[1].Action != "enter the account" {
		t.Fatalf("first audit event %+v", audit[1])
	}
	if other, _ := models.MerchantAudit(context.Background(), app.db.Gorm, other.ID, 10); len(other) != 0 {
		t.Fatalf("the other merchant's audit holds %v", other)
	}

	// The merchant sees the support agent's change in the order's timeline.
	m := app.client()
	m.login("admin@acme.test", testPassword)
	timeline := m.get(orderPath).text(".timeline")
	if !strings.Contains(timeline, "support:Sam Support") || !strings.Contains(timeline, "Before: status waiting_shipment, store blocked (missing_field)") {
		t.Fatalf("timeline seen by the merchant:\n%s", timeline)
	}

	// Leaving the account ends the access.
	c.get("/support")
	expectRedirect(t, c.post("/support/leave", nil), "/support")
	expectRedirect(t, c.get(orderPath), "/support")
}

func TestOnlySupportAgentsReachTheSupportPages(t *testing.T) {
	app := newTestApp(t)
	acme, _ := app.signUp("Acme", "admin@acme.test")
	app.addUser(acme.ID, "staff@acme.test", models.RoleStaff)
	for _, email := range []string{"admin@acme.test", "staff@acme.test"} {
		c := app.client()
		c.login(email, testPassword)
		expectStatus(t, c.get("/support"), http.StatusNotFound)
		c.get("/dashboard")
		expectStatus(t, c.post("/support/enter", url.Values{"merchant_id": {strconv.FormatInt(acme.ID, 10)}}), http.StatusNotFound)
	}
	anonymous := app.client()
	if page := anonymous.get("/support"); page.status != http.StatusSeeOther && page.status != http.StatusFound {
		t.Fatalf("visitor on /support: %d", page.status)
	}
}

// Every change a support agent makes in a merchant's account is audited with the state of what
// it touched before and after.
func TestEverySupportChangeIsAudited(t *testing.T) {
	app := newTestApp(t)
	acme, _ := app.signUp("Acme", "admin@acme.test")
	shop := app.apiConnection(acme.ID, "Fnac → shop")
	retried := app.orderOn(shop, "R-1", models.StatusWaitingShipment)
	app.blockFor(retried, models.BlockedUnknownProduct, "SKU-1", "SKU SKU-1 matches no product of the store.")
	handled := app.orderOn(shop, "H-1", models.StatusWaitingShipment)
	app.blockFor(handled, models.BlockedStoreRejected, "postcode", "The shop could not import the order: postcode.")
	app.supportAgent("sam@orderhub.test")

	c := app.client()
	c.login("sam@orderhub.test", testPassword)
	c.get("/support")
	c.post("/support/enter", url.Values{"merchant_id": {strconv.FormatInt(acme.ID, 10)}, "next": {"/errors"}})
	c.get("/errors")
	group := url.Values{"connection": {strconv.FormatInt(shop.ID, 10)}, "side": {"store"}, "reason": {models.BlockedStoreRejected},
		"cause": {"postcode"}, "all": {"1"}, "action": {"handled"}, "confirm": {"1"}}
	steps := []struct {
		path          string
		form          url.Values
		before, after string
	}{
		{fmt.Sprintf("/orders/%d/retry", retried.ID), url.Values{}, "store blocked (unknown_product)", "store pending"},
		{fmt.Sprintf("/connections/%d/pause", shop.ID), url.Values{}, "state active", "state paused"},
		{"/errors/bulk", group, "1 orders blocked", "0 orders blocked"},
	}
	for _, step := range steps {
		if page := c.post(step.path, step.form); page.status >= 400 {
			t.Fatalf("%s: %d %s", step.path, page.status, page.text("main"))
		}
	}
	audit, err := models.MerchantAudit(context.Background(), app.db.Gorm, acme.ID, 10)
	if err != nil || len(audit) != len(steps)+1 {
		t.Fatalf("%d audit events (%v), want %d", len(audit), err, len(steps)+1)
	}
	for i, step := range steps {
		e := audit[len(steps)-1-i] // newest first
		if e.Action != "POST "+step.path || !strings.Contains(e.BeforeState, step.before) || !strings.Contains(e.AfterState, step.after) {
			t.Errorf("audit of %s: %+v", step.path, e)
		}
	}
}
