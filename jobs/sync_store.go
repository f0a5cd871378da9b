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
	cursor := c.StoreCursor
	for page := 0; page < maxPagesPerSync; page++ {
		if held, err := w.e.holdSync(ctx, job.Kind, c.ID, job.ID); err != nil || !held {
			return err
		}
		result, err := store.Shipments(ctx, cursor)
		if err != nil {
			w.e.recordPollError(ctx, c, fmt.Errorf("store: %w", err))
			if apiclient.IsPermanent(err) {
				return nil
			}
			return err
		}
		if err := w.savePage(ctx, c, result); err != nil {
			return err
		}
		cursor = result.Cursor
		if !result.More {
			return nil
		}
	}
	return nil
}

func (w *SyncStoreWorker) savePage(ctx context.Context, c *models.Connection, page models.ShipmentsPage) error {
	now := w.e.now()
	return w.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		type found struct {
			order    *models.Order
			shipment models.StoreShipment
		}
		var todo []found
		for _, s := range page.Shipments {
			order, err := models.OrderByStoreID(ctx, tx, c, s.StoreOrderID)
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
			if err := w.record(ctx, tx, c, f.order, f.shipment, now); err != nil {
				return err
			}
		}
		return tx.Model(&models.Connection{}).Where("id = ? AND merchant_id = ?", c.ID, c.MerchantID).
			Update("store_cursor", page.Cursor).Error
	})
}

// record takes one shipment, reading the order again when a job moved it meanwhile.
func (w *SyncStoreWorker) record(ctx context.Context, tx *gorm.DB, c *models.Connection, order *models.Order, s models.StoreShipment, now time.Time) error {
	for attempt := 0; ; attempt++ {
		changed, wakeAt, err := models.RecordStoreShipment(ctx, tx, order, s, c.TrackingWait(), now)
		if errors.Is(err, models.ErrConflict) && attempt < 3 {
			if order, err = models.OrderByStoreID(ctx, tx, c, s.StoreOrderID); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if changed {
			if err := w.e.enqueueOrder(ctx, tx, order.ID, now); err != nil {
				return err
			}
		}
		if !wakeAt.IsZero() {
			// The tracking wait ends then: look at the order again at that time.
			return w.e.enqueueOrder(ctx, tx, order.ID, wakeAt)
		}
		return nil
	}
}
