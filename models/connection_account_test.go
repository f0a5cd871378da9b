package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// One marketplace account may have one merchant-fulfilled and one marketplace-fulfilled
// active connection, never two of the same.
func TestOneActiveConnectionPerAccountAndFulfilment(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	sealer, err := models.NewSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	merchant, _, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := models.SignUp(ctx, db.Gorm, "Other", "", "admin@other.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	amazonAccount := models.Credentials{"client_id": "amzn1.application-oa2-client.1", "client_secret": "s", "refresh_token": "Atzr|one"}
	connection := func(merchantID int64, name, kind, fulfilment, settings string, creds models.Credentials, active bool) *models.Connection {
		t.Helper()
		c := models.NewConnection(merchantID, name, kind)
		c.Fulfilment, c.MarketplaceSettings = fulfilment, settings
		if err := c.SetMarketplaceCredentials(sealer, creds); err != nil {
			t.Fatal(err)
		}
		if active {
			c.State = models.ConnectionActive
			now := time.Now()
			c.ActivationDate = &now
		}
		if err := models.SaveConnection(ctx, db.Gorm, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	connection(merchant.ID, "Amazon FR", "amazon", models.FulfilmentMerchant, `{"marketplace_id":"A13V1IB3VIYZZH"}`, amazonAccount, true)
	connection(merchant.ID, "bol.com", "bol", models.FulfilmentMerchant, `{}`, models.Credentials{"client_id": "bol-1", "client_secret": "x"}, true)
	connection(merchant.ID, "Amazon FR paused", "amazon", models.FulfilmentMarketplace, `{"marketplace_id":"A13V1IB3VIYZZH"}`, amazonAccount, false)
	connection(other.ID, "Another merchant's FBA", "amazon", models.FulfilmentMarketplace, `{"marketplace_id":"A13V1IB3VIYZZH"}`, amazonAccount, true)

	for _, tc := range []struct {
		name, kind, fulfilment, settings string
		creds                            models.Credentials
		taken                            string // the connection named in the refusal, "" when free
	}{
		{"same Amazon account, same fulfilment", "amazon", models.FulfilmentMerchant, `{"marketplace_id":"A13V1IB3VIYZZH"}`, amazonAccount, "Amazon FR"},
		{"same Amazon account, Amazon ships", "amazon", models.FulfilmentMarketplace, `{"marketplace_id":"A13V1IB3VIYZZH"}`, amazonAccount, ""},
		{"same Amazon app, another seller", "amazon", models.FulfilmentMerchant, `{"marketplace_id":"A13V1IB3VIYZZH"}`,
			models.Credentials{"client_id": "amzn1.application-oa2-client.1", "client_secret": "s", "refresh_token": "Atzr|two"}, ""},
		{"same Amazon account, another marketplace", "amazon", models.FulfilmentMerchant, `{"marketplace_id":"A1PA6795UKMFR9"}`, amazonAccount, ""},
		{"same bol account, another secret", "bol", models.FulfilmentMerchant, `{}`, models.Credentials{"client_id": "bol-1", "client_secret": "y"}, "bol.com"},
		{"same bol account, bol ships", "bol", models.FulfilmentMarketplace, `{}`, models.Credentials{"client_id": "bol-1", "client_secret": "x"}, ""},
		{"another bol account", "bol", models.FulfilmentMerchant, `{}`, models.Credentials{"client_id": "bol-2", "client_secret": "x"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := connection(merchant.ID, "new "+tc.name, tc.kind, tc.fulfilment, tc.settings, tc.creds, false)
			err := models.CheckAccountFree(ctx, db.Gorm, sealer, c)
			switch {
			case tc.taken == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.taken != "" && (err == nil || !strings.Contains(err.Error(), `"`+tc.taken+`"`)):
				t.Fatalf("got %v, want a refusal naming %q", err, tc.taken)
			}
		})
	}
}
