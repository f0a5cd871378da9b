package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Sides of an order that can be blocked.
const (
	SideStore    = "store"
	SideShipment = "shipment"
)

// GroupKey names the orders blocked by one cause: same connection, same side, same reason,
// same cause, so that one fix serves them all.
type GroupKey struct {
	ConnectionID int64
	Side         string
	Reason       string
	Cause        string
}

// BlockedGroup is one line of the error queue: the orders blocked by one cause.
type BlockedGroup struct {
	GroupKey
	MerchantID     int64
	MerchantName   string // filled for support agents, who see every merchant
	ConnectionName string
	Message        string // the message of the group's oldest order, with what to do
	Count          int64
	OldestSince    time.Time  // when the longest-waiting order was blocked
	EarliestShipBy *time.Time // the nearest ship-by deadline among them
}

// ErrorQueueFilter narrows the error queue.
type ErrorQueueFilter struct {
	ConnectionID int64
	Reason       string
	OlderThan    time.Duration // only groups whose oldest order waits at least this long
}

// errorQueueGroups bounds the groups on one page: each stands for any number of orders.
const errorQueueGroups = 200

// ErrorQueue groups the blocked orders of a merchant (of every merchant when merchantID is 0,
// for support agents) by cause, the longest-waiting group first. It reads the two partial
// indexes on blocked orders and never loads the orders themselves.
func ErrorQueue(ctx context.Context, db *gorm.DB, merchantID int64, f ErrorQueueFilter, now time.Time) ([]BlockedGroup, error) {
	var parts []string
	var args []any
	for _, side := range []string{SideStore, SideShipment} {
		where := []string{side + "_state = 'blocked'"}
		var sideArgs []any
		if merchantID != 0 {
			where = append(where, "merchant_id = ?")
			sideArgs = append(sideArgs, merchantID)
		}
		if f.ConnectionID != 0 {
			where = append(where, "connection_id = ?")
			sideArgs = append(sideArgs, f.ConnectionID)
		}
		if f.Reason != "" {
			where = append(where, side+"_blocked_reason = ?")
			sideArgs = append(sideArgs, f.Reason)
		}
		having := ""
		if f.OlderThan > 0 {
			having = " HAVING MIN(updated_at) <= ?"
		}
		parts = append(parts, fmt.Sprintf(`SELECT merchant_id, connection_id, '%[1]s' AS side,
			%[1]s_blocked_reason AS reason, %[1]s_blocked_cause AS cause, COUNT(*) AS count,
			MIN(updated_at) AS oldest_since, MIN(ship_by) AS earliest_ship_by
			FROM orders WHERE %[2]s
			GROUP BY merchant_id, connection_id, %[1]s_blocked_reason, %[1]s_blocked_cause%[3]s`,
			side, strings.Join(where, " AND "), having))
		args = append(args, sideArgs...)
		if f.OlderThan > 0 {
			args = append(args, now.Add(-f.OlderThan).UTC())
		}
	}
	rows, err := db.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL ")+
		fmt.Sprintf(" ORDER BY oldest_since, connection_id, side, reason, cause LIMIT %d", errorQueueGroups), args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var groups []BlockedGroup
	for rows.Next() {
		var g BlockedGroup
		var oldest, shipBy dbTime
		if err := rows.Scan(&g.MerchantID, &g.ConnectionID, &g.Side, &g.Reason, &g.Cause, &g.Count, &oldest, &shipBy); err != nil {
			return nil, err
		}
		g.OldestSince = oldest.Time
		if shipBy.Valid {
			t := shipBy.Time
			g.EarliestShipBy = &t
		}
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return groups, describeGroups(ctx, db, groups)
}

// describeGroups fills the names and each group's message, read from its oldest order: a
// query per group on the page, each served by the index, whatever the number of orders.
func describeGroups(ctx context.Context, db *gorm.DB, groups []BlockedGroup) error {
	connections := map[int64]*Connection{}
	merchants := map[int64]string{}
	for i := range groups {
		g := &groups[i]
		c, ok := connections[g.ConnectionID]
		if !ok {
			c = &Connection{}
			if err := db.WithContext(ctx).Select("id", "merchant_id", "name").First(c, g.ConnectionID).Error; err != nil {
				return err
			}
			connections[g.ConnectionID] = c
		}
		g.ConnectionName = c.Name
		name, ok := merchants[g.MerchantID]
		if !ok {
			var m Merchant
			if err := db.WithContext(ctx).Select("id", "name").First(&m, g.MerchantID).Error; err != nil {
				return err
			}
			name, merchants[g.MerchantID] = m.Name, m.Name
		}
		g.MerchantName = name
		var oldest Order
		err := blockedIn(db.WithContext(ctx), g.MerchantID, g.GroupKey).
			Select("id", g.Side+"_blocked_message").Order("updated_at, id").Limit(1).Find(&oldest).Error
		if err != nil {
			return err
		}
		g.Message = oldest.StoreBlockedMessage
		if g.Side == SideShipment {
			g.Message = oldest.ShipmentBlockedMessage
		}
	}
	return nil
}

// blockedIn narrows a query on orders to the merchant's orders blocked by the group's cause.
func blockedIn(q *gorm.DB, merchantID int64, k GroupKey) *gorm.DB {
	side := SideStore
	if k.Side == SideShipment {
		side = SideShipment
	}
	return q.Model(&Order{}).Scopes(ForMerchant(merchantID)).
		Where(side+"_state = 'blocked' AND connection_id = ? AND "+side+"_blocked_reason = ? AND "+side+"_blocked_cause = ?",
			k.ConnectionID, k.Reason, k.Cause)
}

// FindBlockedGroup is the group of the merchant's orders blocked by the key's cause, with its
// count, age and message; ErrNotFound when no order is blocked by it (any more).
func FindBlockedGroup(ctx context.Context, db *gorm.DB, merchantID int64, k GroupKey) (*BlockedGroup, error) {
	if k.Side != SideStore && k.Side != SideShipment {
		return nil, ErrNotFound
	}
	row := blockedIn(db.WithContext(ctx), merchantID, k).
		Select("COUNT(*), MIN(updated_at), MIN(ship_by)").Row()
	g := BlockedGroup{GroupKey: k, MerchantID: merchantID}
	var oldest, shipBy dbTime
	if err := row.Scan(&g.Count, &oldest, &shipBy); err != nil {
		return nil, err
	}
	if g.Count == 0 {
		return nil, ErrNotFound
	}
	g.OldestSince = oldest.Time
	if shipBy.Valid {
		t := shipBy.Time
		g.EarliestShipBy = &t
	}
	groups := []BlockedGroup{g}
	if err := describeGroups(ctx, db, groups); err != nil {
		return nil, err
	}
	return &groups[0], nil
}

// BlockedGroupOrders is a page of the merchant's orders blocked by the group's cause, the
// longest-waiting first; after is the last order of the previous page (nil for the first).
func BlockedGroupOrders(ctx context.Context, db *gorm.DB, merchantID int64, k GroupKey, after *Order, limit int) ([]Order, error) {
	q := blockedIn(db.WithContext(ctx), merchantID, k)
	if after != nil {
		q = q.Where("(updated_at > ? OR (updated_at = ? AND id > ?))", after.UpdatedAt, after.UpdatedAt, after.ID)
	}
	var orders []Order
	return orders, q.Order("updated_at, id").Limit(limit).Find(&orders).Error
}

// BlockedGroupOrderIDs lists the ids of every order blocked by the group's cause, for a fix
// or a bulk action on the whole group.
func BlockedGroupOrderIDs(ctx context.Context, db *gorm.DB, merchantID int64, k GroupKey) ([]int64, error) {
	var ids []int64
	return ids, blockedIn(db.WithContext(ctx), merchantID, k).Order("id").Pluck("id", &ids).Error
}

// BlockedOrderCount counts a merchant's orders blocked on either side.
func BlockedOrderCount(ctx context.Context, db *gorm.DB, merchantID int64) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Order{}).Scopes(ForMerchant(merchantID)).
		Where("store_state = ? OR shipment_state = ?", StoreBlocked, ShipmentBlocked).Count(&n).Error
	return n, err
}

// dbTime reads a time from an aggregate column: PostgreSQL hands a time.Time, SQLite the
// text the driver wrote.
type dbTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTimeLayouts are the layouts the SQLite driver writes times in.
var sqliteTimeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05", time.RFC3339Nano}

func (t *dbTime) Scan(value any) error {
	switch v := value.(type) {
	case nil:
		*t = dbTime{}
		return nil
	case time.Time:
		*t = dbTime{Time: v.UTC(), Valid: true}
		return nil
	case []byte:
		return t.Scan(string(v))
	case string:
		for _, layout := range sqliteTimeLayouts {
			if parsed, err := time.Parse(layout, v); err == nil {
				*t = dbTime{Time: parsed.UTC(), Valid: true}
				return nil
			}
		}
		return fmt.Errorf("reading time %q", v)
	}
	return fmt.Errorf("reading time from %T", value)
}

var _ sql.Scanner = (*dbTime)(nil)

// OrderConnections lists the merchant's connections the orders belong to (name and
// marketplace), for a confirmation that says where an action applies.
func OrderConnections(ctx context.Context, db *gorm.DB, merchantID int64, orderIDs []int64) ([]Connection, error) {
	var connections []Connection
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Select("id", "name", "marketplace_kind").
		Where("id IN (?)", db.Model(&Order{}).Scopes(ForMerchant(merchantID)).Where("id IN ?", orderIDs).Distinct("connection_id")).
		Order("name").Find(&connections).Error
	return connections, err
}
