package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// OrderByStoreID finds the order orderhub created in the store under that id. It takes no
// lock: the changes that follow are transitions, which only apply to the state they read.
func OrderByStoreID(ctx context.Context, db *gorm.DB, c *Connection, storeOrderID string) (*Order, error) {
	var o Order
	err := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).Preload("Lines").
		Where("connection_id = ? AND store_order_id = ?", c.ID, storeOrderID).First(&o).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &o, nil
}

// RecordStoreShipment takes what the store reports of an order. A shipment with tracking
// becomes ready to send; one without waits for tracking until the connection's tracking wait
// ends (wakeAt says when to look again), then goes without. It reports whether the order
// changed.
func RecordStoreShipment(ctx context.Context, tx *gorm.DB, o *Order, s StoreShipment, trackingWait time.Duration, now time.Time) (changed bool, wakeAt time.Time, err error) {
	if s.Cancelled && o.StoreState == StoreImported && o.ShipmentState == ShipmentNone {
		message := fmt.Sprintf("The order was cancelled in the store (%s); orderhub cancels it on the marketplace.", s.RawStatus)
		err := o.Transition(ctx, tx, Transition{Field: FieldStoreState, To: StoreCancelled, Actor: ActorStore, Message: message}, now)
		return err == nil, time.Time{}, err
	}
	if !s.Shipped {
		return false, time.Time{}, nil
	}
	switch o.ShipmentState {
	case ShipmentNone, ShipmentAwaitingTracking:
	default:
		return false, time.Time{}, nil // already on its way to the marketplace
	}
	shippedAt := now.UTC()
	if s.ShippedAt != nil {
		shippedAt = s.ShippedAt.UTC()
	}
	set := map[string]any{"carrier_name": s.Carrier, "tracking_number": s.TrackingNumber, "tracking_url": s.TrackingURL, "shipped_at": shippedAt}
	if s.TrackingNumber != "" {
		message := fmt.Sprintf("Shipped in the store with %s, tracking %s.", orDash(s.Carrier), s.TrackingNumber)
		err := o.Transition(ctx, tx, Transition{Field: FieldShipmentState, To: ShipmentReady, Actor: ActorStore, Message: message, Set: set}, now)
		return err == nil, time.Time{}, err
	}
	deadline := shippedAt.Add(trackingWait)
	if !now.Before(deadline) {
		message := fmt.Sprintf("Shipped in the store without a tracking number; the %s tracking wait is over, so it goes without.", trackingWait)
		err := o.Transition(ctx, tx, Transition{Field: FieldShipmentState, To: ShipmentReady, Actor: ActorOrderhub, Message: message, Set: set}, now)
		return err == nil, time.Time{}, err
	}
	if o.ShipmentState == ShipmentAwaitingTracking {
		return false, time.Time{}, nil
	}
	message := fmt.Sprintf("Shipped in the store without a tracking number; waiting until %s UTC for one.", deadline.Format("2 Jan 15:04"))
	err = o.Transition(ctx, tx, Transition{Field: FieldShipmentState, To: ShipmentAwaitingTracking, Actor: ActorStore, Message: message, Set: set}, now)
	return err == nil, deadline, err
}

// TrackingWaitOver moves an order still waiting for tracking to ready once the wait is over.
func TrackingWaitOver(ctx context.Context, tx *gorm.DB, o *Order, trackingWait time.Duration, now time.Time) (bool, error) {
	if o.ShipmentState != ShipmentAwaitingTracking || o.ShippedAt == nil || now.Before(o.ShippedAt.Add(trackingWait)) {
		return false, nil
	}
	message := fmt.Sprintf("No tracking number came within the %s tracking wait; the shipment goes without.", trackingWait)
	err := o.Transition(ctx, tx, Transition{Field: FieldShipmentState, To: ShipmentReady, Actor: ActorOrderhub, Message: message}, now)
	return err == nil, err
}

func orDash(s string) string {
	if s == "" {
		return "no carrier named"
	}
	return s
}
