package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// The wizard asks who ships the orders where the marketplace can ship them itself, and not
// elsewhere; the choice is saved and shown on the connection's page.
func TestWizardAsksWhoShipsWhereTheMarketplaceCan(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)

	if mirakl := c.get("/connections/new"); mirakl.doc.Find(`[data-testid=fulfilment]`).Length() != 0 ||
		mirakl.doc.Find(`input[type=hidden][name=fulfilment][value=merchant]`).Length() != 1 {
		t.Fatalf("Mirakl's step asks who ships: %s", mirakl.text("form"))
	}
	amazon := c.get("/connections/new?marketplace_kind=amazon&name=Amazon+FBA", "HX-Request", "true")
	choices := amazon.doc.Find(`[data-testid=fulfilment] input[type=radio][name=fulfilment]`)
	if choices.Length() != 2 || !strings.Contains(amazon.text("[data-testid=fulfilment]"), "Fulfilment by Amazon") {
		t.Fatalf("Amazon's step: %s", amazon.text("form"))
	}
	if v, _ := amazon.doc.Find(`[data-testid=fulfilment] input[checked]`).Attr("value"); v != models.FulfilmentMerchant {
		t.Fatalf("checked by default: %q", v)
	}
	if bol := c.get("/connections/new?marketplace_kind=bol", "HX-Request", "true"); !strings.Contains(bol.text("[data-testid=fulfilment]"), "Fulfilled by bol") {
		t.Fatalf("bol's step: %s", bol.text("form"))
	}

	refused := c.post("/connections", url.Values{"marketplace_kind": {"mirakl"}, "name": {"Fnac"}, "country": {"FR"},
		"fulfilment": {"marketplace"}, "s_base_url": {"https://fnac.example"}})
	expectStatus(t, refused, http.StatusUnprocessableEntity)
	if !strings.Contains(refused.text("#e-fulfilment"), "ship yourself") {
		t.Fatalf("a marketplace-fulfilled Mirakl connection: %q", refused.text("form"))
	}

	saved := c.post("/connections", url.Values{"marketplace_kind": {"bol"}, "name": {"bol.com FBB"}, "country": {"NL"}, "fulfilment": {"marketplace"}})
	if saved.status != http.StatusSeeOther && saved.status != http.StatusFound {
		t.Fatalf("bol.com FBB connection: %d %s", saved.status, saved.text("main"))
	}
	conns, err := models.MerchantConnections(context.Background(), app.db.Gorm, m.ID)
	if err != nil || len(conns) != 1 || conns[0].Fulfilment != models.FulfilmentMarketplace {
		t.Fatalf("saved connections %+v %v", conns, err)
	}
}

// An account may have one active connection for the orders the merchant ships and one for
// those the marketplace ships; a second of the same kind is refused, naming the first, both
// when activated and when resumed.
func TestSecondActiveConnectionOfTheSameAccountAndFulfilmentIsRefused(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)
	c.get("/connections") // the session's form token
	ctx := context.Background()
	sealer, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	ready := func(name, fulfilment string) *models.Connection {
		t.Helper()
		conn := models.NewConnection(m.ID, name, "bol")
		conn.Country, conn.Fulfilment, conn.StoreKind = "NL", fulfilment, models.StoreKindAPI
		conn.DefaultCarrierCode, conn.DefaultCarrierName = "TNT", "PostNL"
		if err := conn.SetMarketplaceCredentials(sealer, models.Credentials{"client_id": "bol-account-1", "client_secret": "secret"}); err != nil {
			t.Fatal(err)
		}
		if err := models.SaveConnection(ctx, app.db.Gorm, conn); err != nil {
			t.Fatal(err)
		}
		return conn
	}
	activate := func(conn *models.Connection) *page {
		return c.post(fmt.Sprintf("/connections/%d/setup/activate", conn.ID), url.Values{"activation_date": {time.Now().Format("2006-01-02")}})
	}
	first := ready("bol.com NL", models.FulfilmentMerchant)
	expectRedirect(t, activate(first), fmt.Sprintf("/connections/%d", first.ID))

	twin := ready("bol.com NL again", models.FulfilmentMerchant)
	refused := activate(twin)
	expectStatus(t, refused, http.StatusUnprocessableEntity)
	if !strings.Contains(refused.text("#e-activation_date"), `"bol.com NL"`) {
		t.Fatalf("the refusal does not name the other connection: %q", refused.text("main"))
	}

	fbb := ready("bol.com FBB", models.FulfilmentMarketplace)
	expectRedirect(t, activate(fbb), fmt.Sprintf("/connections/%d", fbb.ID))
	if page := c.get(fmt.Sprintf("/connections/%d", fbb.ID)); !strings.Contains(page.text("main"), "The marketplace ships") {
		t.Fatalf("the connection page does not say who ships: %q", page.text("main"))
	}

	// Paused, the first lets the twin start; resumed, the first is refused in its turn.
	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/pause", first.ID), url.Values{}), fmt.Sprintf("/connections/%d", first.ID))
	expectRedirect(t, activate(twin), fmt.Sprintf("/connections/%d", twin.ID))
	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/resume", first.ID), url.Values{}), fmt.Sprintf("/connections/%d", first.ID))
	page := c.get(fmt.Sprintf("/connections/%d", first.ID))
	if !strings.Contains(page.text("main"), `"bol.com NL again"`) {
		t.Fatalf("resume refusal: %q", page.text("main"))
	}
	if again, _ := models.MerchantConnection(ctx, app.db.Gorm, m.ID, first.ID); again.State != models.ConnectionPaused {
		t.Fatalf("the first connection is %s", again.State)
	}
}
