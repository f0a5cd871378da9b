package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// MarkHandledOutside records that people handled a blocked order outside orderhub: a
// blocked store side counts as imported by hand (orderhub stops trying to create it), a
// blocked shipment as confirmed (orderhub stops sending it).
func MarkHandledOutside(ctx context.Context, tx *gorm.DB, o *Order, actor string, now time.Time) error {
	switch {
	case o.StoreState == StoreBlocked:
		return o.Transition(ctx, tx, Transition{Field: FieldStoreState, To: StoreImported, Actor: actor,
			Message: "Handled outside orderhub: the order was entered in the store by hand; orderhub no longer creates it."}, now)
	case o.ShipmentState == ShipmentBlocked:
		return o.Transition(ctx, tx, Transition{Field: FieldShipmentState, To: ShipmentConfirmed, Actor: actor,
			Message: "Handled outside orderhub: the shipment was settled on the marketplace by hand; orderhub no longer sends it."}, now)
	}
	return NewTransitionError("order.error.not_blocked", nil, "the order is not blocked")
}
