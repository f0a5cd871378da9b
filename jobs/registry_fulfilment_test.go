package jobs_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/marketplace/amazon"
	"github.com/orderhub/orderhub/jobs/marketplace/bol"
	"github.com/orderhub/orderhub/models"
)

// The registry gives each connector its connection's fulfilment, so that a connection reads
// only its kind of orders; a change of fulfilment builds a new connector, and Mirakl, which
// ships nothing itself, refuses a marketplace-fulfilled connection.
func TestRegistryPassesTheConnectionsFulfilment(t *testing.T) {
	sealer, err := models.NewSealer([]byte(testSecretKey))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r := jobs.NewRegistry(sealer)
	read := func(t *testing.T, c *models.Connection) []models.Order {
		t.Helper()
		mp, err := r.Marketplace(c)
		if err != nil {
			t.Fatal(err)
		}
		page, err := mp.ChangedOrders(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		return page.Orders
	}
	check := func(t *testing.T, c *models.Connection, wantMerchant, wantMarketplace int) {
		t.Helper()
		c.Fulfilment = models.FulfilmentMerchant
		own := read(t, c)
		c.Fulfilment = models.FulfilmentMarketplace
		theirs := read(t, c)
		if len(own) != wantMerchant || len(theirs) != wantMarketplace {
			t.Fatalf("merchant-fulfilled read %d orders (want %d), marketplace-fulfilled %d (want %d)", len(own), wantMerchant, len(theirs), wantMarketplace)
		}
		for _, o := range own {
			if o.FulfilledByMarketplace {
				t.Errorf("%s: merchant-fulfilled connection read %s, fulfilled by the marketplace", c.MarketplaceKind, o.MarketplaceOrderID)
			}
		}
		for _, o := range theirs {
			if !o.FulfilledByMarketplace {
				t.Errorf("%s: marketplace-fulfilled connection read %s, fulfilled by the merchant", c.MarketplaceKind, o.MarketplaceOrderID)
			}
		}
	}

	t.Run("amazon", func(t *testing.T) {
		fake := amazon.NewFake(amazon.FakeConfig{ClientID: "amzn1.application-oa2-client.test", ClientSecret: "lwa-secret", RefreshToken: "Atzr|refresh-token", RateScale: 100})
		srv := httptest.NewServer(fake)
		t.Cleanup(srv.Close)
		for i, by := range []string{"MERCHANT", "AMAZON", "AMAZON"} {
			o := amazonOrder(newOrder{n: i})
			o.ID, o.FulfilledBy = fmt.Sprintf("405-0000000-000000%d", i), by
			fake.AddOrder(o)
		}
		c := models.NewConnection(1, "Amazon FR", "amazon")
		c.ID = 11
		c.MarketplaceSettings = fmt.Sprintf(`{"base_url":%q,"login_url":%q,"fulfilment":"MFN"}`, srv.URL, srv.URL+"/auth/o2/token")
		if err := c.SetMarketplaceCredentials(sealer, models.Credentials{"client_id": "amzn1.application-oa2-client.test", "client_secret": "lwa-secret", "refresh_token": "Atzr|refresh-token"}); err != nil {
			t.Fatal(err)
		}
		check(t, c, 1, 2)
	})

	t.Run("bol", func(t *testing.T) {
		fake := bol.NewFake("bol-client-id", "bol-client-secret")
		srv := httptest.NewServer(fake.Handler())
		t.Cleanup(srv.Close)
		for n, method := range []string{"FBR", "FBR", "FBB"} {
			o := bol.SampleOrder(n)
			o.Items = o.Items[:1]
			o.Items[0].FulfilmentMethod = method
			fake.AddOrder(o)
		}
		c := models.NewConnection(1, "bol.com NL", "bol")
		c.ID = 12
		c.MarketplaceSettings = fmt.Sprintf(`{"base_url":%q,"login_url":%q}`, srv.URL, srv.URL+"/token")
		if err := c.SetMarketplaceCredentials(sealer, models.Credentials{"client_id": "bol-client-id", "client_secret": "bol-client-secret"}); err != nil {
			t.Fatal(err)
		}
		check(t, c, 2, 1)
	})

	t.Run("mirakl", func(t *testing.T) {
		c := models.NewConnection(1, "Fnac", "mirakl")
		c.ID = 13
		c.MarketplaceSettings = `{"base_url":"https://fnac.example"}`
		if err := c.SetMarketplaceCredentials(sealer, models.Credentials{"api_key": "k1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Marketplace(c); err != nil {
			t.Fatalf("merchant-fulfilled: %v", err)
		}
		c.Fulfilment = models.FulfilmentMarketplace
		if _, err := r.Marketplace(c); err == nil || !strings.Contains(err.Error(), "Mirakl marketplaces are connected for orders you ship yourself") {
			t.Fatalf("marketplace-fulfilled Mirakl connection: %v", err)
		}
	})
}
