package web_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// The carrier step of an Amazon connection offers Amazon's carrier codes, and the default
// carrier chosen among them is saved with its code.
func TestCarrierStepOffersAmazonsCarrierCodes(t *testing.T) {
	db := testdb.Open(t)
	app := serve(t, db, workingJobs(t, db))
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)
	sealer, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	conn := models.NewConnection(m.ID, "Amazon FR", "amazon")
	conn.Country, conn.StoreKind = "FR", models.StoreKindAPI
	conn.MarketplaceSettings = `{"region":"eu","marketplace_id":"A13V1IB3VIYZZH"}`
	if err := conn.SetMarketplaceCredentials(sealer, models.Credentials{"client_id": "amzn1.application-oa2-client.x", "client_secret": "s", "refresh_token": "Atzr|x"}); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveConnection(context.Background(), app.db.Gorm, conn); err != nil {
		t.Fatal(err)
	}
	step := fmt.Sprintf("/connections/%d/setup/carriers", conn.ID)
	page := c.get(step)
	for _, code := range []string{"Royal Mail", "Amazon Shipping", "Colissimo", "Other"} {
		if page.doc.Find(fmt.Sprintf(`select[name=carrier_code] option[value=%q]`, code)).Length() != 1 {
			t.Errorf("the carrier step does not offer Amazon's %q: %s", code, page.text("form"))
		}
	}
	expectRedirect(t, c.post(step, url.Values{"carrier_code": {"Royal Mail"}}), step)
	saved, err := models.MerchantConnection(context.Background(), app.db.Gorm, m.ID, conn.ID)
	if err != nil || saved.DefaultCarrierCode != "Royal Mail" || saved.DefaultCarrierName != "Royal Mail" {
		t.Fatalf("default carrier %q %q (%v)", saved.DefaultCarrierCode, saved.DefaultCarrierName, err)
	}
}
