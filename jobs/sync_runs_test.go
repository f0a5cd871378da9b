package jobs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

// Syncs that bring something, or fail, are kept for the connection's page; empty polls are not.
func TestSyncRunsKeepWhatChangedAndWhatFailed(t *testing.T) {
	f := newFlow(t)
	f.start()
	ctx := context.Background()
	runs := func() map[string]models.SyncRun {
		list, err := models.RecentSyncRuns(ctx, f.db.Gorm, f.conn.MerchantID, f.conn.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		latest := map[string]models.SyncRun{}
		for _, r := range list {
			if _, seen := latest[r.Kind]; !seen {
				latest[r.Kind] = r
			}
		}
		return latest
	}
	// The run is kept just after its last page is saved: wait for it.
	f.waitFor("the catalogue run to be kept", func() bool {
		_, ok := runs()[models.SyncCatalogue]
		return ok
	})
	if r := runs()[models.SyncCatalogue]; r.Created != 3 || r.Error != "" {
		t.Fatalf("catalogue run %+v", r)
	}
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	o := f.waitForOrder(id, "in the store", imported)
	if err := f.store.CompleteOrder(storeID(t, o), &woocommerce.TrackingItem{TrackingProvider: "colissimo", TrackingNumber: "6A12345678901"}); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(id, "confirmed", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentConfirmed })
	f.waitFor("the store run to be kept", func() bool {
		r := runs()[models.SyncStore]
		return r.Updated >= 1 && r.Pages >= 1
	})
	var imported int
	list, _ := models.RecentSyncRuns(ctx, f.db.Gorm, f.conn.MerchantID, f.conn.ID, 100)
	for _, r := range list {
		if r.Kind == models.SyncMarketplace {
			imported += r.Created
		}
		if r.Created == 0 && r.Updated == 0 && r.Error == "" {
			t.Fatalf("an empty run was kept: %+v", r)
		}
	}
	if imported != 1 {
		t.Fatalf("%d orders imported over the kept runs, want 1", imported)
	}

	// A refused key: the failure is kept with the marketplace's message.
	f.updateConnection(func(c *models.Connection) {
		if err := c.SetMarketplaceCredentials(f.sealer, models.Credentials{"api_key": "wrong-key"}); err != nil {
			t.Fatal(err)
		}
	})
	f.waitFor("a failed sync to be kept", func() bool {
		r := runs()[models.SyncMarketplace]
		return r.Error != "" && strings.Contains(strings.ToLower(r.Error), "key")
	})
}
