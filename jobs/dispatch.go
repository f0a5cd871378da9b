package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/orderhub/orderhub/models"
)

// DispatchArgs finds the connections due for a poll, like a feed reader's scheduler: the next
// poll time lives on the connection, so restarts and several processes agree.
type DispatchArgs struct{}

func (DispatchArgs) Kind() string { return "dispatch" }

// DispatchWorker enqueues the syncs of due connections.
type DispatchWorker struct {
	river.WorkerDefaults[DispatchArgs]
	e *engine
}

// catalogueEvery is how often the store's catalogue, and so its stock, is read again.
const catalogueEvery = time.Hour

// dispatchBatch bounds one run; the next run takes the rest.
const dispatchBatch = 200

func (w *DispatchWorker) Work(ctx context.Context, job *river.Job[DispatchArgs]) error {
	now := w.e.now().UTC()
	return w.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var due []models.Connection
		q := tx.Where("state = ? AND (next_poll_at IS NULL OR next_poll_at <= ?)", models.ConnectionActive, now).
			Order("next_poll_at").Limit(dispatchBatch)
		if tx.Dialector.Name() == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&due).Error; err != nil {
			return err
		}
		for _, c := range due {
			next := now.Add(c.PollInterval())
			if err := tx.Model(&models.Connection{}).Where("id = ?", c.ID).Update("next_poll_at", next).Error; err != nil {
				return err
			}
			if err := enqueueSyncs(ctx, w.e.runner, tx, c.ID); err != nil {
				return err
			}
			if c.CatalogueSyncedAt == nil || now.Sub(*c.CatalogueSyncedAt) >= catalogueEvery {
				if err := tx.Model(&models.Connection{}).Where("id = ?", c.ID).Update("catalogue_synced_at", now).Error; err != nil {
					return err
				}
				if _, err := w.e.runner.Enqueue(ctx, tx, SyncCatalogueArgs{ConnectionID: c.ID}, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// enqueueSyncs asks for a connection's marketplace and store syncs ("sync now" calls it too).
func enqueueSyncs(ctx context.Context, r *Runner, tx *gorm.DB, connectionID int64) error {
	if _, err := r.Enqueue(ctx, tx, SyncMarketplaceArgs{ConnectionID: connectionID}, nil); err != nil {
		return err
	}
	_, err := r.Enqueue(ctx, tx, SyncStoreArgs{ConnectionID: connectionID}, nil)
	return err
}

// SyncNow enqueues a connection's syncs at once.
func (r *Runner) SyncNow(ctx context.Context, tx *gorm.DB, connectionID int64) error {
	return enqueueSyncs(ctx, r, tx, connectionID)
}
