package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// pullShop is orderhub with its jobs running, a fake Mirakl marketplace, and a connection
// whose store is a shop pulling through the Store API.
func pullShop(t *testing.T, configure ...func(*models.Connection)) (*testApp, *mirakl.Fake, string, int64) {
	t.Helper()
	db := testdb.Open(t)
	sealer, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	fake := mirakl.NewFake("mk-key")
	mk := httptest.NewServer(fake.Handler())
	t.Cleanup(mk.Close)

	ctx := context.Background()
	merchant, _, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	c := models.NewConnection(merchant.ID, "Fnac → my shop", "mirakl")
	c.MarketplaceSettings = fmt.Sprintf(`{"base_url":%q}`, mk.URL)
	c.StoreKind, c.PollIntervalSeconds = models.StoreKindAPI, 1
	c.DefaultCarrierName = "Other carrier"
	for _, f := range configure {
		f(c)
	}
	if err := c.SetMarketplaceCredentials(sealer, models.Credentials{"api_key": "mk-key"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Activate(time.Now().Add(-time.Hour), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveConnection(ctx, db.Gorm, c); err != nil {
		t.Fatal(err)
	}
	ta := serve(t, db, workingJobs(t, db))
	return ta, fake, ta.token(merchant.ID), merchant.ID
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAPILifecycleAgainstTheMarketplace(t *testing.T) {
	app, fake, token, merchantID := pullShop(t)
	marketplaceID := fake.AddOrder(mirakl.SampleOrder(0))
	rejectedID := fake.AddOrder(mirakl.SampleOrder(2))

	// The orders are accepted on the marketplace by themselves, then offered to the shop.
	var offered listedOrders
	eventually(t, "both orders offered", func() bool {
		offered = app.list(token, "")
		return len(offered.Orders) == 2
	})
	byRef := map[string]int64{}
	for _, id := range ids(offered) {
		o, _ := models.MerchantOrder(context.Background(), app.db.Gorm, merchantID, id)
		byRef[o.MarketplaceOrderID] = id
	}
	id, rejected := byRef[marketplaceID], byRef[rejectedID]

	res := app.api("POST", "/api/v1/orders/acknowledge", token, fmt.Sprintf(
		`{"orders":[{"id":%d,"store_reference":"WEB-5001","status":"success"},{"id":%d,"status":"error","message":"SKU TSHIRT-ORG-M is discontinued"}]}`, id, rejected))
	if res.status != 200 || strings.Contains(string(res.body), `"ok":false`) {
		t.Fatalf("acknowledge: %s", res.body)
	}
	if got := ids(app.list(token, "")); len(got) != 0 {
		t.Fatalf("still offered after acknowledgement: %v", got)
	}
	r, _ := models.MerchantOrder(context.Background(), app.db.Gorm, merchantID, rejected)
	if r.StoreState != models.StoreBlocked || r.StoreBlockedReason != models.BlockedStoreRejected {
		t.Fatalf("the error acknowledgement did not block the order: %+v", r)
	}
	browser := app.client()
	browser.login("admin@acme.test", testPassword)
	queue := browser.get("/errors")
	if group := queue.text("li.error-group[data-reason=store_rejected]"); !strings.Contains(group, "SKU TSHIRT-ORG-M is discontinued") {
		t.Fatalf("the rejected order is not in the error queue: %q", queue.text("main"))
	}
	href, _ := queue.doc.Find("li.error-group[data-reason=store_rejected] h2 a").Attr("href")
	if page := browser.get(href); page.text("tr[data-order]") == "" || !strings.Contains(page.text("tr[data-order]"), r.MarketplaceOrderID) {
		t.Fatalf("the group's page does not list order %s: %q", r.MarketplaceOrderID, page.text("main"))
	}

	res = app.api("POST", "/api/v1/orders/ship", token, fmt.Sprintf(`{"orders":[{"id":%d,"carrier":"Colissimo","tracking_number":"6A20000000001"}]}`, id))
	if res.status != 200 || !strings.Contains(string(res.body), `"ok":true`) || !strings.Contains(string(res.body), `"shipment_state":"ready"`) {
		t.Fatalf("ship: %s", res.body)
	}
	eventually(t, "the marketplace to confirm the shipment", func() bool {
		o, _ := models.MerchantOrder(context.Background(), app.db.Gorm, merchantID, id)
		return o.Status == models.StatusShipped && o.ShipmentState == models.ShipmentConfirmed
	})
	snap, _ := fake.Order(marketplaceID)
	if fake.ShipCalls(marketplaceID) != 1 || snap.CarrierCode != "COLISSIMO" || snap.TrackingNumber != "6A20000000001" {
		t.Fatalf("marketplace: %d shipments, %+v", fake.ShipCalls(marketplaceID), snap)
	}

	// Shipping again with the same tracking is a harmless repeat; with another, a conflict;
	// the marketplace still has one shipment.
	res = app.api("POST", "/api/v1/orders/ship", token, fmt.Sprintf(`{"orders":[{"id":%d,"carrier":"Colissimo","tracking_number":"6A20000000001"},{"id":%d,"carrier":"UPS","tracking_number":"1Z999"},{"id":%d,"carrier":"UPS","tracking_number":"1Z1"}]}`, id, id, rejected))
	var out struct {
		Results []struct {
			OK      bool
			Problem *struct{ Type, Detail string }
		}
	}
	res.decode(t, &out)
	if !out.Results[0].OK || out.Results[1].OK || !strings.HasSuffix(out.Results[1].Problem.Type, "/order-state") ||
		out.Results[2].OK || !strings.Contains(out.Results[2].Problem.Detail, "acknowledge") {
		t.Fatalf("repeated and refused shipments: %s", res.body)
	}
	time.Sleep(500 * time.Millisecond)
	if n := fake.ShipCalls(marketplaceID); n != 1 {
		t.Fatalf("the marketplace saw %d shipments", n)
	}
}

func TestAPIAcceptRefuseAndCancel(t *testing.T) {
	app, fake, token, merchantID := pullShop(t, func(c *models.Connection) { c.AutoAccept = false })
	acceptedID := fake.AddOrder(mirakl.SampleOrder(0))
	refusedID := fake.AddOrder(mirakl.SampleOrder(2))
	var waiting listedOrders
	eventually(t, "both orders waiting acceptance", func() bool {
		waiting = app.list(token, "?status=waiting_acceptance")
		return len(waiting.Orders) == 2
	})
	byRef := map[string]int64{}
	for _, id := range ids(waiting) {
		o, _ := models.MerchantOrder(context.Background(), app.db.Gorm, merchantID, id)
		byRef[o.MarketplaceOrderID] = id
	}
	accepted, refused := byRef[acceptedID], byRef[refusedID]

	if res := app.api("POST", "/api/v1/orders/accept", token, fmt.Sprintf(`{"orders":[{"id":%d}]}`, accepted)); !strings.Contains(string(res.body), `"ok":true`) {
		t.Fatalf("accept: %s", res.body)
	}
	if res := app.api("POST", "/api/v1/orders/refuse", token, fmt.Sprintf(`{"orders":[{"id":%d,"reason":"no stock left"}]}`, refused)); !strings.Contains(string(res.body), `"ok":true`) {
		t.Fatalf("refuse: %s", res.body)
	}
	eventually(t, "the accepted order offered", func() bool {
		got := ids(app.list(token, ""))
		return len(got) == 1 && got[0] == accepted
	})
	eventually(t, "the refusal on the marketplace", func() bool {
		snap, _ := fake.Order(refusedID)
		return snap.State == "REFUSED"
	})
	// Accepting an order that no longer waits acceptance is a conflict.
	res := app.api("POST", "/api/v1/orders/accept", token, fmt.Sprintf(`{"orders":[{"id":%d}]}`, accepted))
	if !strings.Contains(string(res.body), "order-state") {
		t.Fatalf("accepting again: %s", res.body)
	}

	if res := app.api("POST", "/api/v1/orders/cancel", token, fmt.Sprintf(`{"orders":[{"id":%d,"reason":"buyer asked"}]}`, accepted)); !strings.Contains(string(res.body), `"ok":true`) {
		t.Fatalf("cancel: %s", res.body)
	}
	eventually(t, "the cancellation on the marketplace", func() bool {
		snap, _ := fake.Order(acceptedID)
		o, _ := models.MerchantOrder(context.Background(), app.db.Gorm, merchantID, accepted)
		return snap.State == "CANCELED" && o.Status == models.StatusCancelled
	})
	if got := ids(app.list(token, "")); len(got) != 0 {
		t.Fatalf("a cancelled order is still offered: %v", got)
	}
	res = app.api("POST", "/api/v1/orders/cancel", token, fmt.Sprintf(`{"orders":[{"id":%d}]}`, accepted))
	if !strings.Contains(string(res.body), "order-state") {
		t.Fatalf("cancelling a cancelled order: %s", res.body)
	}
}
