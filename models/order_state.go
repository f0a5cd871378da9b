package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Order state fields a Transition may change.
const (
	FieldStatus        = "status"
	FieldStoreState    = "store_state"
	FieldShipmentState = "shipment_state"
)

// ErrConflict means the order changed under us (another process moved it first): reload and
// decide again.
var ErrConflict error = NewUserError("common.error.order_changed", nil, "the order changed meanwhile")

// statusChain is the normal life of an order on the marketplace; a status may move forward
// along it (marketplaces report jumps, e.g. straight to shipped).
var statusChain = []string{StatusCreated, StatusWaitingAcceptance, StatusWaitingShipment, StatusShipped, StatusDelivered}

func statusAllowed(from, to string) bool {
	switch to {
	case StatusRefused:
		return from == StatusCreated || from == StatusWaitingAcceptance
	case StatusCancelled:
		return from == StatusCreated || from == StatusWaitingAcceptance || from == StatusWaitingShipment
	case StatusRefunded:
		return from == StatusWaitingShipment || from == StatusShipped || from == StatusDelivered
	}
	// Accepted but payment still pending on the marketplace.
	if from == StatusWaitingAcceptance && to == StatusCreated {
		return true
	}
	i, j := slices.Index(statusChain, from), slices.Index(statusChain, to)
	return i >= 0 && j > i
}

var storeTransitions = map[string][]string{
	StorePending:  {StoreImported, StoreBlocked, StoreCancelled},
	StoreBlocked:  {StorePending, StoreBlocked, StoreImported, StoreCancelled},
	StoreImported: {StoreCancelled, StorePending}, // pending again: a pull-mode shop unacknowledged it
}

// A marketplace-fulfilled order ends as ShipmentMarketplace from any state where nothing was
// sent yet (a shipment marked by hand is dropped: the marketplace shipped it); it is final.
var shipmentTransitions = map[string][]string{
	ShipmentNone:             {ShipmentAwaitingTracking, ShipmentReady, ShipmentBlocked, ShipmentConfirmed, ShipmentMarketplace},
	ShipmentAwaitingTracking: {ShipmentReady, ShipmentBlocked, ShipmentConfirmed, ShipmentMarketplace},
	ShipmentReady:            {ShipmentSent, ShipmentBlocked, ShipmentConfirmed, ShipmentMarketplace},
	ShipmentSent:             {ShipmentConfirmed, ShipmentBlocked, ShipmentReady},
	ShipmentBlocked:          {ShipmentReady, ShipmentBlocked, ShipmentConfirmed, ShipmentMarketplace},
}

// TransitionAllowed reports whether field may move from one value to another.
func TransitionAllowed(field, from, to string) bool {
	switch field {
	case FieldStatus:
		return statusAllowed(from, to)
	case FieldStoreState:
		return slices.Contains(storeTransitions[from], to)
	case FieldShipmentState:
		return slices.Contains(shipmentTransitions[from], to)
	}
	return false
}

// Transition is one change of an order's state and the timeline event that tells it.
type Transition struct {
	Field     string
	To        string
	Reason    string         // the blocked reason code, when To is "blocked"
	Cause     string         // what exactly blocks it, when To is "blocked": orders with the same cause are fixed together
	Message   string         // what happened, in a sentence a support agent can act on
	Actor     string         // "orderhub", "marketplace", "store", "user:<id>"
	Set       map[string]any // other columns written with it (store_order_id, tracking...)
	Exchanges []Exchange
}

// Transition applies t: it checks the move is allowed, writes it only if the order is still
// in the state this copy holds (so two processes cannot both make the same move), and appends
// the event, all with tx. o is updated to match.
func (o *Order) Transition(ctx context.Context, tx *gorm.DB, t Transition, now time.Time) error {
	from := o.stateOf(t.Field)
	if !TransitionAllowed(t.Field, from, t.To) {
		return NewTransitionError("common.error.transition", map[string]any{"Field": t.Field, "From": StateCode(from), "To": StateCode(t.To)},
			fmt.Sprintf("%s %s → %s", t.Field, from, t.To))
	}
	updates := map[string]any{t.Field: t.To, "updated_at": now.UTC()}
	for k, v := range t.Set {
		updates[k] = v
	}
	switch t.Field {
	case FieldStoreState:
		updates["store_blocked_reason"], updates["store_blocked_message"], updates["store_blocked_cause"] = blockedFields(t)
	case FieldShipmentState:
		updates["shipment_blocked_reason"], updates["shipment_blocked_message"], updates["shipment_blocked_cause"] = blockedFields(t)
	}
	res := tx.WithContext(ctx).Model(&Order{}).
		Where("id = ? AND merchant_id = ? AND "+t.Field+" = ?", o.ID, o.MerchantID, from).
		Updates(updates)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	if err := AddOrderEvent(ctx, tx, o, t.Actor, t.Field+"."+t.To, t.Message, t.Exchanges, now); err != nil {
		return err
	}
	return tx.WithContext(ctx).Preload("Lines").First(o, o.ID).Error
}

func blockedFields(t Transition) (reason, message, cause string) {
	if t.To == StoreBlocked || t.To == ShipmentBlocked {
		return t.Reason, t.Message, blockedCause(t.Cause)
	}
	return "", "", ""
}

// blockedCause keeps a cause short enough to group on and to show: a store's or a
// marketplace's message can be long.
func blockedCause(cause string) string {
	cause = strings.TrimSpace(cause)
	if len(cause) <= 200 {
		return cause
	}
	cut := 200
	for cut > 0 && !utf8.RuneStart(cause[cut]) {
		cut--
	}
	return cause[:cut] + "…"
}

func (o *Order) stateOf(field string) string {
	switch field {
	case FieldStatus:
		return o.Status
	case FieldStoreState:
		return o.StoreState
	case FieldShipmentState:
		return o.ShipmentState
	}
	return ""
}
