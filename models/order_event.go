package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Actors named in the timeline besides people ("user:<id>").
const (
	ActorOrderhub    = "orderhub"
	ActorMarketplace = "marketplace"
	ActorStore       = "store"
)

// OrderEvent is one entry of an order's timeline. Rows are only ever added.
type OrderEvent struct {
	ID         int64
	MerchantID int64
	OrderID    int64
	At         time.Time
	Actor      string
	Kind       string
	Message    string
	Exchanges  string // JSON array of Exchange, secrets already removed
}

// AddOrderEvent appends an event to the order's timeline.
func AddOrderEvent(ctx context.Context, db *gorm.DB, o *Order, actor, kind, message string, exchanges []Exchange, now time.Time) error {
	event := OrderEvent{MerchantID: o.MerchantID, OrderID: o.ID, At: now.UTC(), Actor: actor, Kind: kind, Message: message}
	if len(exchanges) > 0 {
		raw, err := json.Marshal(exchanges)
		if err != nil {
			return err
		}
		event.Exchanges = string(raw)
	}
	return db.WithContext(ctx).Create(&event).Error
}

// OrderEvents returns an order's timeline, oldest first.
func OrderEvents(ctx context.Context, db *gorm.DB, merchantID, orderID int64) ([]OrderEvent, error) {
	var events []OrderEvent
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Where("order_id = ?", orderID).Order("id").Find(&events).Error
	return events, err
}

// ExchangeList decodes the event's recorded API exchanges.
func (e *OrderEvent) ExchangeList() []Exchange {
	var list []Exchange
	if e.Exchanges != "" {
		_ = json.Unmarshal([]byte(e.Exchanges), &list)
	}
	return list
}
