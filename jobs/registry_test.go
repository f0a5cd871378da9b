package jobs_test

import (
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
)

func TestRegistryKeepsOneConnectorPerConnection(t *testing.T) {
	sealer, err := models.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	r := jobs.NewRegistry(sealer)
	c := models.NewConnection(1, "Fnac", "mirakl")
	c.ID = 7
	c.MarketplaceSettings = `{"base_url":"https://fnac.example"}`
	if err := c.SetMarketplaceCredentials(sealer, models.Credentials{"api_key": "k1"}); err != nil {
		t.Fatal(err)
	}
	first, err := r.Marketplace(c)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := r.Marketplace(c); again != first {
		t.Fatal("a second connector was built for unchanged settings")
	}
	_ = c.SetMarketplaceCredentials(sealer, models.Credentials{"api_key": "k2"})
	if changed, _ := r.Marketplace(c); changed == first {
		t.Fatal("new credentials kept the old connector")
	}
	c.MarketplaceKind = "ebay"
	if _, err := r.Marketplace(c); err == nil || !strings.Contains(err.Error(), `no connector for marketplace "ebay"`) {
		t.Fatalf("unknown kind: %v", err)
	}
	if kinds := strings.Join(jobs.MarketplaceKinds(), " "); kinds != "amazon bol mirakl" {
		t.Fatalf("marketplace kinds %v", kinds)
	}
}
