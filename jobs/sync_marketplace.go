package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// SyncMarketplaceArgs reads a connection's changed orders from its marketplace.
type SyncMarketplaceArgs struct {
	ConnectionID int64 `json:"connection_id"`
}

func (SyncMarketplaceArgs) Kind() string { return "sync_marketplace" }

func (SyncMarketplaceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1} // the next poll is the retry
}

// SyncMarketplaceWorker imports pages of changed orders. Each page, its orders, the jobs that
// follow from them and the new cursor commit together: a crash resumes after the last page.
type SyncMarketplaceWorker struct {
	river.WorkerDefaults[SyncMarketplaceArgs]
	e *engine
}

// maxPagesPerSync bounds one run so that a large backlog does not hold the job forever; the
// next poll goes on from the saved cursor.
const maxPagesPerSync = 50

// Timeout allows a run of many pages; rescueStuckJobsAfter must stay above it.
func (w *SyncMarketplaceWorker) Timeout(*river.Job[SyncMarketplaceArgs]) time.Duration {
	return 4 * time.Minute
}

func (w *SyncMarketplaceWorker) Work(ctx context.Context, job *river.Job[SyncMarketplaceArgs]) error {
	c, err := w.e.connection(ctx, job.Args.ConnectionID)
	if errors.Is(err, models.ErrNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil || c.State != models.ConnectionActive {
		return err
	}
	if held, err := w.e.holdSync(ctx, job.Kind, c.ID, job.ID); err != nil || !held {
		return err // another run syncs this connection now; the next poll follows it
	}
	defer w.e.releaseSync(ctx, job.Kind, c.ID, job.ID)
	mp, err := w.e.connectors.Marketplace(c)
	if err != nil {
		w.e.recordPollError(ctx, c, err)
		return nil
	}
	cursor := c.MarketplaceCursor
	if paced, ok := mp.(Paced); ok {
		if wait := paced.ListingWait(cursor); wait > 0 {
			return w.e.postponePoll(ctx, c, wait)
		}
	}
	run := &models.SyncRun{Kind: models.SyncMarketplace, StartedAt: w.e.now()}
	for page := 0; page < maxPagesPerSync; page++ {
		if held, err := w.e.holdSync(ctx, job.Kind, c.ID, job.ID); err != nil || !held {
			w.e.finishRun(ctx, c, run, nil)
			return err // the lease was lost (a long pause): stop, the next poll resumes
		}
		result, err := mp.ChangedOrders(ctx, cursor)
		if err != nil {
			w.e.recordPollError(ctx, c, err)
			w.e.finishRun(ctx, c, run, err)
			if apiclient.IsPermanent(err) {
				return nil // e.g. refused credentials: shown on the connection, retried at the next poll
			}
			return err
		}
		created, updated, err := w.savePage(ctx, c, result)
		if err != nil {
			w.e.finishRun(ctx, c, run, err)
			return err
		}
		run.Pages, run.Created, run.Updated = run.Pages+1, run.Created+created, run.Updated+updated
		cursor = result.Cursor
		if !result.More {
			break
		}
	}
	w.e.recordPollError(ctx, c, nil)
	w.e.finishRun(ctx, c, run, nil)
	return nil
}

// savePage stores one page and says how many orders it created and changed.
func (w *SyncMarketplaceWorker) savePage(ctx context.Context, c *models.Connection, page models.OrdersPage) (created, updated int, err error) {
	now := w.e.now()
	err = w.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		created, updated = 0, 0 // counted again if the transaction is retried
		ordered, err := models.InIDOrder(ctx, tx, c, page.Orders)
		if err != nil {
			return err
		}
		for _, in := range ordered {
			order, result, err := models.ImportOrder(ctx, tx, c, in, now)
			if err != nil {
				return err
			}
			switch result {
			case models.ImportCreated:
				created++
			case models.ImportUpdated:
				updated++
			default:
				continue
			}
			if err := w.e.enqueueOrder(ctx, tx, order.ID, now); err != nil {
				return err
			}
		}
		return tx.Model(&models.Connection{}).Where("id = ? AND merchant_id = ?", c.ID, c.MerchantID).
			Update("marketplace_cursor", page.Cursor).Error
	})
	return created, updated, err
}

// postponePoll moves a connection's next poll to when its marketplace allows another listing
// call, so that the dispatcher does not enqueue polls that could only wait.
func (e *engine) postponePoll(ctx context.Context, c *models.Connection, wait time.Duration) error {
	next := e.now().UTC().Add(wait)
	return e.db.WithContext(ctx).Model(&models.Connection{}).
		Where("id = ? AND merchant_id = ? AND (next_poll_at IS NULL OR next_poll_at < ?)", c.ID, c.MerchantID, next).
		Update("next_poll_at", next).Error
}
