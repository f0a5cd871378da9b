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
	for page := 0; page < maxPagesPerSync; page++ {
		if held, err := w.e.holdSync(ctx, job.Kind, c.ID, job.ID); err != nil || !held {
			return err // the lease was lost (a long pause): stop, the next poll resumes
		}
		result, err := mp.ChangedOrders(ctx, cursor)
		if err != nil {
			w.e.recordPollError(ctx, c, err)
			if apiclient.IsPermanent(err) {
				return nil // e.g. refused credentials: shown on the connection, retried at the next poll
			}
			return err
		}
		if err := w.savePage(ctx, c, result); err != nil {
			return err
		}
		cursor = result.Cursor
		if !result.More {
			break
		}
	}
	w.e.recordPollError(ctx, c, nil)
	return nil
}

func (w *SyncMarketplaceWorker) savePage(ctx context.Context, c *models.Connection, page models.OrdersPage) error {
	now := w.e.now()
	return w.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ordered, err := models.InIDOrder(ctx, tx, c, page.Orders)
		if err != nil {
			return err
		}
		for _, in := range ordered {
			order, result, err := models.ImportOrder(ctx, tx, c, in, now)
			if err != nil {
				return err
			}
			if result == models.ImportCreated || result == models.ImportUpdated {
				if err := w.e.enqueueOrder(ctx, tx, order.ID, now); err != nil {
					return err
				}
			}
		}
		return tx.Model(&models.Connection{}).Where("id = ? AND merchant_id = ?", c.ID, c.MerchantID).
			Update("marketplace_cursor", page.Cursor).Error
	})
}
