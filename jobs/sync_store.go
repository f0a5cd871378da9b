package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// SyncStoreArgs reads the shipments made in a connection's store.
type SyncStoreArgs struct {
	ConnectionID int64 `json:"connection_id"`
}

func (SyncStoreArgs) Kind() string { return "sync_store" }

func (SyncStoreArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1} // the next poll is the retry
}

// SyncStoreWorker records what the store says of orderhub's orders: shipped (with or without
// tracking) or cancelled.
type SyncStoreWorker struct {
	river.WorkerDefaults[SyncStoreArgs]
	e *engine
}

// Timeout allows a run of many pages; rescueStuckJobsAfter must stay above it.
func (w *SyncStoreWorker) Timeout(*river.Job[SyncStoreArgs]) time.Duration { return 4 * time.Minute }

func (w *SyncStoreWorker) Work(ctx context.Context, job *river.Job[SyncStoreArgs]) error {
	c, err := w.e.connection(ctx, job.Args.ConnectionID)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil || c.State != models.ConnectionActive || c.StoreKind == models.StoreKindAPI {
		return err
	}
	if held, err := w.e.holdSync(ctx, job.Kind, c.ID, job.ID); err != nil || !held {
		return err // another run syncs this connection now; the next poll follows it
	}
	defer w.e.releaseSync(ctx, job.Kind, c.ID, job.ID)
	store, err := w.e.connectors.Store(c)
	if err != nil {
		w.e.recordPollError(ctx, c, err)
		return nil
	}
	run := &models.SyncRun{Kind: models.SyncStore, StartedAt: w.e.now()}
	cursor := c.StoreCursor
	for page := 0; page < maxPagesPerSync; page++ {
		if held, err := w.e.holdSync(ctx, job.Kind, c.ID, job.ID); err != nil || !held {
			w.e.finishRun(ctx, c, run, nil)
			return err
		}
		result, err := store.Shipments(ctx, cursor)
		if err != nil {
			w.e.recordPollError(ctx, c, fmt.Errorf("store: %w", err))
			w.e.finishRun(ctx, c, run, err)
			if apiclient.IsPermanent(err) {
				return nil
			}
			return err
		}
		changed, err := w.savePage(ctx, c, result)
		if err != nil {
			w.e.finishRun(ctx, c, run, err)
			return err
		}
		run.Pages, run.Updated = run.Pages+1, run.Updated+changed
		cursor = result.Cursor
		if !result.More {
			break
		}
	}
	w.e.finishRun(ctx, c, run, nil)
	return nil
}

// savePage takes one page of shipments and says how many orders it changed.
func (w *SyncStoreWorker) savePage(ctx context.Context, c *models.Connection, page models.ShipmentsPage) (changed int, err error) {
	now := w.e.now()
	err = w.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		changed = 0
		type found struct {
			order    *models.Order
			shipment models.StoreShipment
		}
		var todo []found
		for _, s := range page.Shipments {
			order, err := w.e.storeOrder(ctx, tx, c, s, now)
			if errors.Is(err, models.ErrNotFound) {
				continue // not an order orderhub made
			}
			if err != nil {
				return err
			}
			todo = append(todo, found{order, s})
		}
		// Orders change in id order, as everywhere else, so that two transactions touching
		// the same orders wait for each other instead of deadlocking.
		slices.SortFunc(todo, func(a, b found) int { return cmp.Compare(a.order.ID, b.order.ID) })
		for _, f := range todo {
			took, err := w.e.recordStoreShipment(ctx, tx, c, f.order, f.shipment, now)
			if err != nil {
				return err
			}
			if took {
				changed++
			}
		}
		return tx.Model(&models.Connection{}).Where("id = ? AND merchant_id = ?", c.ID, c.MerchantID).
			Update("store_cursor", page.Cursor).Error
	})
	return changed, err
}

// storeOrder finds the order a store's shipment is about: by its store id, or, for an order
// whose creation orderhub has not recorded yet (its answer was lost, or is being recorded right
// now), by orderhub's id kept in the store. Such an order is taken as created there and then;
// otherwise its shipment, read now and not again, would be missed.
func (e *engine) storeOrder(ctx context.Context, tx *gorm.DB, c *models.Connection, s models.StoreShipment, now time.Time) (*models.Order, error) {
	order, err := models.OrderByStoreID(ctx, tx, c, s.StoreOrderID)
	if !errors.Is(err, models.ErrNotFound) || s.OrderID == 0 {
		return order, err
	}
	var o models.Order
	err = tx.WithContext(ctx).Scopes(models.ForMerchant(c.MerchantID)).Preload("Lines").
		Where("id = ? AND connection_id = ? AND store_state = ? AND store_order_id = ''", s.OrderID, c.ID, models.StorePending).
		Where("store_attempt_at IS NOT NULL").First(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	err = o.Transition(ctx, tx, models.Transition{Field: models.FieldStoreState, To: models.StoreImported, Actor: models.ActorStore,
		Message: fmt.Sprintf("Found in the store as order %s (the answer to its creation was lost; the store reported it first).", s.StoreOrderID),
		Set:     map[string]any{"store_order_id": s.StoreOrderID}}, now)
	if errors.Is(err, models.ErrConflict) {
		// The order's own run recorded the creation meanwhile: it is known by its store id now.
		return models.OrderByStoreID(ctx, tx, c, s.StoreOrderID)
	}
	return &o, err
}

// recordStoreShipment takes what the store says of an order's shipment (from a sync or a
// webhook), reading the order again when a job moved it meanwhile, and says whether the
// order changed.
func (e *engine) recordStoreShipment(ctx context.Context, tx *gorm.DB, c *models.Connection, order *models.Order, s models.StoreShipment, now time.Time) (bool, error) {
	if order.FulfilledByMarketplace {
		// The marketplace shipped it and the store holds it completed from the start: what
		// the store says of its shipment goes nowhere.
		return false, nil
	}
	for attempt := 0; ; attempt++ {
		changed, wakeAt, err := models.RecordStoreShipment(ctx, tx, order, s, c.TrackingWait(), now)
		if errors.Is(err, models.ErrConflict) && attempt < 3 {
			if order, err = models.OrderByStoreID(ctx, tx, c, s.StoreOrderID); err != nil {
				return false, err
			}
			continue
		}
		if err != nil {
			return false, err
		}
		if changed {
			if err := e.enqueueOrder(ctx, tx, order.ID, now); err != nil {
				return false, err
			}
		}
		if !wakeAt.IsZero() {
			// The tracking wait ends then: look at the order again at that time.
			return changed, e.enqueueOrder(ctx, tx, order.ID, wakeAt)
		}
		return changed, nil
	}
}
