package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/models"
)

// A support session in the browser: one link unblocks 14 orders with an unknown SKU, a
// missing phone is filled in, a country is activated from the queue, and a group is refused
// in bulk after a confirmation.
func TestBrowserFixingTheErrorQueue(t *testing.T) {
	f := newQueueFixture(t)
	if err := f.app.db.Gorm.Model(f.conn).Update("required_fields", "name,street,postcode,city,country,phone").Error; err != nil {
		t.Fatal(err)
	}
	stoves := f.addOrders(14, func(o *mirakl.FakeOrder) {
		o.Lines = []mirakl.FakeLine{{SKU: "CAMP-STOVE-X", Title: "Camping stove", Quantity: 1, UnitPrice: "34.90", ShippingPrice: "4.90"}}
	})
	noPhone := f.addOrders(1, func(o *mirakl.FakeOrder) { o.Shipping.Phone = "" })
	swiss := f.addOrders(1, func(o *mirakl.FakeOrder) {
		o.Shipping.Country, o.Shipping.CountryISOCode, o.Shipping.City, o.Shipping.ZipCode = "Suisse", "CHE", "Genève", "1201"
	})
	norway := f.addOrders(2, func(o *mirakl.FakeOrder) {
		o.Shipping.Country, o.Shipping.CountryISOCode, o.Shipping.City, o.Shipping.ZipCode = "Norge", "NOR", "Oslo", "0150"
	})
	f.waitBlocked(t, models.BlockedUnknownProduct, 14)
	f.waitBlocked(t, models.BlockedMissingField, 1)
	f.waitBlocked(t, models.BlockedCountryInactive, 3)

	ctx := newBrowser(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }
	do(t, ctx,
		chromedp.Navigate(f.app.base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), "admin@acme.test"),
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
		chromedp.Click(css(`[data-testid="nav-attention"]`)),
		chromedp.WaitVisible(css(`li.error-group[data-cause="CAMP-STOVE-X"]`)),
	)
	if count := text(t, ctx, `[data-testid="nav-attention"] .nav-count`); count != "18" {
		t.Errorf("navigation count %q, want 18", count)
	}
	waitText(t, ctx, `li.error-group[data-cause="CAMP-STOVE-X"] [data-testid="group-count"]`, "14 orders")
	screenshot(t, ctx, "queue-groups")

	// Unknown SKU: type the store's SKU, pick it, link: the 14 orders reach the store.
	do(t, ctx,
		chromedp.Click(css(`li.error-group[data-cause="CAMP-STOVE-X"] h2 a`)),
		chromedp.WaitVisible(css(`#f-link-CAMP-STOVE-X`)),
		chromedp.SendKeys(css(`#f-link-CAMP-STOVE-X`), "STOVE"),
		// The choices come from the store's catalogue as the person types.
		chromedp.WaitReady(css(`#store-skus-`+fmt.Sprint(f.conn.ID)+` option[value="STOVE-COMPACT"]`)),
	)
	screenshot(t, ctx, "queue-group-unknown-sku")
	do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-link-CAMP-STOVE-X").value = "STOVE-COMPACT"`),
		chromedp.Click(css(`form[action="/errors/group/link"] button[type=submit]:not([formaction])`)),
		chromedp.WaitVisible(css(".flash.success")),
	)
	eventually(t, "the 14 stove orders in the store", func() bool { return f.storeOrders(stoves) == 14 })

	// Missing phone: open the order, fill it in, save: it goes to the store.
	do(t, ctx,
		chromedp.Navigate(f.app.base+"/errors?reason=missing_field"),
		chromedp.Click(css(`li.error-group[data-reason="missing_field"] h2 a`)),
		chromedp.WaitVisible(css(`tr[data-order] td a`)),
		chromedp.Click(css(`tr[data-order] td a`)),
		chromedp.WaitVisible(css(`#f-addr_phone`)),
	)
	screenshot(t, ctx, "queue-missing-phone")
	do(t, ctx,
		chromedp.SendKeys(css(`#f-addr_phone`), "not a phone"),
		chromedp.Click(css(`[data-testid="address-edit"] button[type=submit]`)),
		chromedp.WaitVisible(css(`#e-addr_phone`)),
	)
	if msg := text(t, ctx, "#e-addr_phone"); !strings.Contains(msg, "country code") {
		t.Errorf("phone error %q", msg)
	}
	do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-addr_phone").value = ""`),
		chromedp.SendKeys(css(`#f-addr_phone`), "06 12 34 56 78"),
		chromedp.Click(css(`[data-testid="address-edit"] button[type=submit]`)),
		chromedp.WaitVisible(css(".flash.success")),
	)
	eventually(t, "the order with its phone in the store", func() bool { return f.storeOrders(noPhone) == 1 })
	var o models.Order
	f.app.db.Gorm.Where("marketplace_order_id = ?", noPhone[0]).First(&o)
	if o.Shipping.Phone != "+33612345678" {
		t.Errorf("phone saved as %q, want +33612345678", o.Shipping.Phone)
	}

	// Inactive country: activate it from the queue.
	do(t, ctx,
		chromedp.Navigate(f.app.base+"/errors"),
		chromedp.Click(css(`li.error-group[data-cause="CH"] h2 a`)),
		chromedp.WaitVisible(css(`form[action="/errors/group/activate-country"] button`)),
	)
	waitText(t, ctx, "h1", "Country Switzerland not active")
	do(t, ctx,
		chromedp.Click(css(`form[action="/errors/group/activate-country"] button`)),
		chromedp.WaitVisible(css(".flash.success")),
	)
	eventually(t, "the Swiss order in the store", func() bool { return f.storeOrders(swiss) == 1 })

	// A group refused in bulk, after the confirmation says how many and where.
	do(t, ctx,
		chromedp.Navigate(f.app.base+"/errors"),
		chromedp.Click(css(`li.error-group[data-cause="NO"] h2 a`)),
		chromedp.WaitVisible(css(`#f-all`)),
		tick(`#f-all`),
		chromedp.SendKeys(css(`#f-bulk-reason`), "We do not ship to Norway."),
		chromedp.Click(css(`button[name=action][value=refuse]`)),
		chromedp.WaitVisible(css(`[data-testid="confirm-connections"]`)),
	)
	waitText(t, ctx, "h1", "Refuse 2 orders?")
	screenshot(t, ctx, "queue-bulk-confirm")
	do(t, ctx,
		chromedp.Click(css(`button[name=confirm]`)),
		chromedp.WaitVisible(css(".flash.success")),
	)
	eventually(t, "the Norwegian orders closed on the marketplace", func() bool {
		for _, id := range norway {
			if snap, _ := f.market.Order(id); snap.State != "REFUSED" && snap.State != "CANCELED" {
				return false
			}
		}
		return true
	})
	do(t, ctx, chromedp.Navigate(f.app.base+"/errors"), chromedp.WaitVisible(css(`[data-testid="queue-empty"]`)))
	screenshot(t, ctx, "queue-empty")
}
