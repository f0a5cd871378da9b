package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshot keeps a full-page image as a test artifact (in ORDERHUB_SCREENSHOT_DIR when set).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), name+".png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("ORDERHUB_SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644)
	}
}

// The whole wizard in a real browser: from a merchant without connections to an active one
// with a test order in the store.
func TestBrowserConnectionWizard(t *testing.T) {
	f := newSetupFixture(t)
	f.app.signUp("Acme", "admin@acme.test")
	ctx := newBrowser(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }
	base := f.app.base

	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), "admin@acme.test"),
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
		chromedp.Navigate(base+"/connections"),
		chromedp.Click(css(`[data-testid="new-connection"]`)),
		chromedp.WaitVisible(css("#f-name")),
	)
	screenshot(t, ctx, "wizard-1-marketplace")
	do(t, ctx,
		chromedp.SendKeys(css("#f-name"), "Fnac → my shop"),
		chromedp.SetValue(css("#f-country"), "FR"),
		chromedp.SendKeys(css("#f-s_base_url"), f.marketplaceURL),
		chromedp.Click(css(`.setup-step button.button:not([name=test])`)),
		chromedp.WaitVisible(css("#f-c_api_key")),
		chromedp.SendKeys(css("#f-c_api_key"), "mk-key"),
		chromedp.Click(css(`[data-testid="test-connection"]`)),
		chromedp.WaitVisible(css(`[data-testid="check-result"][data-ok="true"]`)),
	)
	screenshot(t, ctx, "wizard-2-credentials")
	do(t, ctx,
		chromedp.Click(css(`.setup-step button.button:not([name=test])`)),
		chromedp.WaitVisible(css("#f-store_kind")),
		chromedp.SetValue(css("#f-store_kind"), "woocommerce"),
		// Choosing the store brings its own fields (htmx listens for the change).
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-store_kind").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.WaitVisible(css("#f-c_consumer_key")),
		chromedp.SendKeys(css("#f-s_base_url"), f.storeURL),
		chromedp.SendKeys(css("#f-c_consumer_key"), "ck_shop_key"),
		chromedp.SendKeys(css("#f-c_consumer_secret"), "cs_shop_secret"),
		chromedp.Click(css(`[data-testid="test-store"]`)),
		chromedp.WaitVisible(css(`[data-testid="check-result"][data-ok="true"]`)),
	)
	screenshot(t, ctx, "wizard-3-store")
	do(t, ctx,
		chromedp.Click(css(`.setup-step form button.button:not([name=test])`)),
		chromedp.WaitReady(css(`#f-carrier_code option[value="GLS"]`)),
		chromedp.SetValue(css("#f-carrier_code"), "GLS"),
		chromedp.Click(css(`.carrier-default button`)),
		// The page comes back with the "Continue" button once a default carrier is saved.
		chromedp.WaitVisible(css(`.setup-step .actions a.button`)),
		chromedp.SetValue(css("#f-match_kind"), "starts_with"),
		chromedp.SendKeys(css("#f-pattern"), "6A"),
		chromedp.SetValue(css("#f-rule_carrier_code"), "COLISSIMO"),
		chromedp.Click(css(`.rule-form button`)),
		chromedp.WaitVisible(css(`.rules li`)),
		chromedp.SendKeys(css("#f-tracking-test"), "6A12345678901"),
	)
	// Each pause in the typing may ask the tester; the last answer is for the whole number.
	waitText(t, ctx, `[data-testid="carrier-sent"]`, "Colissimo")
	screenshot(t, ctx, "wizard-4-carriers")
	do(t, ctx,
		chromedp.Click(css(`.setup-step .actions a.button`)),
		chromedp.WaitVisible(css(`input[name=sku][value="MUG-BLUE-350"]`)),
		tick(`input[name=sku][value="MUG-BLUE-350"]`),
		chromedp.Click(css(`[data-testid="send-test-order"]`)),
		// The list refreshes itself until the store has the order.
		chromedp.WaitVisible(css(`[data-test-order] td[data-field="store"] .state-imported`)),
	)
	waitTextThat(t, ctx, `[data-test-order] td[data-field="store-order"]`, "a store order id",
		func(s string) bool { return s != "" && s != "—" })
	screenshot(t, ctx, "wizard-5-test-order")
	do(t, ctx,
		chromedp.Click(css(`.test-order-form a[href$="/setup/activate"]`)),
		chromedp.WaitVisible(css(`[data-testid="activate"]`)),
		chromedp.Click(css(`[data-testid="activate"]`)),
		chromedp.WaitVisible(css(`[data-testid="connection-state"]`)),
	)
	if state := text(t, ctx, `[data-testid="connection-state"]`); !strings.Contains(state, "active") {
		t.Fatalf("connection state %q", state)
	}
	screenshot(t, ctx, "wizard-6-active")
}

// waitText waits until the element's text is want, as the page updates itself.
func waitText(t *testing.T, ctx context.Context, selector, want string) {
	t.Helper()
	waitTextThat(t, ctx, selector, strconv.Quote(want), func(s string) bool { return s == want })
}

// waitTextThat waits until the element's text passes ok; parts of the page replace
// themselves, so a single read may fall between two versions.
func waitTextThat(t *testing.T, ctx context.Context, selector, what string, ok func(string) bool) {
	t.Helper()
	script := "(document.querySelector(" + strconv.Quote(selector) + ") || {}).textContent || ''"
	deadline := time.Now().Add(15 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		raw, _ := chromedp.Run(ctx, chromedp.Evaluate[string](script))
		if got = strings.TrimSpace(raw); ok(got) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s shows %q, want %s", selector, got, what)
}
