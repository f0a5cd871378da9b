package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/orderhub/orderhub/models"
)

// A support agent in the browser: finds a merchant's order by the buyer's e-mail, opens it in
// the merchant's account under the support banner, and leaves.
func TestBrowserSupportAgentFindsAndOpensAnOrder(t *testing.T) {
	app := newTestApp(t)
	acme, _ := app.signUp("Acme", "admin@acme.test")
	o := app.importedOrder(acme.ID, "ACME-7")
	app.db.Gorm.Model(o).Update("billing_email", "jeanne@example.test")
	app.blockFor(o, models.BlockedMissingField, "phone", "The buyer's phone number is missing and the store requires it.")
	app.supportAgent("sam@orderhub.test")

	ctx := newBrowser(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }
	do(t, ctx,
		chromedp.Navigate(app.base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), "sam@orderhub.test"),
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`nav a[href="/support"]`)),
		chromedp.Click(css(`nav a[href="/support"]`)),
		chromedp.WaitVisible(css(`input[name=q]`)),
		chromedp.SendKeys(css(`input[name=q]`), "jeanne@example.test\n"),
		chromedp.WaitVisible(css(`[data-testid=support-hits] tr[data-order="ACME-7"]`)),
	)
	checkProblems(t, ctx, "/support")
	screenshot(t, ctx, "support-search")
	do(t, ctx,
		chromedp.Click(css(`[data-testid=support-hits] tr[data-order="ACME-7"] button`)),
		chromedp.WaitVisible(css(`[data-testid=support-banner]`)),
		chromedp.WaitVisible(css(`#f-addr_phone`)),
	)
	if banner := text(t, ctx, "[data-testid=support-banner]"); !strings.Contains(banner, "Acme") {
		t.Fatalf("banner %q", banner)
	}
	checkProblems(t, ctx, "order page as support")
	screenshot(t, ctx, "support-in-merchant-order")
	do(t, ctx,
		chromedp.Click(css(`[data-testid=support-banner] button`)),
		chromedp.WaitVisible(css(`input[name=q]`)),
		chromedp.WaitNotPresent(css(`[data-testid=support-banner]`)),
	)
}

// checkProblems reports what pageProblems finds on the page as it is.
func checkProblems(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](pageProblems))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", name, p)
	}
}
