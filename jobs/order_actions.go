package jobs

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// RetryOrder sends a blocked order (or blocked shipment) through its steps again, after its
// cause was fixed. The retry and the job that carries it out commit together.
func (r *Runner) RetryOrder(ctx context.Context, db *gorm.DB, merchantID, orderID int64, actor string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := models.MerchantOrder(ctx, tx, merchantID, orderID)
		if err != nil {
			return err
		}
		now := r.now()
		switch {
		case o.StoreState == models.StoreBlocked:
			err = o.Transition(ctx, tx, models.Transition{Field: models.FieldStoreState, To: models.StorePending, Actor: actor,
				Message: fmt.Sprintf("Retry after %s was fixed.", humanReason(o.StoreBlockedReason))}, now)
		case o.ShipmentState == models.ShipmentBlocked:
			err = o.Transition(ctx, tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentReady, Actor: actor,
				Message: fmt.Sprintf("Retry after %s was fixed.", humanReason(o.ShipmentBlockedReason))}, now)
		default:
			return models.NewTransitionError("order.error.not_blocked", nil, "the order is not blocked")
		}
		if err != nil {
			return err
		}
		args := ProcessOrderArgs{OrderID: o.ID}
		opts := args.InsertOpts()
		_, err = r.Enqueue(ctx, tx, args, &opts)
		return err
	})
}

func humanReason(reason string) string {
	switch reason {
	case models.BlockedUnknownProduct:
		return "the unknown product"
	case models.BlockedMissingField:
		return "the missing buyer field"
	case models.BlockedOutOfStock:
		return "the stock shortage"
	case models.BlockedCountryInactive:
		return "the inactive country"
	case models.BlockedStoreRejected:
		return "the store's refusal"
	case models.BlockedCarrierUnmapped:
		return "the carrier mapping"
	case models.BlockedMarketplaceRejected:
		return "the marketplace's refusal"
	}
	return "the problem"
}

// ShipmentReported takes a shipment a shop reported for an order (Store API) and queues the
// order's next step, all in tx.
func (r *Runner) ShipmentReported(ctx context.Context, tx *gorm.DB, o *models.Order, s models.StoreShipment, trackingWait time.Duration) error {
	now := r.now()
	if _, wakeAt, err := models.RecordStoreShipment(ctx, tx, o, s, trackingWait, now); err != nil {
		return err
	} else if !wakeAt.IsZero() {
		args := ProcessOrderArgs{OrderID: o.ID}
		opts := args.InsertOpts()
		opts.ScheduledAt = time.Now().Add(wakeAt.Sub(now))
		if _, err := r.Enqueue(ctx, tx, args, &opts); err != nil {
			return err
		}
	}
	args := ProcessOrderArgs{OrderID: o.ID}
	opts := args.InsertOpts()
	_, err := r.Enqueue(ctx, tx, args, &opts)
	return err
}

// CancelByStore records that the store (a person, or a shop through the API) cancels an
// order not yet shipped; the order job then cancels it on the marketplace.
func (r *Runner) CancelByStore(ctx context.Context, tx *gorm.DB, o *models.Order, actor, reason string) error {
	if o.Status != models.StatusWaitingShipment && o.Status != models.StatusCreated || o.ShipmentState != models.ShipmentNone {
		return models.NewTransitionError("order.error.not_cancellable", map[string]any{"Status": models.StateCode(o.Status), "Shipment": models.StateCode(o.ShipmentState)},
			fmt.Sprintf("the order is %s with shipment %s; only an order not yet shipped can be cancelled", o.Status, o.ShipmentState))
	}
	message := "Cancelled by the store; orderhub cancels it on the marketplace."
	if reason != "" {
		message = fmt.Sprintf("Cancelled by the store (%s); orderhub cancels it on the marketplace.", reason)
	}
	err := o.Transition(ctx, tx, models.Transition{Field: models.FieldStoreState, To: models.StoreCancelled, Actor: actor, Message: message}, r.now())
	if err != nil {
		return err
	}
	args := ProcessOrderArgs{OrderID: o.ID}
	opts := args.InsertOpts()
	_, err = r.Enqueue(ctx, tx, args, &opts)
	return err
}
