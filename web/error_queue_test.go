package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// block moves an imported order to blocked with a reason, as the engine does; the message
// stands for the cause.
func (a *testApp) block(o *models.Order, reason, message string) {
	a.t.Helper()
	a.blockFor(o, reason, message, message)
}

// blockFor blocks the order for a reason and a cause.
func (a *testApp) blockFor(o *models.Order, reason, cause, message string) {
	a.t.Helper()
	err := a.db.Gorm.Transaction(func(tx *gorm.DB) error {
		return o.Transition(context.Background(), tx, models.Transition{Field: models.FieldStoreState, To: models.StoreBlocked,
			Reason: reason, Cause: cause, Message: message, Actor: models.ActorOrderhub}, time.Now())
	})
	if err != nil {
		a.t.Fatal(err)
	}
}

func TestErrorQueueGroupsBlockedOrdersByCause(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	shop := app.apiConnection(m.ID, "Fnac → custom shop")
	token := app.token(m.ID)
	first := app.orderOn(shop, "Q-1", models.StatusWaitingShipment)
	second := app.orderOn(shop, "Q-2", models.StatusWaitingShipment)
	third := app.orderOn(shop, "Q-3", models.StatusWaitingShipment)
	app.orderOn(shop, "Q-4", models.StatusWaitingShipment) // not blocked

	// The shop rejects three orders through the Store API, two for the same cause.
	body := fmt.Sprintf(`{"orders":[{"id":%d,"status":"error","message":"postcode N1 is not valid"},{"id":%d,"status":"error","message":"postcode N1 is not valid"},{"id":%d,"status":"error","message":"SKU-1 is discontinued"}]}`,
		first.ID, second.ID, third.ID)
	if res := app.api("POST", "/api/v1/orders/acknowledge", token, body); res.status != http.StatusOK || strings.Contains(string(res.body), `"ok":false`) {
		t.Fatalf("acknowledge: %d %s", res.status, res.body)
	}
	unknown := app.importedOrder(m.ID, "Q-5")
	app.blockFor(unknown, models.BlockedUnknownProduct, "ABC-12", "SKU ABC-12 matches no product of the store.")
	app.block(app.importedOrder(other.ID, "THEIRS-1"), models.BlockedStoreRejected, "postcode N1 is not valid")

	c := app.client()
	c.login("admin@acme.test", testPassword)
	queue := c.get("/errors")
	expectStatus(t, queue, http.StatusOK)
	if got := queue.text("[data-testid=nav-attention] .nav-count"); got != "4" {
		t.Fatalf("navigation count %q, want 4", got)
	}
	groups := map[string]string{}
	queue.doc.Find("li.error-group").Each(func(_ int, g *goquery.Selection) {
		href, _ := g.Find("h2 a").Attr("href")
		var orders []string
		c.get(href).doc.Find("tr[data-order]").Each(func(_ int, row *goquery.Selection) {
			orders = append(orders, row.AttrOr("data-order", ""))
		})
		groups[strings.Join(strings.Fields(g.Find("h2").Text()), " ")] = strings.TrimSpace(g.Find(".message").Text()) + " | " + strings.Join(orders, " ")
	})
	want := map[string]string{
		"Store rejected: postcode N1 is not valid 2 orders": "The shop could not import the order: postcode N1 is not valid. Correct the order or the shop, then retry. | Q-1 Q-2",
		"Store rejected: SKU-1 is discontinued 1 order":     "The shop could not import the order: SKU-1 is discontinued. Correct the order or the shop, then retry. | Q-3",
		"SKU ABC-12 unknown 1 order":                        "SKU ABC-12 matches no product of the store. | Q-5",
	}
	if len(groups) != len(want) {
		t.Fatalf("groups %v, want %v", groups, want)
	}
	for title, summary := range want {
		if groups[title] != summary {
			t.Fatalf("group %q is %q, want %q (all: %v)", title, groups[title], summary, groups)
		}
	}
	if strings.Contains(queue.body, "THEIRS-1") {
		t.Fatal("another merchant's blocked order is in the queue")
	}

	filtered := c.get("/errors?reason=unknown_product")
	if n := filtered.doc.Find("li.error-group").Length(); n != 1 || !strings.Contains(filtered.body, "ABC-12") {
		t.Fatalf("filtered by reason: %d groups", n)
	}
	byConnection := c.get(fmt.Sprintf("/errors?connection=%d", shop.ID))
	if n := byConnection.doc.Find("li.error-group").Length(); n != 2 || strings.Contains(byConnection.body, "ABC-12") {
		t.Fatalf("filtered by connection: %d groups", n)
	}

	// The other merchant sees only their own.
	o := app.client()
	o.login("admin@other.test", testPassword)
	if page := o.get("/errors"); page.doc.Find("li.error-group").Length() != 1 || strings.Contains(page.body, "Q-1") {
		t.Fatalf("other merchant's queue: %s", page.text("main"))
	}
	if page := o.get(fmt.Sprintf("/errors?connection=%d", shop.ID)); page.text("[data-testid=queue-empty]") == "" {
		t.Fatalf("another merchant's connection filter shows: %s", page.text("main"))
	}
}
