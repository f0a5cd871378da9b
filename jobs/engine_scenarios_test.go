package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

func (f *flow) retry(o *models.Order) {
	f.t.Helper()
	if err := f.runner.RetryOrder(context.Background(), f.db.Gorm, o.MerchantID, o.ID, "user:1"); err != nil {
		f.t.Fatal(err)
	}
}

func (f *flow) updateConnection(change func(c *models.Connection)) {
	f.t.Helper()
	change(f.conn)
	if err := models.SaveConnection(context.Background(), f.db.Gorm, f.conn); err != nil {
		f.t.Fatal(err)
	}
}

func blockedWith(reason string) func(o *models.Order) bool {
	return func(o *models.Order) bool {
		return o.StoreState == models.StoreBlocked && o.StoreBlockedReason == reason
	}
}

func imported(o *models.Order) bool { return o.StoreState == models.StoreImported }

func TestManualAcceptanceAndRefusal(t *testing.T) {
	f := newFlow(t, func(c *models.Connection) { c.AutoAccept = false })
	f.start()
	accepted := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	refused := f.mirakl.AddOrder(mirakl.SampleOrder(2))
	a := f.waitForOrder(accepted, "waiting acceptance", func(o *models.Order) bool { return o.Status == models.StatusWaitingAcceptance })
	r := f.waitForOrder(refused, "waiting acceptance", func(o *models.Order) bool { return o.Status == models.StatusWaitingAcceptance })
	time.Sleep(1500 * time.Millisecond) // polls go by: nothing accepts it without a person
	if snap, _ := f.mirakl.Order(accepted); snap.State != "WAITING_ACCEPTANCE" || f.mirakl.Calls("OR21") != 0 {
		t.Fatalf("accepted without a person: %s", snap.State)
	}
	ctx := context.Background()
	if err := f.runner.DecideOrder(ctx, f.db.Gorm, a.MerchantID, a.ID, true, "user:1", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.runner.DecideOrder(ctx, f.db.Gorm, r.MerchantID, r.ID, false, "user:1", "out of stock"); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(accepted, "in the store", imported)
	r = f.waitForOrder(refused, "refused", func(o *models.Order) bool {
		return o.Status == models.StatusRefused && o.StoreState == models.StoreCancelled
	})
	if n := len(f.storeOrders(r)); n != 0 {
		t.Fatalf("a refused order reached the store")
	}
	if timeline := describe(f, r); !strings.Contains(timeline, "Refused on the marketplace: out of stock") || !strings.Contains(timeline, "never reached the store") {
		t.Fatalf("the refusal's timeline:\n%s", timeline)
	}
}

func TestActivationDate(t *testing.T) {
	f := newFlow(t)
	old := mirakl.SampleOrder(0)
	old.CreatedAt = time.Now().Add(-48 * time.Hour)
	oldID := f.mirakl.AddOrder(old)
	f.start()
	newID := f.mirakl.AddOrder(mirakl.SampleOrder(2))
	f.waitForOrder(newID, "in the store", imported)
	if f.order(oldID) != nil {
		t.Fatal("an order placed before the activation date was imported")
	}
	f.updateConnection(func(c *models.Connection) {
		if err := c.MoveActivationDate(time.Now().Add(-72*time.Hour), time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	f.waitForOrder(oldID, "in the store after moving the date back", imported)
}

func TestThrottledMarketplaceIsWaitedFor(t *testing.T) {
	f := newFlow(t)
	f.mirakl.Faults().ThrottleNext(apiclient.Match("GET", "/api/orders"), 2, time.Second)
	f.start()
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))
	f.waitForOrder(id, "in the store", imported)
	if f.mirakl.Calls("OR11") == 0 {
		t.Fatal("no listing call reached the marketplace")
	}
}

// shipAll completes every imported order of the flow in the store, with tracking.
func (f *flow) shipAll(ids []string) {
	f.t.Helper()
	for i, id := range ids {
		o := f.waitForOrder(id, "in the store", imported)
		item := &woocommerce.TrackingItem{TrackingProvider: "colissimo", TrackingNumber: "6A" + strings.Repeat("0", 10) + string(rune('A'+i%26))}
		if err := f.store.CompleteOrder(storeID(f.t, o), item); err != nil {
			f.t.Fatal(err)
		}
	}
}

func TestTwoProcessesOnOneDatabaseDoEachThingOnce(t *testing.T) {
	f := newFlow(t)
	second := f.newRunner(jobs.NewRegistry(f.sealer))
	if err := second.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = second.Stop(10 * time.Second) })
	f.start()
	var ids []string
	for i := 0; i < 12; i++ {
		ids = append(ids, f.mirakl.AddOrder(mirakl.SampleOrder(i*2)))
	}
	f.shipAll(ids)
	f.expectEachOnce(ids)
}
