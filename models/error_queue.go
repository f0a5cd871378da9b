package models

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
)

// BlockedGroup is the orders blocked by one cause: same connection, same side (store or
// shipment), same reason and same message, so that one fix serves them all.
type BlockedGroup struct {
	Side           string // "store" or "shipment"
	Reason         string
	Message        string
	ConnectionID   int64
	ConnectionName string
	Orders         []Order   // oldest first
	OldestSince    time.Time // when the oldest of them last changed
	EarliestShipBy *time.Time
}

// ErrorQueueFilter narrows the error queue.
type ErrorQueueFilter struct {
	ConnectionID int64
	Reason       string
}

// errorQueueLimit bounds the orders read for one page of the queue.
const errorQueueLimit = 2000

// ErrorQueue groups a merchant's blocked orders by cause, the group with the oldest order
// first.
func ErrorQueue(ctx context.Context, db *gorm.DB, merchantID int64, f ErrorQueueFilter) ([]BlockedGroup, error) {
	q := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).
		Where("store_state = ? OR shipment_state = ?", StoreBlocked, ShipmentBlocked)
	if f.ConnectionID != 0 {
		q = q.Where("connection_id = ?", f.ConnectionID)
	}
	if f.Reason != "" {
		q = q.Where("store_blocked_reason = ? OR shipment_blocked_reason = ?", f.Reason, f.Reason)
	}
	var orders []Order
	if err := q.Order("updated_at, id").Limit(errorQueueLimit).Find(&orders).Error; err != nil {
		return nil, err
	}
	names, err := connectionNames(ctx, db, merchantID)
	if err != nil {
		return nil, err
	}
	type key struct {
		side, reason, message string
		connection            int64
	}
	index := map[key]int{}
	var groups []BlockedGroup
	add := func(o Order, side, reason, message string) {
		if f.Reason != "" && reason != f.Reason {
			return
		}
		k := key{side, reason, message, o.ConnectionID}
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, BlockedGroup{Side: side, Reason: reason, Message: message,
				ConnectionID: o.ConnectionID, ConnectionName: names[o.ConnectionID], OldestSince: o.UpdatedAt})
		}
		g := &groups[i]
		g.Orders = append(g.Orders, o)
		if o.ShipBy != nil && (g.EarliestShipBy == nil || o.ShipBy.Before(*g.EarliestShipBy)) {
			g.EarliestShipBy = o.ShipBy
		}
	}
	for _, o := range orders {
		if o.StoreState == StoreBlocked {
			add(o, "store", o.StoreBlockedReason, o.StoreBlockedMessage)
		}
		if o.ShipmentState == ShipmentBlocked {
			add(o, "shipment", o.ShipmentBlockedReason, o.ShipmentBlockedMessage)
		}
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].OldestSince.Before(groups[j].OldestSince) })
	return groups, nil
}

// BlockedOrderCount counts a merchant's orders blocked on either side.
func BlockedOrderCount(ctx context.Context, db *gorm.DB, merchantID int64) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Order{}).Scopes(ForMerchant(merchantID)).
		Where("store_state = ? OR shipment_state = ?", StoreBlocked, ShipmentBlocked).Count(&n).Error
	return n, err
}

func connectionNames(ctx context.Context, db *gorm.DB, merchantID int64) (map[int64]string, error) {
	connections, err := MerchantConnections(ctx, db, merchantID)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(connections))
	for _, c := range connections {
		names[c.ID] = c.Name
	}
	return names, nil
}
