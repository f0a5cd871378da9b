package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/orderhub/orderhub/models"
)

// The orders list in the browser: a tab, a filter and a search narrow the rows, and the
// address keeps them so the page can be shared or reloaded.
func TestBrowserOrderListFilterAndSearch(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	darty := app.apiConnection(m.ID, "Darty")
	app.orderWithSKUs(fnac, "ACCEPT-1", models.StatusWaitingAcceptance, "A")
	app.orderWithSKUs(fnac, "PENDING-1", models.StatusWaitingShipment, "A")
	grace := app.orderWithSKUs(darty, "GRACE-1", models.StatusWaitingShipment, "A")
	app.db.Gorm.Model(grace).Update("billing_email", "grace@example.test")
	app.orderWithSKUs(darty, "SHIPPED-1", models.StatusShipped, "A")

	ctx := newBrowser(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }
	rows := func() string {
		t.Helper()
		refs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#order-rows tr[data-order]")].map(r => r.dataset.order)`))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(refs, " ")
	}
	do(t, ctx,
		chromedp.Navigate(app.base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), "admin@acme.test"),
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
		chromedp.Navigate(app.base+"/orders"),
		chromedp.WaitVisible(css(`tr[data-order="SHIPPED-1"]`)),
	)
	if got := rows(); got != "SHIPPED-1 GRACE-1 PENDING-1 ACCEPT-1" {
		t.Fatalf("all orders: %q", got)
	}

	// A tab.
	do(t, ctx, chromedp.Click(css(`a[data-tab="to_accept"]`)), chromedp.WaitNotPresent(css(`tr[data-order="SHIPPED-1"]`)))
	if got := rows(); got != "ACCEPT-1" {
		t.Fatalf("to accept: %q", got)
	}

	// A filter: the Darty connection, on the All tab.
	do(t, ctx,
		chromedp.Click(css(`a[data-tab="all"]`)),
		chromedp.WaitVisible(css(`tr[data-order="SHIPPED-1"]`)),
		chromedp.SetValue(css(`select[name=connection]`), itoa(darty.ID)),
		chromedp.Click(css(`form.filters button[type=submit]`)),
		chromedp.WaitNotPresent(css(`tr[data-order="ACCEPT-1"]`)),
	)
	if got := rows(); got != "SHIPPED-1 GRACE-1" {
		t.Fatalf("Darty only: %q", got)
	}

	// A search by the buyer's e-mail, on top of the filter.
	do(t, ctx,
		chromedp.SendKeys(css(`input[name=q]`), "grace@example.test"),
		chromedp.Click(css(`form.filters button[type=submit]`)),
		chromedp.WaitNotPresent(css(`tr[data-order="SHIPPED-1"]`)),
	)
	if got := rows(); got != "GRACE-1" {
		t.Fatalf("search: %q", got)
	}
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(location, "q=grace%40example.test") || !strings.Contains(location, "connection="+itoa(darty.ID)) {
		t.Fatalf("the address does not keep the search and filter: %s %v", location, err)
	}
	screenshot(t, ctx, "orders-filtered")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
