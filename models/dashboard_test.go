package models_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// dashboardConnection saves an active connection for a merchant.
func dashboardConnection(t *testing.T, db *models.DB, merchantID int64, name string) *models.Connection {
	t.Helper()
	c := models.NewConnection(merchantID, name, "mirakl")
	c.StoreKind, c.State = models.StoreKindAPI, models.ConnectionActive
	if err := models.SaveConnection(context.Background(), db.Gorm, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// dashboardOrder stores an order waiting shipment and imported in the store, changed by
// set, as the engine would have left it.
func dashboardOrder(t *testing.T, db *models.DB, c *models.Connection, ref string, placed time.Time, set func(*models.Order)) *models.Order {
	t.Helper()
	o := &models.Order{MerchantID: c.MerchantID, ConnectionID: c.ID, MarketplaceOrderID: ref,
		Status: models.StatusWaitingShipment, StoreState: models.StoreImported, ShipmentState: models.ShipmentNone,
		PlacedAt: placed, MarketplaceUpdatedAt: placed, Currency: "EUR", TotalAmount: 1000}
	if set != nil {
		set(o)
	}
	if err := db.Gorm.Create(o).Error; err != nil {
		t.Fatal(err)
	}
	return o
}

func dashboardShipBy(at time.Time) func(*models.Order) {
	return func(o *models.Order) { o.ShipBy = &at }
}

func TestDashboardCountsListsAndDaysOfOneMerchant(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	daysAgo := func(n int, hour, minute int) time.Time {
		return today.AddDate(0, 0, -n).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	acme, _, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	globex, _, err := models.SignUp(ctx, db.Gorm, "Globex", "", "admin@globex.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	fnac := dashboardConnection(t, db, acme.ID, "Fnac")
	darty := dashboardConnection(t, db, acme.ID, "Darty")
	theirs := dashboardConnection(t, db, globex.ID, "Theirs")

	dashboardOrder(t, db, fnac, "ACCEPT", daysAgo(0, 9, 0), func(o *models.Order) {
		o.Status, o.StoreState = models.StatusWaitingAcceptance, models.StorePending
	})
	dashboardOrder(t, db, fnac, "BLOCKED-STORE", daysAgo(0, 0, 0), func(o *models.Order) { o.StoreState = models.StoreBlocked })
	blockedShipment := dashboardOrder(t, db, darty, "BLOCKED-SHIPMENT", daysAgo(1, 23, 59), func(o *models.Order) {
		o.ShipmentState = models.ShipmentBlocked
		dashboardShipBy(now.Add(-time.Hour))(o)
	})
	late := dashboardOrder(t, db, fnac, "LATE", daysAgo(13, 0, 0), dashboardShipBy(now.Add(-30*time.Hour)))
	awaiting := dashboardOrder(t, db, darty, "AWAITING", daysAgo(14, 23, 59), func(o *models.Order) {
		o.ShipmentState = models.ShipmentAwaitingTracking
		dashboardShipBy(daysAgo(0, 20, 0))(o)
	})
	ready := dashboardOrder(t, db, darty, "READY", daysAgo(2, 10, 0), func(o *models.Order) {
		o.ShipmentState = models.ShipmentReady
		dashboardShipBy(daysAgo(0, 16, 0))(o)
	})
	dashboardOrder(t, db, fnac, "SENT", daysAgo(2, 11, 0), func(o *models.Order) {
		o.ShipmentState = models.ShipmentSent
		dashboardShipBy(now.Add(-time.Hour))(o)
	})
	dashboardOrder(t, db, fnac, "LATER", daysAgo(2, 12, 0), dashboardShipBy(today.AddDate(0, 0, 1)))
	dashboardOrder(t, db, fnac, "SHIPPED", daysAgo(3, 8, 0), func(o *models.Order) {
		o.Status, o.ShipmentState = models.StatusShipped, models.ShipmentConfirmed
		dashboardShipBy(now.Add(-72 * time.Hour))(o)
	})
	for i := range 5 {
		dashboardOrder(t, db, darty, fmt.Sprintf("LATE-%d", i), daysAgo(5, 8, i), dashboardShipBy(now.Add(-30*time.Minute)))
	}
	// Another merchant's orders count nowhere.
	dashboardOrder(t, db, theirs, "THEIRS-ACCEPT", daysAgo(0, 9, 0), func(o *models.Order) { o.Status = models.StatusWaitingAcceptance })
	dashboardOrder(t, db, theirs, "THEIRS-LATE", daysAgo(0, 9, 0), dashboardShipBy(now.Add(-time.Hour)))
	dashboardOrder(t, db, theirs, "THEIRS-TODAY", daysAgo(0, 9, 0), dashboardShipBy(now.Add(time.Hour)))

	d, err := models.LoadDashboard(ctx, db.Gorm, acme.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	want := models.DashboardCounts{ToAccept: 1, Blocked: 2, ToShip: 8, Shipping: 2, Overdue: 7, DueToday: 2}
	if d.Counts != want {
		t.Errorf("counts %+v, want %+v", d.Counts, want)
	}
	wantOverdue := []string{late.MarketplaceOrderID, blockedShipment.MarketplaceOrderID, "LATE-0", "LATE-1", "LATE-2"}
	if refs := dashboardRefs(d.Overdue); !reflect.DeepEqual(refs, wantOverdue) {
		t.Errorf("overdue lists %v, want the %d most late: %v", refs, models.DashboardListed, wantOverdue)
	}
	if refs := dashboardRefs(d.DueToday); !reflect.DeepEqual(refs, []string{ready.MarketplaceOrderID, awaiting.MarketplaceOrderID}) {
		t.Errorf("due today lists %v, want READY then AWAITING", refs)
	}
	if len(d.Connections) != 2 || d.Connections[0].Name != "Darty" || d.Connections[1].Name != "Fnac" {
		t.Errorf("connections %+v", d.Connections)
	}

	if len(d.Days) != models.DashboardDays || !d.Days[0].Day.Equal(daysAgo(13, 0, 0)) || !d.Days[13].Day.Equal(today) {
		t.Fatalf("%d days from %v to %v, want 14 ending today", len(d.Days), d.Days[0].Day, d.Days[len(d.Days)-1].Day)
	}
	wantDays := map[int]map[int64]int{ // days ago → orders per connection; every other day is empty
		0:  {fnac.ID: 2},
		1:  {darty.ID: 1},
		2:  {fnac.ID: 2, darty.ID: 1},
		3:  {fnac.ID: 1},
		5:  {darty.ID: 5},
		13: {fnac.ID: 1}, // placed at midnight of the first day: in; AWAITING, a minute earlier, is out
	}
	for i, day := range d.Days {
		ago := models.DashboardDays - 1 - i
		total := 0
		for _, n := range wantDays[ago] {
			total += n
		}
		if day.Total != total || (total > 0 && !reflect.DeepEqual(day.ByConnection, wantDays[ago])) {
			t.Errorf("%s: %d orders %v, want %d %v", day.Day.Format("2 Jan"), day.Total, day.ByConnection, total, wantDays[ago])
		}
	}

	// The other merchant sees its own orders only.
	d, err = models.LoadDashboard(ctx, db.Gorm, globex.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	want = models.DashboardCounts{ToAccept: 1, ToShip: 2, Overdue: 1, DueToday: 1}
	if d.Counts != want || len(d.Connections) != 1 || d.Days[13].Total != 3 {
		t.Errorf("other merchant: counts %+v, %d connections, %d orders today", d.Counts, len(d.Connections), d.Days[13].Total)
	}
}

func dashboardRefs(orders []models.Order) []string {
	refs := make([]string, len(orders))
	for i, o := range orders {
		refs[i] = o.MarketplaceOrderID
	}
	return refs
}
