package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// Connectors builds the marketplace and store connectors of a connection.
type Connectors interface {
	Marketplace(c *models.Connection) (Marketplace, error)
	Store(c *models.Connection) (Store, error)
}

// engine is what the order jobs share.
type engine struct {
	db         *gorm.DB
	runner     *Runner
	connectors Connectors
	now        func() time.Time
	logger     *slog.Logger

	carriersMu sync.Mutex
	carriers   map[int64]cachedCarriers // per connection

	sweepIdle, syncLease, orderLease, createSettle time.Duration
}

// holdSync takes (or renews) the lease of one kind of sync on a connection for a job run; a
// false answer means another run has it.
func (e *engine) holdSync(ctx context.Context, kind string, connectionID, jobID int64) (bool, error) {
	now := time.Now()
	return models.ClaimLease(ctx, e.db, syncLeaseKey(kind, connectionID), jobHolder(jobID), now.Add(e.syncLease), now)
}

func (e *engine) releaseSync(ctx context.Context, kind string, connectionID, jobID int64) {
	if err := models.ReleaseLease(context.WithoutCancel(ctx), e.db, syncLeaseKey(kind, connectionID), jobHolder(jobID)); err != nil {
		e.logger.Error("releasing a sync lease", "connection", connectionID, "err", err)
	}
}

func syncLeaseKey(kind string, connectionID int64) string {
	return kind + ":" + strconv.FormatInt(connectionID, 10)
}

func jobHolder(jobID int64) string { return "job:" + strconv.FormatInt(jobID, 10) }

type cachedCarriers struct {
	list    []models.Carrier
	fetched time.Time
}

// carrierCacheTTL: marketplaces ask for their carrier list to be read about once a day.
const carrierCacheTTL = 6 * time.Hour

// marketplaceCarriers returns the marketplace's carrier list, read at most every few hours.
func (e *engine) marketplaceCarriers(ctx context.Context, c *models.Connection, mp Marketplace) ([]models.Carrier, error) {
	e.carriersMu.Lock()
	cached, ok := e.carriers[c.ID]
	e.carriersMu.Unlock()
	if ok && e.now().Sub(cached.fetched) < carrierCacheTTL {
		return cached.list, nil
	}
	list, err := mp.Carriers(ctx)
	if err != nil {
		return nil, err
	}
	e.carriersMu.Lock()
	e.carriers[c.ID] = cachedCarriers{list: list, fetched: e.now()}
	e.carriersMu.Unlock()
	return list, nil
}

// connection loads a connection by id for a job; jobs then scope every query by its merchant.
func (e *engine) connection(ctx context.Context, id int64) (*models.Connection, error) {
	var c models.Connection
	if err := e.db.WithContext(ctx).First(&c, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrNotFound
		}
		return nil, err
	}
	return &c, nil
}

// enqueueOrder asks for the order's next step, inside tx.
func (e *engine) enqueueOrder(ctx context.Context, tx *gorm.DB, orderID int64, at time.Time) error {
	args := ProcessOrderArgs{OrderID: orderID}
	opts := args.InsertOpts()
	if wait := at.Sub(e.now()); wait > 0 {
		opts.ScheduledAt = time.Now().Add(wait) // River schedules in real time
	}
	_, err := e.runner.Enqueue(ctx, tx, args, &opts)
	return err
}

// recordPollError keeps the last sync problem on the connection for its settings page.
func (e *engine) recordPollError(ctx context.Context, c *models.Connection, err error) {
	message := ""
	if err != nil {
		message = err.Error()
	}
	now := e.now().UTC()
	if dbErr := e.db.WithContext(ctx).Model(&models.Connection{}).Where("id = ? AND merchant_id = ?", c.ID, c.MerchantID).
		Updates(map[string]any{"last_poll_error": message, "last_poll_at": now}).Error; dbErr != nil {
		e.logger.Error("recording a sync result", "connection", c.ID, "err", dbErr)
	}
}

// finishRun keeps a sync run on the connection's page when it changed something or failed.
func (e *engine) finishRun(ctx context.Context, c *models.Connection, run *models.SyncRun, err error) {
	run.FinishedAt = e.now()
	if err != nil {
		run.Error = err.Error()
	}
	if !run.Worth() {
		return
	}
	if dbErr := models.RecordSyncRun(context.WithoutCancel(ctx), e.db, c, run); dbErr != nil {
		e.logger.Error("recording a sync run", "connection", c.ID, "err", dbErr)
	}
}
