package models_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// seedOrders inserts n orders on the connection in one statement, spread like the orders of
// a shop that has run a while: most shipped or delivered, some to ship, a few to accept,
// blocked or cancelled. PostgreSQL counts with generate_series, SQLite with a recursive CTE.
func seedOrders(t testing.TB, db *models.DB, c *models.Connection, n int) {
	t.Helper()
	series := "SELECT i FROM generate_series(1, CAST(? AS INTEGER)) AS s(i)"
	placed := "TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL '1 minute'"
	if db.Dialect == models.DialectSQLite {
		series = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < CAST(? AS INTEGER)) SELECT i FROM s"
		// The text layout the SQLite driver writes and reads times in.
		placed = "strftime('%Y-%m-%d %H:%M:%S+00:00', '2026-01-01', '+' || i || ' minutes')"
	}
	// b splits the orders in 200 buckets: 0-169 shipped or delivered, 170-185 to ship,
	// 186-187 blocked in the store, 188 shipment blocked, 189-190 shipping, 191-194 to
	// accept, 195-199 cancelled or refused.
	quiet := db.Gorm.Session(&gorm.Session{Logger: logger.Discard}) // no slow-query warning
	err := quiet.Exec(`INSERT INTO orders (merchant_id, connection_id, marketplace_order_id, marketplace_reference,
			status, placed_at, marketplace_updated_at, currency, total_amount, shipping_first_name, shipping_last_name,
			billing_email, store_state, shipment_state, test)
		SELECT ?, ?, 'SEED-' || i, 'REF-' || i,
			CASE WHEN b < 170 THEN (CASE WHEN b % 2 = 0 THEN 'shipped' ELSE 'delivered' END)
				WHEN b < 191 THEN 'waiting_shipment' WHEN b < 195 THEN 'waiting_acceptance'
				WHEN b < 198 THEN 'cancelled' ELSE 'refused' END,
			`+placed+`, `+placed+`, 'EUR', 1000 + b, 'Buyer', 'N' || i, 'buyer' || i || '@example.test',
			CASE WHEN b < 186 THEN 'imported' WHEN b < 188 THEN 'blocked' WHEN b < 191 THEN 'imported'
				WHEN b < 195 THEN 'pending' ELSE 'cancelled' END,
			CASE WHEN b < 170 THEN 'confirmed' WHEN b < 178 THEN 'none' WHEN b < 186 THEN 'awaiting_tracking'
				WHEN b < 188 THEN 'none' WHEN b < 189 THEN 'blocked' WHEN b < 190 THEN 'ready'
				WHEN b < 191 THEN 'sent' ELSE 'none' END,
			i % 500 = 0
		FROM (SELECT i, i % 200 AS b FROM (`+series+`) AS n) AS seeded`, c.MerchantID, c.ID, n).Error
	if err != nil {
		t.Fatalf("seeding %d orders: %v", n, err)
	}
}

// planNode is one node of PostgreSQL's EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Index    string     `json:"Index Name"`
	Plans    []planNode `json:"Plans"`
}

// orderScans walks a plan and lists how it reads the orders table: "Seq Scan", or the index
// an index scan uses.
func (n planNode) orderScans() []string {
	var scans []string
	switch {
	case n.Relation == "orders" && n.NodeType == "Seq Scan":
		scans = append(scans, "Seq Scan")
	case n.Relation == "orders" && strings.HasPrefix(n.NodeType, "Index"): // Index Scan, Index Only Scan
		scans = append(scans, n.Index)
	case n.NodeType == "Bitmap Index Scan" && strings.HasPrefix(n.Index, "orders_"):
		scans = append(scans, n.Index+" (bitmap)")
	}
	for _, child := range n.Plans {
		scans = append(scans, child.orderScans()...)
	}
	return scans
}

// TestOrderListUsesIndexesAt100kOrders seeds 100 000 orders for one merchant (and some for
// another) and checks that the list's pages are read through an index, never by reading the
// whole orders table.
func TestOrderListUsesIndexesAt100kOrders(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100 000 orders")
	}
	ctx := context.Background()
	db := testdb.Open(t)
	big := activeConnection(t, db, "Big")
	small := activeConnection(t, db, "Small")
	start := time.Now()
	seedOrders(t, db, big, 100_000)
	seedOrders(t, db, small, 1_000)
	if err := db.Gorm.Session(&gorm.Session{Logger: logger.Discard}).Exec("ANALYZE orders").Error; err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: 101 000 orders seeded and analysed in %s", db.Dialect, time.Since(start).Round(time.Millisecond))

	countStart := time.Now()
	counts, err := models.OrderTabCounts(ctx, db.Gorm, big.MerchantID, models.OrderListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("every tab counted in one query in %s", time.Since(countStart).Round(time.Microsecond))
	// 100 000 orders in 200 buckets: 500 orders per bucket. Every tab but "Shipping" (1 000,
	// counted exactly) holds more than the cap, and counts one more than it.
	over := int64(models.OrderTabCountCap + 1)
	want := map[string]int64{"all": over, "to_accept": over, "blocked": over, "to_ship": over,
		"shipping": 1_000, "shipped": over, "cancelled": over}
	for tab, n := range want {
		if counts[tab] != n {
			t.Errorf("tab %s counts %d, want %d", tab, counts[tab], n)
		}
	}

	nextPage := func(tab models.OrderTab) int64 {
		orders, more, err := models.OrderList(ctx, db.Gorm, big.MerchantID, tab, models.OrderListFilter{})
		if err != nil || !more {
			t.Fatalf("tab %s: first page (more %v): %v", tab.Key, more, err)
		}
		return orders[len(orders)-1].ID
	}
	postgres := db.Dialect == models.DialectPostgres
	cases := []struct {
		name     string
		merchant int64
		tab      string
		filter   models.OrderListFilter
		required bool // a page the list must read through an index; the others are logged
	}{
		{"all, first page", big.MerchantID, "all", models.OrderListFilter{}, true},
		{"all, next page", big.MerchantID, "all", models.OrderListFilter{BeforeID: nextPage(models.OrderTabByKey("all"))}, true},
		{"all, small merchant", small.MerchantID, "all", models.OrderListFilter{}, true},
		{"blocked, first page", big.MerchantID, "blocked", models.OrderListFilter{}, true},
		{"blocked, next page", big.MerchantID, "blocked", models.OrderListFilter{BeforeID: nextPage(models.OrderTabByKey("blocked"))}, true},
		{"to_ship, first page", big.MerchantID, "to_ship", models.OrderListFilter{}, true},
		{"to_ship, next page", big.MerchantID, "to_ship", models.OrderListFilter{BeforeID: nextPage(models.OrderTabByKey("to_ship"))}, true},
		{"to_accept, first page", big.MerchantID, "to_accept", models.OrderListFilter{}, true},
		{"shipping, first page", big.MerchantID, "shipping", models.OrderListFilter{}, false},
		{"shipped, first page", big.MerchantID, "shipped", models.OrderListFilter{}, false},
		{"cancelled, first page", big.MerchantID, "cancelled", models.OrderListFilter{}, false},
		{"store state filter", big.MerchantID, "all", models.OrderListFilter{StoreState: models.StorePending}, false},
		{"placed in one day", big.MerchantID, "all", models.OrderListFilter{PlacedFrom: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC),
			PlacedBefore: time.Date(2026, 1, 21, 0, 0, 0, 0, time.UTC)}, false},
		{"search by e-mail", big.MerchantID, "all", models.OrderListFilter{Search: "Buyer4242@example.test"}, true},
		// SQLite looks no name prefix up in an index (migration 00017), and reads the
		// merchant's rows for these.
		{"search by reference", big.MerchantID, "all", models.OrderListFilter{Search: "ref-4242"}, postgres},
		{"search by last name", big.MerchantID, "all", models.OrderListFilter{Search: "n4242"}, postgres},
		{"search by full name", big.MerchantID, "to_ship", models.OrderListFilter{Search: "buyer n4242"}, postgres},
	}
	for _, tc := range cases {
		sql := db.Gorm.ToSQL(func(tx *gorm.DB) *gorm.DB {
			return models.OrderListQuery(ctx, tx, tc.merchant, models.OrderTabByKey(tc.tab), tc.filter).Find(&[]models.Order{})
		})
		var scans []string
		took := ""
		if db.Dialect == models.DialectPostgres {
			scans, took = postgresOrderScans(t, db, sql)
		} else {
			scans = sqliteOrderScans(t, db, sql)
		}
		t.Logf("%-22s reads orders by %v %s", tc.name, scans, took)
		if len(scans) == 0 {
			t.Errorf("%s: the plan does not read orders?\n%s", tc.name, sql)
		}
		for _, scan := range scans {
			if scan == "Seq Scan" && tc.required {
				t.Errorf("%s: the whole orders table is read:\n%s", tc.name, sql)
			}
		}
	}
}

// postgresOrderScans runs the query under EXPLAIN ANALYZE: how it reads orders, and how long
// it took (a figure for the log, not a check).
func postgresOrderScans(t *testing.T, db *models.DB, sql string) ([]string, string) {
	t.Helper()
	var raw string
	if err := db.Gorm.Raw("EXPLAIN (ANALYZE, FORMAT JSON) " + sql).Row().Scan(&raw); err != nil {
		t.Fatalf("explain: %v\n%s", err, sql)
	}
	var plans []struct {
		Plan          planNode
		ExecutionTime float64 `json:"Execution Time"`
	}
	if err := json.Unmarshal([]byte(raw), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("reading the plan %s: %v", raw, err)
	}
	return plans[0].Plan.orderScans(), fmt.Sprintf("in %.2f ms", plans[0].ExecutionTime)
}

// sqliteOrderScans reads SQLite's EXPLAIN QUERY PLAN: "SEARCH orders USING INDEX x (...)" or
// "SCAN orders" (the whole table; "Seq Scan" here, for the test's one word).
func sqliteOrderScans(t *testing.T, db *models.DB, sql string) []string {
	t.Helper()
	var steps []struct {
		ID, Parent, NotUsed int
		Detail              string
	}
	if err := db.Gorm.Raw("EXPLAIN QUERY PLAN " + sql).Scan(&steps).Error; err != nil {
		t.Fatalf("explain: %v\n%s", err, sql)
	}
	var scans []string
	for _, step := range steps {
		switch {
		case step.Detail == "SCAN orders" || strings.HasPrefix(step.Detail, "SCAN orders USING INDEX"):
			scans = append(scans, "Seq Scan") // a full pass, over the table or over an index
		case strings.HasPrefix(step.Detail, "SEARCH orders USING"):
			scans = append(scans, strings.TrimPrefix(step.Detail, "SEARCH orders USING "))
		case strings.HasPrefix(step.Detail, "SCAN orders"):
			scans = append(scans, step.Detail)
		}
	}
	return scans
}

// queryCounter is a GORM logger that counts the statements run.
type queryCounter struct {
	logger.Interface
	queries atomic.Int64
}

func (c *queryCounter) LogMode(logger.LogLevel) logger.Interface { return c }

func (c *queryCounter) Trace(context.Context, time.Time, func() (string, int64), error) {
	c.queries.Add(1)
}

// TestOrderListQueriesDoNotGrowWithOrders checks the list page's reads: the page and every
// tab's count take the same number of queries for 10 orders as for 1000 (no query per order),
// and the counts in one query agree with the tabs' lists.
func TestOrderListQueriesDoNotGrowWithOrders(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	c := activeConnection(t, db, "Acme")
	listPage := func() (int64, map[string]int64) {
		t.Helper()
		counter := &queryCounter{Interface: logger.Discard}
		counted := db.Gorm.Session(&gorm.Session{Logger: counter})
		if _, _, err := models.OrderList(ctx, counted, c.MerchantID, models.OrderTabByKey("to_ship"), models.OrderListFilter{}); err != nil {
			t.Fatal(err)
		}
		counts, err := models.OrderTabCounts(ctx, counted, c.MerchantID, models.OrderListFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return counter.queries.Load(), counts
	}

	seedOrders(t, db, c, 10)
	few, _ := listPage()
	if err := db.Gorm.Exec("DELETE FROM orders").Error; err != nil {
		t.Fatal(err)
	}
	seedOrders(t, db, c, 1000)
	many, counts := listPage()
	if few != many || many != 2 {
		t.Errorf("the list page takes %d queries for 10 orders and %d for 1000; want 2 each (the page, the counts)", few, many)
	}
	for _, tab := range models.OrderTabs {
		orders, _, err := models.OrderList(ctx, db.Gorm, c.MerchantID, tab, models.OrderListFilter{Limit: 2000})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(orders)) != counts[tab.Key] {
			t.Errorf("tab %s counts %d but lists %d orders", tab.Key, counts[tab.Key], len(orders))
		}
	}
}
