package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// OrderTab is one of the order list's tabs: a named slice of the orders.
type OrderTab struct {
	Key   string
	Label string
	where func(*gorm.DB) *gorm.DB
}

// OrderTabs are the order list's tabs, in the order shown. The first shows every order.
var OrderTabs = []OrderTab{
	{"all", "All", func(q *gorm.DB) *gorm.DB { return q }},
	{"to_accept", "To accept", func(q *gorm.DB) *gorm.DB { return q.Where("status = ?", StatusWaitingAcceptance) }},
	{"blocked", "Blocked", func(q *gorm.DB) *gorm.DB {
		return q.Where("store_state = ? OR shipment_state = ?", StoreBlocked, ShipmentBlocked)
	}},
	{"to_ship", "To ship", func(q *gorm.DB) *gorm.DB {
		return q.Where("status = ? AND store_state = ? AND shipment_state IN ?", StatusWaitingShipment, StoreImported,
			[]string{ShipmentNone, ShipmentAwaitingTracking})
	}},
	{"shipping", "Shipping", func(q *gorm.DB) *gorm.DB {
		return q.Where("shipment_state IN ?", []string{ShipmentReady, ShipmentSent})
	}},
	{"shipped", "Shipped", func(q *gorm.DB) *gorm.DB {
		return q.Where("status IN ?", []string{StatusShipped, StatusDelivered})
	}},
	{"cancelled", "Cancelled", func(q *gorm.DB) *gorm.DB {
		return q.Where("status IN ?", []string{StatusCancelled, StatusRefused})
	}},
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
	ConnectionID int64
	Search       string // marketplace reference, store reference, buyer name or e-mail, tracking number
	Test         *bool
	BeforeID     int64 // keyset pagination: orders with a smaller id (0: the newest)
	Limit        int
}

func (f OrderListFilter) apply(q *gorm.DB) *gorm.DB {
	if f.ConnectionID != 0 {
		q = q.Where("connection_id = ?", f.ConnectionID)
	}
	if f.Test != nil {
		q = q.Where("test = ?", *f.Test)
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

// OrderList returns one page of a merchant's orders in a tab, newest first, and whether a
// next page exists.
func OrderList(ctx context.Context, db *gorm.DB, merchantID int64, tab OrderTab, f OrderListFilter) ([]Order, bool, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q := tab.where(f.apply(db.WithContext(ctx).Scopes(ForMerchant(merchantID))))
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var orders []Order
	if err := q.Order("id DESC").Limit(limit + 1).Find(&orders).Error; err != nil {
		return nil, false, err
	}
	more := len(orders) > limit
	if more {
		orders = orders[:limit]
	}
	return orders, more, nil
}

// OrderTabCounts counts a merchant's orders in each tab, with the same filter (not the page).
func OrderTabCounts(ctx context.Context, db *gorm.DB, merchantID int64, f OrderListFilter) (map[string]int64, error) {
	f.BeforeID = 0
	counts := make(map[string]int64, len(OrderTabs))
	for _, tab := range OrderTabs {
		var n int64
		q := tab.where(f.apply(db.WithContext(ctx).Model(&Order{}).Scopes(ForMerchant(merchantID))))
		if err := q.Count(&n).Error; err != nil {
			return nil, err
		}
		counts[tab.Key] = n
	}
	return counts, nil
}
