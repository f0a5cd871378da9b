package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/orderhub/orderhub/jobs/demo"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// demoApp is orderhub as `orderhub demo` runs it: web, jobs, and the demo's fakes.
func demoApp(t *testing.T) (base string, d *demo.Demo) {
	t.Helper()
	db := testdb.Open(t)
	sealer, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	d, err = demo.Start(context.Background(), db, sealer, demo.Options{Every: 700 * time.Millisecond, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Stop)
	return serve(t, db, workingJobs(t, db)).base, d
}

func TestBrowserDemoShowsOrdersFlowing(t *testing.T) {
	ctx := newBrowser(t)
	base, d := demoApp(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }

	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), demo.Email),
		chromedp.SendKeys(css("#f-password"), demo.Password),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
		chromedp.Navigate(base+"/orders"),
		// Orders arrive and reach the store by themselves; the list refreshes itself.
		chromedp.WaitVisible(css(`td[data-field="store"] .state-imported`)),
	)

	// Ship the newest order in the fake store's back-office page.
	do(t, ctx,
		chromedp.Navigate(d.StoreURL+"/demo"),
		chromedp.WaitVisible(css("tr[data-store-order] input[name=tracking]")),
	)
	storeOrder, err := chromedp.Run(ctx, chromedp.AttributeValue(css("tr[data-store-order]"), "data-store-order"))
	if err != nil {
		t.Fatal(err)
	}
	shipped := css(`tr[data-store-order="` + storeOrder.Value + `"]`)
	do(t, ctx,
		chromedp.SendKeys(shipped+" input[name=tracking]", "6A11223344556"),
		chromedp.Click(shipped+" button"),
		// The form posts and the page reloads without the shipped order: only then move on.
		chromedp.WaitNotPresent(shipped),
		chromedp.Navigate(base+"/orders"),
		chromedp.WaitVisible(css(`td[data-field="shipment"] .state-confirmed`)),
		// Every fifth demo order is blocked for a reason, shown in the list.
		chromedp.WaitVisible(css(`.state-blocked`)),
	)
	confirmed := text(t, ctx, `tr:has(td[data-field="shipment"] .state-confirmed) td:first-child a`)
	do(t, ctx,
		chromedp.Click(css(`tr:has(td[data-field="shipment"] .state-confirmed) td:first-child a`)),
		chromedp.WaitVisible(css(".timeline")),
	)
	timeline := text(t, ctx, ".timeline")
	for _, want := range []string{"Created in the store", "6A11223344556", "The marketplace confirms the order shipped"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("order %s's timeline lacks %q:\n%s", confirmed, want, timeline)
		}
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo-order.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("ORDERHUB_SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "demo-order.png"), shot, 0o644)
	}
}
