package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Store API (pull mode): a shop that no connector knows reads its orders from orderhub and
// acknowledges each one; an order not acknowledged keeps being offered.

// OfferWindow is how far back the default listing offers orders.
const OfferWindow = 7 * 24 * time.Hour

// APIOrderFilter selects orders for the Store API. The zero value is the default listing:
// orders accepted and waiting shipment (or, when the marketplace ships them itself, shipped),
// updated in the last 7 days, not yet acknowledged.
type APIOrderFilter struct {
	Statuses      []string   // default: waiting_shipment, and shipped or delivered for marketplace-fulfilled orders
	Acknowledged  *bool      // default: false
	ConnectionIDs []int64    // limit to these connections (a token's limit, a filter)
	UpdatedSince  *time.Time // default: now − 7 days
	AfterID       int64      // keyset cursor: orders with a greater id
	Limit         int
}

// APIOrders lists a merchant's pull-mode orders by id, so that paging never skips or repeats
// an order while others change.
func APIOrders(ctx context.Context, db *gorm.DB, merchantID int64, f APIOrderFilter, now time.Time) ([]Order, error) {
	statuses, shippedByMarketplace := f.Statuses, []string{StatusShipped, StatusDelivered}
	if len(statuses) == 0 {
		statuses = []string{StatusWaitingShipment}
	} else {
		shippedByMarketplace = nil
	}
	since := now.Add(-OfferWindow)
	if f.UpdatedSince != nil {
		since = *f.UpdatedSince
	}
	q := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Preload("Lines").
		Where("connection_id IN (?)", db.Model(&Connection{}).Select("id").
			Where("merchant_id = ? AND store_kind = ?", merchantID, StoreKindAPI)).
		Where("updated_at >= ? AND id > ?", since.UTC(), f.AfterID)
	if shippedByMarketplace != nil {
		q = q.Where("(status IN ? AND fulfilled_by_marketplace = ?) OR (status IN ? AND fulfilled_by_marketplace = ?)",
			statuses, false, shippedByMarketplace, true)
	} else {
		q = q.Where("status IN ?", statuses)
	}
	if f.Acknowledged == nil || !*f.Acknowledged {
		// An order the marketplace ships itself goes to the shop only once it has left.
		q = q.Where("fulfilled_by_marketplace = ? OR status IN ?", false, []string{StatusShipped, StatusDelivered})
	}
	if len(f.ConnectionIDs) > 0 {
		q = q.Where("connection_id IN ?", f.ConnectionIDs)
	}
	if f.Acknowledged == nil || !*f.Acknowledged {
		q = q.Where("store_state = ?", StorePending)
	} else {
		q = q.Where("store_state = ?", StoreImported)
	}
	var orders []Order
	err := q.Order("id").Limit(max(f.Limit, 1)).Find(&orders).Error
	return orders, err
}

// Acknowledgement answers.
var (
	ErrNotOffered      = errors.New("this order is not waiting to be imported by the shop")
	ErrAlreadyImported = errors.New("this order was already acknowledged with another store reference")
)

// AcknowledgeOrder records that the shop imported the order under its own reference. The same
// acknowledgement sent again is accepted (a shop retrying after a lost answer).
func AcknowledgeOrder(ctx context.Context, tx *gorm.DB, o *Order, storeReference, actor string, now time.Time) error {
	storeReference = strings.TrimSpace(storeReference)
	if o.StoreState == StoreImported {
		if o.StoreOrderID == storeReference {
			return nil
		}
		return ErrAlreadyImported
	}
	if o.StoreState != StorePending {
		return ErrNotOffered
	}
	return o.Transition(ctx, tx, Transition{Field: FieldStoreState, To: StoreImported, Actor: actor,
		Message: fmt.Sprintf("The shop imported the order as %s.", storeReference),
		Set:     map[string]any{"store_order_id": storeReference, "acknowledged_at": now.UTC()}}, now)
}

// RejectOrder records that the shop could not import the order: it is blocked with the shop's
// message and shows in the error queue.
func RejectOrder(ctx context.Context, tx *gorm.DB, o *Order, message, actor string, now time.Time) error {
	if o.StoreState != StorePending {
		return ErrNotOffered
	}
	message = strings.TrimSpace(message)
	if message == "" {
		message = "no reason given"
	}
	return o.Transition(ctx, tx, Transition{Field: FieldStoreState, To: StoreBlocked, Reason: BlockedStoreRejected, Cause: message, Actor: actor,
		Message: "The shop could not import the order: " + message + ". Correct the order or the shop, then retry."}, now)
}

// UnacknowledgeOrder offers an acknowledged order to the shop again.
func UnacknowledgeOrder(ctx context.Context, tx *gorm.DB, o *Order, actor string, now time.Time) error {
	if o.StoreState == StorePending {
		return nil
	}
	if o.StoreState != StoreImported {
		return ErrNotOffered
	}
	return o.Transition(ctx, tx, Transition{Field: FieldStoreState, To: StorePending, Actor: actor,
		Message: "The shop asked for the order again.",
		Set:     map[string]any{"store_order_id": "", "acknowledged_at": nil}}, now)
}
