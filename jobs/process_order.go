package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// ProcessOrderArgs takes one order as far as it can go now: accept, check and create in the
// store, cancel, send the shipment. Every change that may unblock an order enqueues it.
type ProcessOrderArgs struct {
	OrderID int64 `json:"order_id"`
}

func (ProcessOrderArgs) Kind() string { return "process_order" }

// InsertOpts: every change enqueues a run, so none is lost; runs of one order never overlap,
// thanks to the order's processing lease (see Work).
func (ProcessOrderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10}
}

// ProcessOrderWorker runs the steps.
type ProcessOrderWorker struct {
	river.WorkerDefaults[ProcessOrderArgs]
	e *engine
}

// Timeout leaves room for a few slow API calls; the order lease is renewed meanwhile, so it
// only expires when its process died.
func (w *ProcessOrderWorker) Timeout(*river.Job[ProcessOrderArgs]) time.Duration {
	return 2 * time.Minute
}

// errWaiting ends a run: the order waits for something outside orderhub (a person, the
// store's pull, a fix), and the next change enqueues it again.
var errWaiting = errors.New("the order waits")

// laterError asks for the order to be taken again after a while.
type laterError struct{ after time.Duration }

func (e laterError) Error() string { return fmt.Sprintf("the order is taken again in %s", e.after) }

// maxStepsPerRun bounds the loop; each step moves the order forward, so a handful suffice.
const maxStepsPerRun = 8

// resendAfter: a shipment claimed but not confirmed by then is sent again (connectors make
// sending idempotent), in case the process died between the claim and the call. A live run
// keeps its order's lease, so only a dead one leaves a shipment "sent" that long.
const resendAfter = time.Minute

func (w *ProcessOrderWorker) Work(ctx context.Context, job *river.Job[ProcessOrderArgs]) error {
	claimed, release, err := w.e.holdOrder(ctx, job.Args.OrderID)
	if err != nil {
		return err
	}
	if !claimed {
		return river.JobSnooze(time.Second) // another run has the order; this one comes after it
	}
	defer release()
	var c *models.Connection // read once a run, again after a conflict
	for step := 0; step < maxStepsPerRun; step++ {
		var o models.Order
		err := w.e.db.WithContext(ctx).Preload("Lines").First(&o, job.Args.OrderID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if c == nil || c.ID != o.ConnectionID {
			if c, err = w.e.connection(ctx, o.ConnectionID); err != nil {
				return err
			}
		}
		progressed, err := w.step(ctx, c, &o)
		if errors.Is(err, models.ErrConflict) {
			c = nil
			continue // another process moved it (or its connection changed): look again
		}
		if errors.Is(err, errWaiting) {
			return nil
		}
		var later laterError
		if errors.As(err, &later) {
			return river.JobSnooze(later.after)
		}
		if err != nil || !progressed {
			return err
		}
	}
	return nil
}

// step does the one thing the order needs next, and reports whether it did anything.
func (w *ProcessOrderWorker) step(ctx context.Context, c *models.Connection, o *models.Order) (bool, error) {
	now := w.e.now()
	switch {
	case (o.Status == models.StatusCancelled || o.Status == models.StatusRefused) && o.StoreState != models.StoreCancelled:
		return true, w.cancelInStore(ctx, c, o)
	case o.StoreState == models.StoreCancelled && (o.Status == models.StatusWaitingShipment || o.Status == models.StatusCreated) && o.Test:
		return true, w.inTxErr(ctx, func(tx *gorm.DB) error {
			return o.Transition(ctx, tx, models.Transition{Field: models.FieldStatus, To: models.StatusCancelled, Actor: models.ActorOrderhub,
				Message: "Test order cancelled in the store; there is nothing to cancel on the marketplace."}, now)
		})
	case o.StoreState == models.StoreCancelled && (o.Status == models.StatusWaitingShipment || o.Status == models.StatusCreated):
		return true, w.cancelOnMarketplace(ctx, c, o)
	case o.FulfilledByMarketplace:
		return w.marketplaceFulfilled(ctx, c, o)
	case o.Status == models.StatusWaitingAcceptance && c.AutoAccept && c.State == models.ConnectionActive:
		return true, w.accept(ctx, c, o, models.ActorOrderhub)
	case o.Status == models.StatusWaitingShipment && o.StoreState == models.StorePending:
		return true, w.pushToStore(ctx, c, o)
	case o.ShipmentState == models.ShipmentAwaitingTracking:
		return w.inTx(ctx, func(tx *gorm.DB) (bool, error) { return models.TrackingWaitOver(ctx, tx, o, c.TrackingWait(), now) })
	case o.ShipmentState == models.ShipmentReady && o.Test:
		return true, w.shipTest(ctx, c, o)
	case o.ShipmentState == models.ShipmentReady:
		return true, w.ship(ctx, c, o)
	case o.ShipmentState == models.ShipmentSent && (o.Status == models.StatusShipped || o.Status == models.StatusDelivered):
		return true, w.inTxErr(ctx, func(tx *gorm.DB) error {
			return o.Transition(ctx, tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentConfirmed,
				Actor: models.ActorMarketplace, Message: "The marketplace confirms the order shipped."}, now)
		})
	case o.ShipmentState == models.ShipmentSent && o.ShippedAt != nil && now.Sub(o.UpdatedAt) > resendAfter:
		return true, w.send(ctx, c, o)
	}
	return false, nil
}

// accept accepts every line on the marketplace, then reads the order again: addresses are
// only given once it is accepted.
func (w *ProcessOrderWorker) accept(ctx context.Context, c *models.Connection, o *models.Order, actor string) error {
	mp, err := w.e.connectors.Marketplace(c)
	if err != nil {
		return err
	}
	rec := &apiclient.Recorder{}
	err = mp.Accept(apiclient.WithRecorder(ctx, rec), o)
	if err != nil && !apiclient.IsPermanent(err) {
		return err
	}
	message := "Accepted on the marketplace."
	if actor == models.ActorOrderhub {
		message = "Accepted on the marketplace (auto-accept is on)."
	}
	if err != nil {
		if logErr := w.event(ctx, o, actor, "accept", "The marketplace refused the acceptance: "+err.Error(), rec); logErr != nil {
			return logErr
		}
		return errWaiting
	}
	return w.recordAndRefresh(ctx, c, mp, o, actor, "accept", message, rec)
}

// refresh reads the order from the marketplace again and records it.
func (w *ProcessOrderWorker) refresh(ctx context.Context, c *models.Connection, mp Marketplace, o *models.Order) error {
	return w.refreshWith(ctx, c, mp, o, nil)
}

// recordAndRefresh records what a marketplace call did on the order's timeline and reads the
// order again, in one transaction (the event alone when the read fails).
func (w *ProcessOrderWorker) recordAndRefresh(ctx context.Context, c *models.Connection, mp Marketplace, o *models.Order, actor, kind, message string, rec *apiclient.Recorder) error {
	return w.refreshWith(ctx, c, mp, o, func(tx *gorm.DB) error {
		return models.AddOrderEvent(ctx, tx, o, actor, kind, message, rec.Exchanges(), w.e.now())
	})
}

func (w *ProcessOrderWorker) refreshWith(ctx context.Context, c *models.Connection, mp Marketplace, o *models.Order, record func(tx *gorm.DB) error) error {
	fresh, err := mp.Order(ctx, o.MarketplaceOrderID)
	if err != nil {
		if record != nil {
			if logErr := w.inTxErr(ctx, record); logErr != nil {
				return logErr
			}
		}
		return err
	}
	if !fresh.MarketplaceUpdatedAt.After(o.MarketplaceUpdatedAt) {
		// Same timestamp, newer facts (the accept itself): make sure the import takes them.
		fresh.MarketplaceUpdatedAt = o.MarketplaceUpdatedAt.Add(time.Millisecond)
	}
	return w.inTxErr(ctx, func(tx *gorm.DB) error {
		if record != nil {
			if err := record(tx); err != nil {
				return err
			}
		}
		_, _, err := models.ImportOrder(ctx, tx, c, fresh, w.e.now())
		return err
	})
}

// pushToStore checks the order, then creates it in the store exactly once.
func (w *ProcessOrderWorker) pushToStore(ctx context.Context, c *models.Connection, o *models.Order) error {
	now := w.e.now()
	catalogue, err := models.LoadCatalogueView(ctx, w.e.db, c, o)
	if err != nil {
		return err
	}
	if block := models.CheckOrder(o, c, catalogue); block != nil {
		return w.inTxErr(ctx, func(tx *gorm.DB) error {
			return o.Transition(ctx, tx, models.Transition{Field: models.FieldStoreState, To: models.StoreBlocked,
				Reason: block.Reason, Cause: block.Cause, Message: block.Message, Actor: models.ActorOrderhub}, now)
		})
	}
	if c.StoreKind == models.StoreKindAPI {
		return errWaiting // the shop pulls it through the Store API
	}
	store, err := w.e.connectors.Store(c)
	if err != nil {
		return err
	}
	rec := &apiclient.Recorder{}
	ctx = apiclient.WithRecorder(ctx, rec)
	storeID := ""
	if o.StoreAttemptAt != nil {
		// An earlier attempt got no answer: the store may hold the order already, or still be
		// creating it. Look it up once that request must have settled.
		if wait := o.StoreAttemptAt.Add(w.e.createSettle).Sub(now); wait > 0 {
			return laterError{wait}
		}
		if storeID, err = store.FindOrder(ctx, o); err != nil {
			return err
		}
	} else {
		attempt := now.UTC()
		res := w.e.db.WithContext(ctx).Model(&models.Order{}).
			Where("id = ? AND merchant_id = ? AND store_attempt_at IS NULL", o.ID, o.MerchantID).Update("store_attempt_at", attempt)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrConflict
		}
		o.StoreAttemptAt = &attempt
	}
	message := "Created in the store as order %s."
	if storeID != "" {
		message = "Found in the store as order %s, created by an earlier attempt whose answer was lost."
	} else {
		storeID, err = store.CreateOrder(ctx, catalogue.ForStore(o)) // linked SKUs as the store knows them
		if apiclient.IsPermanent(err) {
			return w.inTxErr(ctx, func(tx *gorm.DB) error {
				return o.Transition(ctx, tx, models.Transition{Field: models.FieldStoreState, To: models.StoreBlocked,
					Reason: models.BlockedStoreRejected, Cause: storeMessage(err), Actor: models.ActorStore, Exchanges: rec.Exchanges(),
					Message: "The store refused the order: " + storeMessage(err) + " Correct the order and retry."}, now)
			})
		}
		if err != nil {
			return err // retried; the next attempt looks the order up first
		}
	}
	return w.inTxErr(ctx, func(tx *gorm.DB) error {
		return o.Transition(ctx, tx, models.Transition{Field: models.FieldStoreState, To: models.StoreImported,
			Actor: models.ActorOrderhub, Message: fmt.Sprintf(message, storeID), Exchanges: rec.Exchanges(),
			Set: map[string]any{"store_order_id": storeID}}, now)
	})
}

func storeMessage(err error) string {
	var apiErr *apiclient.Error
	message := err.Error()
	if errors.As(err, &apiErr) && apiErr.Message != "" {
		message = apiErr.Message
	}
	return strings.TrimRight(strings.TrimSpace(message), ".") + "."
}

// cancelInStore cancels in the store an order the marketplace cancelled; one that never
// reached the store is simply closed.
func (w *ProcessOrderWorker) cancelInStore(ctx context.Context, c *models.Connection, o *models.Order) error {
	now := w.e.now()
	rec := &apiclient.Recorder{}
	message := "The marketplace cancelled the order before it reached the store."
	if o.Status == models.StatusRefused {
		message = "The order was refused; it never reached the store."
	}
	if o.StoreState == models.StoreImported && c.StoreKind != models.StoreKindAPI {
		store, err := w.e.connectors.Store(c)
		if err != nil {
			return err
		}
		if err := store.CancelOrder(apiclient.WithRecorder(ctx, rec), o.StoreOrderID); err != nil {
			return err
		}
		message = fmt.Sprintf("The marketplace cancelled the order; store order %s is cancelled too.", o.StoreOrderID)
		if o.Test {
			message = fmt.Sprintf("Test order cancelled in the store (order %s).", o.StoreOrderID)
		}
	} else if o.Test {
		message = "Test order cancelled before it reached the store."
	}
	return w.inTxErr(ctx, func(tx *gorm.DB) error {
		return o.Transition(ctx, tx, models.Transition{Field: models.FieldStoreState, To: models.StoreCancelled,
			Actor: models.ActorOrderhub, Message: message, Exchanges: rec.Exchanges()}, now)
	})
}

// cancelOnMarketplace cancels on the marketplace an order the store cancelled.
func (w *ProcessOrderWorker) cancelOnMarketplace(ctx context.Context, c *models.Connection, o *models.Order) error {
	mp, err := w.e.connectors.Marketplace(c)
	if err != nil {
		return err
	}
	rec := &apiclient.Recorder{}
	err = mp.Cancel(apiclient.WithRecorder(ctx, rec), o, "cancelled in the store")
	if err != nil && !apiclient.IsPermanent(err) {
		return err
	}
	message := "Cancelled on the marketplace, as in the store."
	if err != nil {
		message = "The marketplace refused the cancellation: " + storeMessage(err) + " Cancel it in the marketplace's back-office, or ship it."
	}
	if logErr := w.event(ctx, o, models.ActorOrderhub, "marketplace.cancel", message, rec); logErr != nil {
		return logErr
	}
	if err != nil {
		return errWaiting
	}
	return w.refresh(ctx, c, mp, o)
}

// mapCarrier decides the carrier sent for the order's shipment.
func (w *ProcessOrderWorker) mapCarrier(ctx context.Context, c *models.Connection, o *models.Order) (models.CarrierDecision, error) {
	mp, err := w.e.connectors.Marketplace(c)
	if err != nil {
		return models.CarrierDecision{}, err
	}
	catalogue, err := w.e.marketplaceCarriers(ctx, c, mp)
	if err != nil && !apiclient.IsPermanent(err) {
		return models.CarrierDecision{}, err
	}
	rules, err := models.ConnectionCarrierRules(ctx, w.e.db, c.MerchantID, c.ID)
	if err != nil {
		return models.CarrierDecision{}, err
	}
	return models.MapCarrier(models.CarrierInput{
		StoreCarrier: o.CarrierName, TrackingNumber: o.TrackingNumber, TrackingURL: o.TrackingURL,
		Catalogue: catalogue, Rules: rules,
		DefaultCode: c.DefaultCarrierCode, DefaultName: c.DefaultCarrierName, DefaultURL: c.DefaultCarrierURL,
	})
}

// shipTest ends a test order's shipment in orderhub, showing the carrier that would be sent:
// the marketplace has no such order.
func (w *ProcessOrderWorker) shipTest(ctx context.Context, c *models.Connection, o *models.Order) error {
	now := w.e.now()
	decision, err := w.mapCarrier(ctx, c, o)
	message := fmt.Sprintf("Test order: the marketplace would get %s with tracking %s (%s); nothing is sent.", decision.CarrierName, orNone(decision.TrackingNumber), decision.Why)
	if errors.Is(err, models.ErrCarrierUnmapped) {
		message = "Test order: no carrier matches the store's carrier or tracking number and there is no default carrier; a real order would be blocked here."
	} else if err != nil {
		return err
	}
	return w.inTxErr(ctx, func(tx *gorm.DB) error {
		return o.Transition(ctx, tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentConfirmed,
			Actor: models.ActorOrderhub, Message: message,
			Set: map[string]any{"carrier_code": decision.CarrierCode, "carrier_name": decision.CarrierName}}, now)
	})
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// ship maps the carrier, claims the shipment (so only one process sends it), then sends it.
func (w *ProcessOrderWorker) ship(ctx context.Context, c *models.Connection, o *models.Order) error {
	now := w.e.now()
	decision, err := w.mapCarrier(ctx, c, o)
	if errors.Is(err, models.ErrCarrierUnmapped) {
		return w.inTxErr(ctx, func(tx *gorm.DB) error {
			return o.Transition(ctx, tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentBlocked,
				Reason: models.BlockedCarrierUnmapped, Cause: o.CarrierName, Actor: models.ActorOrderhub,
				Message: fmt.Sprintf("The store's carrier %q maps to no marketplace carrier and the connection has no default carrier. Choose the carrier (or add a rule), then retry.", o.CarrierName)}, now)
		})
	}
	if err != nil {
		return err
	}
	err = w.inTxErr(ctx, func(tx *gorm.DB) error {
		return o.Transition(ctx, tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentSent,
			Actor: models.ActorOrderhub, Message: fmt.Sprintf("Sending to the marketplace with %s (%s).", decision.CarrierName, decision.Why),
			Set: map[string]any{"carrier_code": decision.CarrierCode, "carrier_name": decision.CarrierName,
				"tracking_number": decision.TrackingNumber, "tracking_url": decision.TrackingURL}}, now)
	})
	if err != nil {
		return err
	}
	return w.send(ctx, c, o)
}

// send calls the marketplace for a claimed shipment, then reads the order back for its
// confirmation.
func (w *ProcessOrderWorker) send(ctx context.Context, c *models.Connection, o *models.Order) error {
	mp, err := w.e.connectors.Marketplace(c)
	if err != nil {
		return err
	}
	shippedAt := w.e.now()
	if o.ShippedAt != nil {
		shippedAt = *o.ShippedAt
	}
	rec := &apiclient.Recorder{}
	err = mp.Ship(apiclient.WithRecorder(ctx, rec), o, models.Shipment{
		CarrierCode: o.CarrierCode, CarrierName: o.CarrierName, TrackingNumber: o.TrackingNumber,
		TrackingURL: o.TrackingURL, ShippedAt: shippedAt,
	})
	if apiclient.IsPermanent(err) {
		return w.inTxErr(ctx, func(tx *gorm.DB) error {
			return o.Transition(ctx, tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentBlocked,
				Reason: models.BlockedMarketplaceRejected, Cause: storeMessage(err), Actor: models.ActorMarketplace, Exchanges: rec.Exchanges(),
				Message: "The marketplace refused the shipment: " + storeMessage(err) + " Correct it and send again, or mark it handled."}, w.e.now())
		})
	}
	if err != nil {
		// Not sent, or sent with the answer lost: ready again, so the job's retry sends it
		// again at once (connectors make sending again safe).
		_ = w.inTxErr(ctx, func(tx *gorm.DB) error {
			return o.Transition(ctx, tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentReady,
				Actor: models.ActorOrderhub, Exchanges: rec.Exchanges(),
				Message: "The marketplace gave no clear answer (" + err.Error() + "); the shipment is sent again shortly."}, w.e.now())
		})
		return err
	}
	return w.recordAndRefresh(ctx, c, mp, o, models.ActorOrderhub, "shipment.sent", "The marketplace accepted the shipment.", rec)
}

func (w *ProcessOrderWorker) event(ctx context.Context, o *models.Order, actor, kind, message string, rec *apiclient.Recorder) error {
	return models.AddOrderEvent(ctx, w.e.db, o, actor, kind, message, rec.Exchanges(), w.e.now())
}

func (w *ProcessOrderWorker) inTxErr(ctx context.Context, f func(tx *gorm.DB) error) error {
	return w.e.db.WithContext(ctx).Transaction(f)
}

func (w *ProcessOrderWorker) inTx(ctx context.Context, f func(tx *gorm.DB) (bool, error)) (bool, error) {
	var result bool
	err := w.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		result, err = f(tx)
		return err
	})
	return result, err
}
