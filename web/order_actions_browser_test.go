package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/models"
)

// TestBrowserOrderActionsMarkAsShipped ships an acknowledged order by hand in the browser: the
// tracking number picks the carrier by the connection's rule, and the marketplace gets the
// shipment once while the page follows it to confirmed.
func TestBrowserOrderActionsMarkAsShipped(t *testing.T) {
	ctx := newBrowser(t)
	app, fake, token, merchantID := pullShop(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }

	connections, err := models.MerchantConnections(context.Background(), app.db.Gorm, merchantID)
	if err != nil || len(connections) != 1 {
		t.Fatalf("connections: %v %v", connections, err)
	}
	err = app.db.Gorm.Create(&models.CarrierRule{MerchantID: merchantID, ConnectionID: connections[0].ID, Position: 1,
		MatchKind: models.MatchStartsWith, Pattern: "6A", CarrierCode: "COLISSIMO", CarrierName: "Colissimo",
		TrackingURLTemplate: "https://www.laposte.fr/outils/suivre-vos-envois?code={tracking}"}).Error
	if err != nil {
		t.Fatal(err)
	}
	marketplaceID := fake.AddOrder(mirakl.SampleOrder(0))
	var offered listedOrders
	eventually(t, "the order offered to the shop", func() bool {
		offered = app.list(token, "")
		return len(offered.Orders) == 1
	})
	id := offered.Orders[0].ID
	res := app.api("POST", "/api/v1/orders/acknowledge", token, fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"WEB-9001","status":"success"}]}`, id))
	if res.status != 200 || !strings.Contains(string(res.body), `"ok":true`) {
		t.Fatalf("acknowledge: %s", res.body)
	}

	do(t, ctx,
		chromedp.Navigate(app.base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), "admin@acme.test"),
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
		chromedp.Navigate(fmt.Sprintf("%s/orders/%d", app.base, id)),
		chromedp.WaitVisible(css("#f-tracking_number")),
		chromedp.SendKeys(css("#f-tracking_number"), "6A20000000001"),
		// htmx asks for the carrier the rules give this number, and swaps it in.
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-testid="carrier-rule"]')?.textContent.includes("Rule 1: starts with 6A → Colissimo")`),
	)
	carrier, err := chromedp.Run(ctx, chromedp.Value(css("#f-carrier")))
	if err != nil {
		t.Fatal(err)
	}
	trackingURL, err := chromedp.Run(ctx, chromedp.Value(css("#f-tracking_url")))
	if err != nil {
		t.Fatal(err)
	}
	if carrier != "Colissimo" || trackingURL != "https://www.laposte.fr/outils/suivre-vos-envois?code=6A20000000001" {
		t.Fatalf("pre-filled carrier %q, tracking URL %q", carrier, trackingURL)
	}
	saveOrderScreenshot(t, ctx, "order-ship-form.png")

	do(t, ctx,
		chromedp.Click(css(`form[data-action="ship"] button[type=submit]`)),
		chromedp.WaitVisible(css(".flash.success")),
	)
	eventually(t, "the shipment on the marketplace", func() bool {
		snap, _ := fake.Order(marketplaceID)
		return fake.ShipCalls(marketplaceID) == 1 && snap.TrackingNumber == "6A20000000001"
	})
	// The page follows the shipment by itself, without a reload.
	do(t, ctx, chromedp.WaitVisible(css("#order-page .page-head .state-confirmed")))
	if snap, _ := fake.Order(marketplaceID); fake.ShipCalls(marketplaceID) != 1 || snap.CarrierCode != "COLISSIMO" {
		t.Fatalf("marketplace: %d shipments, %+v", fake.ShipCalls(marketplaceID), snap)
	}
	if timeline := text(t, ctx, ".timeline"); !strings.Contains(timeline, "Marked as shipped by hand") || !strings.Contains(timeline, "The marketplace accepted the shipment") {
		t.Errorf("timeline:\n%s", timeline)
	}
	saveOrderScreenshot(t, ctx, "order-shipped.png")
}

// saveOrderScreenshot saves the page under the test's temporary directory and, when
// ORDERHUB_SCREENSHOT_DIR is set, there too.
func saveOrderScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	if dir := os.Getenv("ORDERHUB_SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, name), shot, 0o644)
	}
}
