package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// SyncCatalogueArgs reads a connection's store catalogue (products, stock, visibility).
type SyncCatalogueArgs struct {
	ConnectionID int64 `json:"connection_id"`
}

func (SyncCatalogueArgs) Kind() string { return "sync_catalogue" }

// InsertOpts: not unique. A refresh asked for while a sync runs must still happen (the
// running one may have read the products before the change); saving is an idempotent upsert.
func (SyncCatalogueArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5}
}

// SyncCatalogueWorker saves the catalogue page by page.
type SyncCatalogueWorker struct {
	river.WorkerDefaults[SyncCatalogueArgs]
	e *engine
}

// maxCataloguePages bounds one run (100 products a page).
const maxCataloguePages = 500

// Timeout allows a run of many pages; rescueStuckJobsAfter must stay above it.
func (w *SyncCatalogueWorker) Timeout(*river.Job[SyncCatalogueArgs]) time.Duration {
	return 4 * time.Minute
}

func (w *SyncCatalogueWorker) Work(ctx context.Context, job *river.Job[SyncCatalogueArgs]) error {
	c, err := w.e.connection(ctx, job.Args.ConnectionID)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil || c.StoreKind == "" || c.StoreKind == models.StoreKindAPI {
		return err
	}
	store, err := w.e.connectors.Store(c)
	if err != nil {
		return err
	}
	cursor := ""
	for page := 0; page < maxCataloguePages; page++ {
		result, err := store.Products(ctx, cursor)
		if err != nil {
			w.e.recordPollError(ctx, c, fmt.Errorf("catalogue: %w", err))
			if apiclient.IsPermanent(err) {
				return nil
			}
			return err
		}
		if err := models.SaveProducts(ctx, w.e.db, c, result.Products, w.e.now()); err != nil {
			return err
		}
		if !result.More {
			return nil
		}
		cursor = result.Cursor
	}
	return nil
}
