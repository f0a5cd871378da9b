package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/orderhub/orderhub/jobs/store/vendure/vendureserver"
	"github.com/orderhub/orderhub/models"
)

// The wizard against a real Vendure 3.7 (Node.js): the store step is saved with Vendure's
// Admin API, the catalogue is read from it, and a test order sent from the wizard appears in
// Vendure, then is cancelled there by the cancel button.
func TestWizardTestOrderInARealVendure(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Node.js Vendure server")
	}
	server := vendureserver.Start(t)
	server.Seed(t, nil)
	updated := server.Query(t, `mutation($i:UpdateChannelInput!){ updateChannel(input:$i){ ... on Channel{ id } ... on ErrorResult{ errorCode message } } }`,
		map[string]any{"i": map[string]any{"id": "1", "defaultCurrencyCode": "EUR", "availableCurrencyCodes": []string{"EUR"}}})
	vendureserver.CheckResult(t, "updateChannel", updated["updateChannel"])
	server.Seed(t, []vendureserver.Product{
		{SKU: "MUG-BLUE-350", Name: "Ceramic mug", Price: 1075, Stock: 20},
		{SKU: "TSHIRT-ORG-M", Name: "T-shirt", Price: 2042, Stock: 20},
	})

	f := newSetupFixture(t)
	app := f.app
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)
	c.get("/connections")
	c.post("/connections", url.Values{"marketplace_kind": {"mirakl"}, "name": {"Fnac → Vendure"}, "country": {"FR"},
		"fulfilment": {"merchant"}, "s_base_url": {f.marketplaceURL}})
	conn := f.connection(m.ID, "Fnac → Vendure")
	base := fmt.Sprintf("/connections/%d/setup", conn.ID)
	expectRedirect(t, c.post(base+"/credentials", url.Values{"c_api_key": {"mk-key"}}), base+"/store")

	store := url.Values{"store_kind": {"vendure"}, "s_base_url": {server.AdminURL}, "c_username": {server.Username}, "c_password": {server.Password}}
	test := url.Values{"test": {"1"}}
	for k, v := range store {
		test[k] = v
	}
	if ok, _ := c.postHX(base+"/store", test).doc.Find("[data-testid=check-result]").Attr("data-ok"); ok != "true" {
		t.Fatal("the store test failed against the real Vendure")
	}
	expectRedirect(t, c.post(base+"/store", store), base+"/carriers")
	eventually(t, "the catalogue to be read from Vendure", func() bool {
		var n int64
		app.db.Gorm.Model(&models.Product{}).Where("connection_id = ?", conn.ID).Count(&n)
		return n == 2
	})

	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/test-orders", conn.ID), url.Values{"sku": {"MUG-BLUE-350"}, "country": {"FR"}, "quantity": {"2"}}), base+"/test-order")
	var testOrder models.Order
	eventually(t, "the test order to reach Vendure", func() bool {
		app.db.Gorm.Where("connection_id = ? AND test", conn.ID).First(&testOrder)
		return testOrder.StoreState == models.StoreImported
	})
	vo := server.OrderByExternalID(t, testOrder.MarketplaceOrderID)
	if vo == nil || fmt.Sprint(vo["id"]) != testOrder.StoreOrderID {
		t.Fatalf("Vendure order for the test order %s (store id %s): %v", testOrder.MarketplaceOrderID, testOrder.StoreOrderID, vo)
	}
	lines, _ := vo["lines"].([]any)
	if len(lines) != 1 || lines[0].(map[string]any)["sku"] != "MUG-BLUE-350" || fmt.Sprint(lines[0].(map[string]any)["quantity"]) != "2" {
		t.Fatalf("Vendure lines %v", vo["lines"])
	}

	expectRedirect(t, c.post(fmt.Sprintf("/connections/%d/test-orders/%d/cancel", conn.ID, testOrder.ID), url.Values{}), base+"/test-order")
	eventually(t, "the test order to be cancelled in Vendure", func() bool {
		return fmt.Sprint(server.OrderByExternalID(t, testOrder.MarketplaceOrderID)["state"]) == "Cancelled"
	})
	eventually(t, "orderhub to record the cancellation", func() bool {
		app.db.Gorm.First(&testOrder, testOrder.ID)
		return testOrder.StoreState == models.StoreCancelled && testOrder.Status == models.StatusCancelled
	})
}
