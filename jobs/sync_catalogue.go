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
	// RetryBlocked: once read, retry the connection's orders blocked by an unknown product
	// or a stock shortage (a refresh asked for from the error queue).
	RetryBlocked bool   `json:"retry_blocked,omitempty"`
	Actor        string `json:"actor,omitempty"`
}

func (SyncCatalogueArgs) Kind() string { return "sync_catalogue" }

// InsertOpts: one attempt; the next hourly sync (or a refresh) is the retry. Runs of one
// connection never overlap: they hold a lease on it (see Work).
func (SyncCatalogueArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1} // the next poll is the retry
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
	held, err := w.e.holdSync(ctx, job.Kind, c.ID, job.ID)
	if err != nil {
		return err
	}
	if !held {
		// A refresh asked for while another runs must still happen: that run may have read
		// the products before the change.
		return river.JobSnooze(2 * time.Second)
	}
	defer w.e.releaseSync(ctx, job.Kind, c.ID, job.ID)
	store, err := w.e.connectors.Store(c)
	if err != nil {
		return err
	}
	run := &models.SyncRun{Kind: models.SyncCatalogue, StartedAt: w.e.now()}
	cursor := ""
	for page := 0; page < maxCataloguePages; page++ {
		if held, err := w.e.holdSync(ctx, job.Kind, c.ID, job.ID); err != nil || !held {
			w.e.finishRun(ctx, c, run, nil)
			return err
		}
		result, err := store.Products(ctx, cursor)
		if err != nil {
			w.e.recordPollError(ctx, c, fmt.Errorf("catalogue: %w", err))
			w.e.finishRun(ctx, c, run, err)
			if apiclient.IsPermanent(err) {
				return nil
			}
			return err
		}
		if err := models.SaveProducts(ctx, w.e.db, c, result.Products, w.e.now()); err != nil {
			w.e.finishRun(ctx, c, run, err)
			return err
		}
		run.Pages, run.Created = run.Pages+1, run.Created+len(result.Products)
		if !result.More {
			break
		}
		cursor = result.Cursor
	}
	w.e.finishRun(ctx, c, run, nil)
	if job.Args.RetryBlocked {
		return w.retryBlocked(ctx, c, job.Args.Actor)
	}
	return nil
}

// retryBlocked retries the orders the catalogue may have unblocked.
func (w *SyncCatalogueWorker) retryBlocked(ctx context.Context, c *models.Connection, actor string) error {
	var ids []int64
	err := w.e.db.WithContext(ctx).Model(&models.Order{}).Scopes(models.ForMerchant(c.MerchantID)).
		Where("connection_id = ? AND store_state = ? AND store_blocked_reason IN ?", c.ID, models.StoreBlocked,
			[]string{models.BlockedUnknownProduct, models.BlockedOutOfStock}).Order("id").Pluck("id", &ids).Error
	if err != nil {
		return err
	}
	if actor == "" {
		actor = models.ActorOrderhub
	}
	_, err = w.e.runner.RetryOrders(ctx, w.e.db, c.MerchantID, ids, actor)
	return err
}
