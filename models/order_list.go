package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The values the order list can be narrowed to, in the order of their flow.
var (
	OrderStatuses = []string{StatusCreated, StatusWaitingAcceptance, StatusWaitingShipment, StatusShipped,
		StatusDelivered, StatusRefused, StatusCancelled, StatusRefunded}
	StoreStates    = []string{StorePending, StoreImported, StoreBlocked, StoreCancelled}
	ShipmentStates = []string{ShipmentNone, ShipmentAwaitingTracking, ShipmentReady, ShipmentSent,
		ShipmentConfirmed, ShipmentBlocked, ShipmentMarketplace}
)

// OrderTab is one of the order list's tabs: a named slice of the orders.
type OrderTab struct {
	Key   string
	Label string
	// condition is the tab's SQL condition on orders, "" for every order. Its values are the
	// constants of order.go written out, not bound: a literal lets PostgreSQL and SQLite match
	// the condition to a partial index (migration 00007) whatever plan they cache.
	condition string
}

// OrderTabs are the order list's tabs, in the order shown. The first shows every order.
var OrderTabs = []OrderTab{
	{"all", "All", ""},
	{"to_accept", "To accept", sqlIn("status", StatusWaitingAcceptance)},
	{"blocked", "Blocked", sqlIn("store_state", StoreBlocked) + " OR " + sqlIn("shipment_state", ShipmentBlocked)},
	{"to_ship", "To ship", sqlIn("status", StatusWaitingShipment) + " AND " + sqlIn("store_state", StoreImported) +
		" AND " + sqlIn("shipment_state", ShipmentNone, ShipmentAwaitingTracking)},
	{"shipping", "Shipping", sqlIn("shipment_state", ShipmentReady, ShipmentSent)},
	{"shipped", "Shipped", sqlIn("status", StatusShipped, StatusDelivered)},
	{"cancelled", "Cancelled", sqlIn("status", StatusCancelled, StatusRefused)},
}

// sqlIn writes "column = 'value'" or "column IN ('a', 'b')" for constant values of ours
// (never for user input: nothing is escaped).
func sqlIn(column string, values ...string) string {
	if len(values) == 1 {
		return fmt.Sprintf("%s = '%s'", column, values[0])
	}
	return fmt.Sprintf("%s IN ('%s')", column, strings.Join(values, "', '"))
}

// where narrows a query on orders to the tab.
func (t OrderTab) where(q *gorm.DB) *gorm.DB {
	if t.condition == "" {
		return q
	}
	return q.Where(t.condition)
}

// OrderTabByKey finds a tab; an unknown key gives the first (all orders).
func OrderTabByKey(key string) OrderTab {
	for _, t := range OrderTabs {
		if t.Key == key {
			return t
		}
	}
	return OrderTabs[0]
}

// OrderListFilter is what the order list is narrowed by, besides its tab.
type OrderListFilter struct {
	ConnectionID  int64
	Search        string // marketplace reference, store reference, buyer name or e-mail, tracking number
	Test          *bool
	Status        string    // marketplace status, "" for any
	StoreState    string    // "" for any
	ShipmentState string    // "" for any
	PlacedFrom    time.Time // placed at or after (zero: no lower bound)
	PlacedBefore  time.Time // placed strictly before (zero: no upper bound)
	BeforeID      int64     // keyset pagination: orders with a smaller id (0: the newest)
	Limit         int
}

func (f OrderListFilter) apply(q *gorm.DB) *gorm.DB {
	if f.ConnectionID != 0 {
		q = q.Where("connection_id = ?", f.ConnectionID)
	}
	if f.Test != nil {
		q = q.Where("test = ?", *f.Test)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.StoreState != "" {
		q = q.Where("store_state = ?", f.StoreState)
	}
	if f.ShipmentState != "" {
		q = q.Where("shipment_state = ?", f.ShipmentState)
	}
	if !f.PlacedFrom.IsZero() {
		q = q.Where("placed_at >= ?", f.PlacedFrom.UTC())
	}
	if !f.PlacedBefore.IsZero() {
		q = q.Where("placed_at < ?", f.PlacedBefore.UTC())
	}
	if s := strings.ToLower(strings.TrimSpace(f.Search)); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where(`lower(marketplace_reference) LIKE ? ESCAPE '\' OR lower(marketplace_order_id) LIKE ? ESCAPE '\'
			OR lower(store_order_id) LIKE ? ESCAPE '\' OR lower(tracking_number) LIKE ? ESCAPE '\'
			OR lower(shipping_first_name || ' ' || shipping_last_name) LIKE ? ESCAPE '\'
			OR lower(billing_email) LIKE ? ESCAPE '\'`, like, like, like, like, like, like)
	}
	return q
}

// escapeLike makes the user's text match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// orderListDefaultLimit is the page length when the filter names none.
const orderListDefaultLimit = 50

// OrderListQuery is the query OrderList runs (one row more than the page, to tell whether a
// next page exists), ready for Find. Tests read its SQL to check the plan.
func OrderListQuery(ctx context.Context, db *gorm.DB, merchantID int64, tab OrderTab, f OrderListFilter) *gorm.DB {
	limit := f.Limit
	if limit <= 0 {
		limit = orderListDefaultLimit
	}
	q := tab.where(f.apply(db.WithContext(ctx).Model(&Order{}).Scopes(ForMerchant(merchantID))))
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	return q.Order("id DESC").Limit(limit + 1)
}

// OrderList returns one page of a merchant's orders in a tab, newest first, and whether a
// next page exists.
func OrderList(ctx context.Context, db *gorm.DB, merchantID int64, tab OrderTab, f OrderListFilter) ([]Order, bool, error) {
	var orders []Order
	if err := OrderListQuery(ctx, db, merchantID, tab, f).Find(&orders).Error; err != nil {
		return nil, false, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = orderListDefaultLimit
	}
	more := len(orders) > limit
	if more {
		orders = orders[:limit]
	}
	return orders, more, nil
}

// OrderTabCounts counts a merchant's orders in each tab, with the same filter (not the page),
// in one query with one COUNT subquery per tab (as the dashboard counts). Each subquery is
// planned on its own and counts through its tab's index; one pass over the orders with a
// COUNT(CASE WHEN tab ...) per tab reads every row, and measured 2.5 (SQLite) to 5
// (PostgreSQL) times slower on 100 000 orders.
func OrderTabCounts(ctx context.Context, db *gorm.DB, merchantID int64, f OrderListFilter) (map[string]int64, error) {
	f.BeforeID = 0
	columns := make([]string, len(OrderTabs))
	subqueries := make([]any, len(OrderTabs))
	for i, tab := range OrderTabs {
		columns[i] = fmt.Sprintf("(?) AS tab_%d", i)
		subqueries[i] = tab.where(f.apply(db.Model(&Order{}).Select("COUNT(*)").Scopes(ForMerchant(merchantID))))
	}
	row := db.WithContext(ctx).Raw("SELECT "+strings.Join(columns, ", "), subqueries...).Row()
	values := make([]int64, len(OrderTabs))
	targets := make([]any, len(OrderTabs))
	for i := range values {
		targets[i] = &values[i]
	}
	if err := row.Scan(targets...); err != nil {
		return nil, err
	}
	counts := make(map[string]int64, len(OrderTabs))
	for i, tab := range OrderTabs {
		counts[tab.Key] = values[i]
	}
	return counts, nil
}
