package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// DashboardDays is how many days the dashboard's order chart covers, today included.
const DashboardDays = 14

// DashboardListed bounds the overdue and due-today orders listed; the counts say how many
// there are in all.
const DashboardListed = 5

// Dashboard is a merchant's day at a glance: what waits for a person, what must ship, how
// each connection is doing, and the orders of the last days.
type Dashboard struct {
	Now         time.Time // the moment it describes, UTC
	Connections []Connection
	Counts      DashboardCounts
	Overdue     []Order    // ship-by passed, not shipped; the most late first
	DueToday    []Order    // ship-by later today (UTC), not shipped; the soonest first
	Days        []DayCount // DashboardDays days, the oldest first, today last
}

// DashboardCounts are the merchant's orders in each state the dashboard shows. The first
// four are the order list's tabs of the same name. Like the tabs' counts, each stops at
// OrderTabCountCap+1, which stands for "more than OrderTabCountCap".
type DashboardCounts struct {
	ToAccept int64
	Blocked  int64
	ToShip   int64
	Shipping int64
	Overdue  int64
	DueToday int64
}

// DayCount is the orders placed on one UTC day, per connection.
type DayCount struct {
	Day          time.Time // midnight UTC
	Total        int
	ByConnection map[int64]int
}

// LoadDashboard reads a merchant's dashboard as of now, in a few queries whatever the
// number of orders.
func LoadDashboard(ctx context.Context, db *gorm.DB, merchantID int64, now time.Time) (*Dashboard, error) {
	now = now.UTC()
	today := startOfDayUTC(now)
	tomorrow := today.AddDate(0, 0, 1)
	d := &Dashboard{Now: now}
	var err error
	if d.Connections, err = MerchantConnections(ctx, db, merchantID); err != nil {
		return nil, err
	}
	if d.Counts, err = dashboardCounts(ctx, db, merchantID, now, tomorrow); err != nil {
		return nil, err
	}
	overdue := func(q *gorm.DB) *gorm.DB { return q.Where("ship_by < ?", now) }
	if d.Overdue, err = firstToShip(ctx, db, merchantID, overdue); err != nil {
		return nil, err
	}
	dueToday := func(q *gorm.DB) *gorm.DB { return q.Where("ship_by >= ? AND ship_by < ?", now, tomorrow) }
	if d.DueToday, err = firstToShip(ctx, db, merchantID, dueToday); err != nil {
		return nil, err
	}
	if d.Days, err = ordersPerDay(ctx, db, merchantID, today.AddDate(0, 0, 1-DashboardDays), tomorrow); err != nil {
		return nil, err
	}
	return d, nil
}

// notYetShipped narrows to orders the merchant still has to ship (or that orderhub has not
// yet sent), so that their ship-by date still matters. The marketplace's own shipments are
// not the merchant's to make.
func notYetShipped(q *gorm.DB) *gorm.DB {
	return q.Where("status = ? AND shipment_state IN ? AND fulfilled_by_marketplace = ?", StatusWaitingShipment,
		[]string{ShipmentNone, ShipmentAwaitingTracking, ShipmentReady, ShipmentBlocked}, false)
}

// dashboardCounts counts in one query: each count is a subquery, capped as the tabs' counts
// are, and the tabs' own conditions are reused so that each number matches the list it
// links to.
func dashboardCounts(ctx context.Context, db *gorm.DB, merchantID int64, now, tomorrow time.Time) (DashboardCounts, error) {
	count := func(where ...func(*gorm.DB) *gorm.DB) *gorm.DB {
		q := db.Model(&Order{}).Scopes(ForMerchant(merchantID))
		for _, w := range where {
			q = w(q)
		}
		return cappedCount(db, q)
	}
	var counts DashboardCounts
	err := db.WithContext(ctx).Raw(`SELECT (?) AS to_accept, (?) AS blocked, (?) AS to_ship, (?) AS shipping,
		(?) AS overdue, (?) AS due_today`,
		count(OrderTabByKey("to_accept").where),
		count(OrderTabByKey("blocked").where),
		count(OrderTabByKey("to_ship").where),
		count(OrderTabByKey("shipping").where),
		count(notYetShipped, func(q *gorm.DB) *gorm.DB { return q.Where("ship_by < ?", now) }),
		count(notYetShipped, func(q *gorm.DB) *gorm.DB { return q.Where("ship_by >= ? AND ship_by < ?", now, tomorrow) }),
	).Scan(&counts).Error
	return counts, err
}

// firstToShip returns the first few orders not yet shipped that match when, by ship-by date.
func firstToShip(ctx context.Context, db *gorm.DB, merchantID int64, when func(*gorm.DB) *gorm.DB) ([]Order, error) {
	var orders []Order
	err := when(notYetShipped(db.WithContext(ctx).Scopes(ForMerchant(merchantID)))).
		Order("ship_by, id").Limit(DashboardListed).Find(&orders).Error
	return orders, err
}

// ordersPerDay counts the orders placed from the first day up to end, per UTC day and
// connection. It reads two columns of each order and counts in Go: date functions differ
// between PostgreSQL and SQLite (which stores times as text), and a merchant's orders of two
// weeks are few enough.
func ordersPerDay(ctx context.Context, db *gorm.DB, merchantID int64, first, end time.Time) ([]DayCount, error) {
	var placed []struct {
		ConnectionID int64
		PlacedAt     time.Time
	}
	err := db.WithContext(ctx).Model(&Order{}).Scopes(ForMerchant(merchantID)).
		Select("connection_id", "placed_at").Where("placed_at >= ? AND placed_at < ?", first, end).
		Scan(&placed).Error
	if err != nil {
		return nil, err
	}
	days := make([]DayCount, int(end.Sub(first)/(24*time.Hour)))
	for i := range days {
		days[i] = DayCount{Day: first.AddDate(0, 0, i), ByConnection: map[int64]int{}}
	}
	for _, p := range placed {
		i := int(startOfDayUTC(p.PlacedAt).Sub(first) / (24 * time.Hour))
		if i < 0 || i >= len(days) {
			continue // cannot happen with the query's bounds; kept so a bad row cannot panic
		}
		days[i].Total++
		days[i].ByConnection[p.ConnectionID]++
	}
	return days, nil
}

// startOfDayUTC is midnight UTC of t's UTC day.
func startOfDayUTC(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
