package models_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// blockedOrder saves an order of the connection blocked on one side by reason and cause,
// blocked since the given time.
func blockedOrder(t *testing.T, db *models.DB, c *models.Connection, id, side, reason, cause string, since time.Time) *models.Order {
	t.Helper()
	o := marketplaceOrder(id, models.StatusWaitingShipment, since)
	o.MerchantID, o.ConnectionID = c.MerchantID, c.ID
	o.Lines = nil
	o.StoreState, o.ShipmentState = models.StoreImported, models.ShipmentNone
	message := fmt.Sprintf("%s because of %s (%s).", reason, cause, id)
	if side == models.SideStore {
		o.StoreState, o.StoreBlockedReason, o.StoreBlockedCause, o.StoreBlockedMessage = models.StoreBlocked, reason, cause, message
	} else {
		o.ShipmentState, o.ShipmentBlockedReason, o.ShipmentBlockedCause, o.ShipmentBlockedMessage = models.ShipmentBlocked, reason, cause, message
	}
	shipBy := since.Add(48 * time.Hour)
	o.ShipBy = &shipBy
	o.CreatedAt, o.UpdatedAt = since, since
	if err := db.Gorm.Session(&gorm.Session{SkipHooks: true}).Create(o).Error; err != nil {
		t.Fatal(err)
	}
	// Create sets updated_at to now: put the blocked time back.
	if err := db.Gorm.Model(&models.Order{}).Where("id = ?", o.ID).UpdateColumn("updated_at", since).Error; err != nil {
		t.Fatal(err)
	}
	return o
}

func TestErrorQueueGroupsBlockedOrdersByCause(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	acme := activeConnection(t, db, "Acme")
	other := activeConnection(t, db, "Other")
	now := day0.Add(10 * 24 * time.Hour)

	for i := range 3 {
		blockedOrder(t, db, acme, fmt.Sprintf("SKU-%d-A", i), models.SideStore, models.BlockedUnknownProduct, "ABC-12", now.Add(-time.Duration(5-i)*time.Hour))
	}
	blockedOrder(t, db, acme, "SKU2-1-A", models.SideStore, models.BlockedUnknownProduct, "XYZ-9", now.Add(-time.Hour))
	blockedOrder(t, db, acme, "BE-1-A", models.SideStore, models.BlockedCountryInactive, "BE", now.Add(-30*time.Hour))
	blockedOrder(t, db, acme, "SHIP-1-A", models.SideShipment, models.BlockedMarketplaceRejected, "Tracking number invalid", now.Add(-2*time.Hour))
	blockedOrder(t, db, other, "OTHER-1-A", models.SideStore, models.BlockedUnknownProduct, "ABC-12", now.Add(-40*time.Hour))

	groups, err := models.ErrorQueue(ctx, db.Gorm, acme.MerchantID, models.ErrorQueueFilter{}, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range groups {
		got = append(got, fmt.Sprintf("%s/%s/%s=%d", g.Side, g.Reason, g.Cause, g.Count))
		if g.ConnectionName != acme.Name || g.MerchantName != "Acme" {
			t.Errorf("group %s/%s names %q of %q", g.Reason, g.Cause, g.ConnectionName, g.MerchantName)
		}
	}
	want := "store/country_inactive/BE=1 store/unknown_product/ABC-12=3 shipment/marketplace_rejected/Tracking number invalid=1 store/unknown_product/XYZ-9=1"
	if strings.Join(got, " ") != want {
		t.Fatalf("groups, longest-waiting first:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	abc := groups[1]
	if !abc.OldestSince.Equal(now.Add(-5*time.Hour)) || abc.EarliestShipBy == nil || !abc.EarliestShipBy.Equal(now.Add(43*time.Hour)) {
		t.Errorf("ABC-12 group: oldest %v, earliest ship-by %v", abc.OldestSince, abc.EarliestShipBy)
	}
	if abc.Message != "unknown_product because of ABC-12 (SKU-0-A)." {
		t.Errorf("the group's message is its oldest order's: %q", abc.Message)
	}

	// Filters: by connection, by reason, by age.
	count := func(merchantID int64, f models.ErrorQueueFilter) int {
		t.Helper()
		groups, err := models.ErrorQueue(ctx, db.Gorm, merchantID, f, now)
		if err != nil {
			t.Fatal(err)
		}
		return len(groups)
	}
	if n := count(acme.MerchantID, models.ErrorQueueFilter{ConnectionID: other.ID}); n != 0 {
		t.Errorf("another merchant's connection as filter: %d groups, want none", n)
	}
	if n := count(acme.MerchantID, models.ErrorQueueFilter{Reason: models.BlockedUnknownProduct}); n != 2 {
		t.Errorf("unknown products: %d groups, want 2", n)
	}
	if n := count(acme.MerchantID, models.ErrorQueueFilter{OlderThan: 24 * time.Hour}); n != 1 {
		t.Errorf("waiting a day or more: %d groups, want 1 (BE)", n)
	}
	// A support agent (merchant 0) sees every merchant's groups.
	if n := count(0, models.ErrorQueueFilter{}); n != 5 {
		t.Errorf("support agent: %d groups, want 5", n)
	}

	// The group's orders, a page at a time, and all their ids.
	first, err := models.BlockedGroupOrders(ctx, db.Gorm, acme.MerchantID, abc.GroupKey, nil, 2)
	if err != nil || len(first) != 2 || first[0].MarketplaceOrderID != "SKU-0-A" || first[1].MarketplaceOrderID != "SKU-1-A" {
		t.Fatalf("first page of the group: %v %v", first, err)
	}
	next, err := models.BlockedGroupOrders(ctx, db.Gorm, acme.MerchantID, abc.GroupKey, &first[1], 2)
	if err != nil || len(next) != 1 || next[0].MarketplaceOrderID != "SKU-2-A" {
		t.Fatalf("second page of the group: %v %v", next, err)
	}
	ids, err := models.BlockedGroupOrderIDs(ctx, db.Gorm, acme.MerchantID, abc.GroupKey)
	if err != nil || len(ids) != 3 {
		t.Fatalf("group ids %v %v", ids, err)
	}
	// The same key under the other merchant finds only the other merchant's order.
	otherKey := abc.GroupKey
	otherKey.ConnectionID = acme.ID
	if ids, _ := models.BlockedGroupOrderIDs(ctx, db.Gorm, other.MerchantID, otherKey); len(ids) != 0 {
		t.Errorf("merchant B reads merchant A's group: %v", ids)
	}
}

// statementRecorder is a GORM logger that keeps the statements run.
type statementRecorder struct {
	logger.Interface
	mu         sync.Mutex
	statements []string
}

func (r *statementRecorder) LogMode(logger.LogLevel) logger.Interface { return r }

func (r *statementRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	r.mu.Lock()
	r.statements = append(r.statements, sql)
	r.mu.Unlock()
}

// TestErrorQueueOf50kBlockedOrdersReadsIndexesOnly seeds 50k blocked orders among 100k and
// checks the queue's first page: the grouping reads the partial indexes, never the table, and
// the page takes a number of queries set by its groups, not by its orders.
func TestErrorQueueOf50kBlockedOrdersReadsIndexesOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100k orders")
	}
	ctx := context.Background()
	db := testdb.Open(t)
	c := activeConnection(t, db, "Acme")
	seedOrders(t, db, c, 50_000)
	series := "SELECT i FROM generate_series(1, 50000) AS s(i)"
	if db.Dialect == models.DialectSQLite {
		series = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 50000) SELECT i FROM s"
	}
	quiet := db.Gorm.Session(&gorm.Session{Logger: logger.Discard})
	// 30 causes: unknown SKUs, inactive countries, store messages; a tenth blocked at shipment.
	err := quiet.Exec(`INSERT INTO orders (merchant_id, connection_id, marketplace_order_id, marketplace_reference,
			status, placed_at, marketplace_updated_at, currency, total_amount, store_state, store_blocked_reason,
			store_blocked_cause, store_blocked_message, shipment_state, shipment_blocked_reason, shipment_blocked_cause, test)
		SELECT ?, ?, 'BLOCKED-' || i, 'B-' || i, 'waiting_shipment', ?, ?, 'EUR', 1000,
			CASE WHEN i % 10 = 0 THEN 'imported' ELSE 'blocked' END,
			CASE WHEN i % 10 = 0 THEN '' WHEN i % 3 = 0 THEN 'unknown_product' WHEN i % 3 = 1 THEN 'country_inactive' ELSE 'store_rejected' END,
			CASE WHEN i % 10 = 0 THEN '' ELSE 'CAUSE-' || (i % 30) END,
			CASE WHEN i % 10 = 0 THEN '' ELSE 'Blocked; fix and retry.' END,
			CASE WHEN i % 10 = 0 THEN 'blocked' ELSE 'none' END,
			CASE WHEN i % 10 = 0 THEN 'carrier_unmapped' ELSE '' END,
			CASE WHEN i % 10 = 0 THEN 'Carrier ' || (i % 7) ELSE '' END,
			false
		FROM (`+series+`) AS n`, c.MerchantID, c.ID, day0, day0).Error
	if err != nil {
		t.Fatal(err)
	}
	if db.Dialect == models.DialectPostgres {
		quiet.Exec("VACUUM ANALYZE orders")
	} else {
		quiet.Exec("ANALYZE")
	}

	recorder := &statementRecorder{Interface: logger.Discard}
	recorded := db.Gorm.Session(&gorm.Session{Logger: recorder})
	groups, err := models.ErrorQueue(ctx, recorded, c.MerchantID, models.ErrorQueueFilter{}, day0)
	if err != nil {
		t.Fatal(err)
	}
	var blocked int64
	for _, g := range groups {
		blocked += g.Count
	}
	// The seeded orders hold some blocked ones of their own.
	if blocked < 50_000 || len(groups) < 30 {
		t.Fatalf("%d groups holding %d orders; want every blocked order counted", len(groups), blocked)
	}
	t.Logf("%d groups, %d blocked orders, %d statements", len(groups), blocked, len(recorder.statements))
	// One grouping statement, then per group on the page its oldest order's message and, once
	// each, the connection's and merchant's names.
	if max := 1 + len(groups) + 2; len(recorder.statements) > max {
		t.Errorf("%d statements for %d groups, want at most %d", len(recorder.statements), len(groups), max)
	}
	grouping := recorder.statements[0]
	var scans []string
	took := ""
	if db.Dialect == models.DialectPostgres {
		scans, took = postgresOrderScans(t, db, grouping)
	} else {
		scans = sqliteOrderScans(t, db, grouping)
	}
	t.Logf("the grouping reads orders by %v %s", scans, took)
	for _, scan := range scans {
		if scan == "Seq Scan" {
			t.Errorf("the grouping reads the whole orders table:\n%s", grouping)
		}
	}
	if len(scans) != 2 {
		t.Errorf("the grouping reads orders %d times, want 2 (one per side): %v", len(scans), scans)
	}
}
