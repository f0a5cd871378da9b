package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// An account's merchant-fulfilled and marketplace-fulfilled connections each keep only their
// kind of order, whatever a connector's filter lets through: no order is imported by both.
func TestImportKeepsOnlyTheConnectionsFulfilment(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	merchantShips := activeConnection(t, db, "acme")
	marketplaceShips := *merchantShips
	marketplaceShips.ID, marketplaceShips.Name, marketplaceShips.Fulfilment = 0, "acme FBA", models.FulfilmentMarketplace
	if err := models.SaveConnection(ctx, db.Gorm, &marketplaceShips); err != nil {
		t.Fatal(err)
	}

	fba := marketplaceOrder("FBA-1-A", models.StatusShipped, day0.Add(2*time.Hour))
	fba.FulfilledByMarketplace = true
	mfn := marketplaceOrder("MFN-1-A", models.StatusWaitingShipment, day0.Add(2*time.Hour))

	for _, tc := range []struct {
		conn   *models.Connection
		order  *models.Order
		result string
	}{
		{merchantShips, fba, models.ImportIgnored},
		{merchantShips, mfn, models.ImportCreated},
		{&marketplaceShips, fba, models.ImportCreated},
		{&marketplaceShips, mfn, models.ImportIgnored},
	} {
		in := *tc.order
		out, result := importOrder(t, db, tc.conn, &in)
		if result != tc.result {
			t.Errorf("%s on %q: %s, want %s", tc.order.MarketplaceOrderID, tc.conn.Name, result, tc.result)
			continue
		}
		if result == models.ImportCreated && out.FulfilledByMarketplace != tc.order.FulfilledByMarketplace {
			t.Errorf("%s stored with FulfilledByMarketplace %v", tc.order.MarketplaceOrderID, out.FulfilledByMarketplace)
		}
	}
	var stored []models.Order
	if err := db.Gorm.Scopes(models.ForMerchant(merchantShips.MerchantID)).Order("id").Find(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 || stored[0].ConnectionID != merchantShips.ID || stored[1].ConnectionID != marketplaceShips.ID {
		t.Fatalf("stored %+v", stored)
	}

	// A later read of the same order, flagged the other way, changes nothing either.
	again := *fba
	again.FulfilledByMarketplace, again.MarketplaceUpdatedAt = false, day0.Add(4*time.Hour)
	if _, result := importOrder(t, db, &marketplaceShips, &again); result != models.ImportIgnored {
		t.Fatalf("re-read flagged merchant-fulfilled: %s", result)
	}
}
