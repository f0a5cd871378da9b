// Package jobs holds orderhub's background jobs and the River client that runs them, durable
// in the same database as everything else.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// Runner inserts jobs and, once started, works them.
//
// Inserts go through a client on the shared *sql.DB, so they join GORM transactions. On
// PostgreSQL jobs are worked by a second client on the pgx pool, which wakes on LISTEN/NOTIFY
// instead of polling; on SQLite the one client does both.
type Runner struct {
	inserter *river.Client[*sql.Tx]
	worker   worker
	logger   *slog.Logger
	now      func() time.Time
	e        *engine // for the pages' connector calls (test connection, carrier list)
}

type worker interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// Options tune the runner; the zero value is what `serve` uses.
type Options struct {
	Logger *slog.Logger
	// PollInterval is how often workers look for jobs when no notification wakes them.
	PollInterval time.Duration
	// NoPeriodic leaves out the periodic schedules (for tests that want a quiet queue).
	NoPeriodic bool
	// Connectors builds connectors for the order jobs (default: the registry).
	Connectors Connectors
	// Now is the clock of the order jobs (tests move it).
	Now func() time.Time
	// DispatchInterval is how often due connections are looked for (default 1 s).
	DispatchInterval time.Duration
	// SweepInterval is how often idle actionable orders are re-queued (default 10 s).
	SweepInterval time.Duration
	// SweepIdle is how long an actionable order sits before the sweep takes it (default 1 min).
	SweepIdle time.Duration
	// SyncLease is how long a sync holds its connection between renewals (default 30 s), and
	// OrderLease how long an order run holds its order between renewals (default 15 s): the
	// time a process that died keeps them.
	SyncLease, OrderLease time.Duration
	// CreateSettle is how long after an unanswered store create orderhub waits before looking
	// the order up and trying again (default 45 s, beyond the HTTP client's 30 s timeout): a
	// store may still be working on a request its caller gave up on.
	CreateSettle time.Duration
	// Mailer sends the digest e-mails (nil: none are sent); their links start with BaseURL.
	Mailer  Mailer
	BaseURL string
}

// New builds the runner and registers every job orderhub has.
func New(db *models.DB, opts Options) (*Runner, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Connectors == nil {
		opts.Connectors = noConnectors{}
	}
	opts.SweepIdle = cmp.Or(opts.SweepIdle, time.Minute)
	opts.SyncLease = cmp.Or(opts.SyncLease, 30*time.Second)
	opts.OrderLease = cmp.Or(opts.OrderLease, 15*time.Second)
	opts.CreateSettle = cmp.Or(opts.CreateSettle, 45*time.Second)
	if opts.DispatchInterval == 0 {
		opts.DispatchInterval = time.Second
	}
	if opts.SweepInterval == 0 {
		opts.SweepInterval = 10 * time.Second
	}
	r := &Runner{logger: opts.Logger, now: opts.Now}
	e := &engine{db: db.Gorm, runner: r, connectors: opts.Connectors, now: opts.Now, logger: opts.Logger, carriers: map[int64]cachedCarriers{},
		sweepIdle: opts.SweepIdle, syncLease: opts.SyncLease, orderLease: opts.OrderLease, createSettle: opts.CreateSettle}
	r.e = e
	workers := river.NewWorkers()
	river.AddWorker(workers, &HousekeepingWorker{DB: db.Gorm})
	river.AddWorker(workers, &DispatchWorker{e: e})
	river.AddWorker(workers, &SyncMarketplaceWorker{e: e})
	river.AddWorker(workers, &SyncStoreWorker{e: e})
	river.AddWorker(workers, &SyncCatalogueWorker{e: e})
	river.AddWorker(workers, &ProcessOrderWorker{e: e})
	river.AddWorker(workers, &SweepWorker{e: e})
	river.AddWorker(workers, &DecideOrderWorker{e: e})
	river.AddWorker(workers, &DigestWorker{DB: db.Gorm, Mailer: opts.Mailer, BaseURL: opts.BaseURL, Now: opts.Now})

	config := &river.Config{
		Logger:            queueLogger(opts.Logger),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 20}},
		Workers:           workers,
		FetchPollInterval: opts.PollInterval,
		// A process that died leaves its jobs "running"; they are taken again after this,
		// which outlasts every job's timeout.
		RescueStuckJobsAfter: rescueStuckJobsAfter,
		RetryPolicy:          retryPolicy{},
	}
	if !opts.NoPeriodic {
		config.PeriodicJobs = periodicJobs(opts.DispatchInterval, opts.SweepInterval)
	}

	var err error
	if db.Dialect == models.DialectSQLite {
		r.inserter, err = river.NewClient(riversqlite.New(db.SQL), config)
		r.worker = r.inserter
		return r, err
	}
	r.inserter, err = river.NewClient(riverdatabasesql.New(db.SQL), &river.Config{Logger: queueLogger(opts.Logger), Workers: workers})
	if err != nil {
		return nil, err
	}
	r.worker, err = river.NewClient(riverpgxv5.New(db.Pool), config)
	return r, err
}

// Enqueue inserts a job inside the GORM transaction tx: the job exists if and only if the
// transaction commits. tx must come from db.Transaction (or Begin).
func (r *Runner) Enqueue(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("jobs: enqueue %s needs a transaction, got %T", args.Kind(), tx.Statement.ConnPool)
	}
	return r.inserter.InsertTx(ctx, sqlTx, args, opts)
}

// Start begins working jobs and the periodic schedules.
func (r *Runner) Start(ctx context.Context) error { return r.worker.Start(ctx) }

// Stop lets running jobs finish within the grace period, then cancels what is left.
func (r *Runner) Stop(grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := r.worker.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		r.logger.Warn("jobs still running after the grace period; cancelling them", "grace", grace)
		cancelCtx, cancelCancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancelCancel()
		return r.worker.StopAndCancel(cancelCtx)
	}
	return err
}

// retryPolicy retries a failed job after 2, 4, 8... seconds, never more than a minute later:
// River's default (attempt⁴ seconds) would leave an order that met a few errors in a row
// waiting for many minutes after the marketplace or store is back.
type retryPolicy struct{}

func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	wait := min(time.Duration(1<<min(job.Attempt, 6))*time.Second, time.Minute)
	return time.Now().Add(wait + rand.N(wait/10+1))
}

// rescueStuckJobsAfter is longer than the longest job timeout (syncs: 4 min).
const rescueStuckJobsAfter = 5 * time.Minute

func periodicJobs(dispatchInterval, sweepInterval time.Duration) []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(dispatchInterval),
			func() (river.JobArgs, *river.InsertOpts) { return DispatchArgs{}, oncePer(dispatchInterval) },
			&river.PeriodicJobOpts{ID: "dispatch", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(sweepInterval),
			func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, oncePer(sweepInterval) },
			&river.PeriodicJobOpts{ID: "sweep"}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return HousekeepingArgs{}, oncePer(time.Hour) },
			&river.PeriodicJobOpts{ID: "housekeeping", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(digestCheckInterval),
			func() (river.JobArgs, *river.InsertOpts) { return DigestArgs{}, oncePer(digestCheckInterval) },
			&river.PeriodicJobOpts{ID: "digest", RunOnStart: true}),
	}
}

// oncePer makes a periodic job unique within its interval, whichever processes insert it.
// Uniqueness by period, not by "one queued or running": a job left running by a process that
// died would otherwise stop the schedule until it is rescued, minutes later.
func oncePer(interval time.Duration) *river.InsertOpts {
	return &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: max(interval, time.Second)}}
}

// noConnectors answers when a runner was built without connectors.
type noConnectors struct{}

func (noConnectors) Marketplace(*models.Connection) (Marketplace, error) {
	return nil, errors.New("this process has no connectors configured")
}

func (noConnectors) Store(*models.Connection) (Store, error) {
	return nil, errors.New("this process has no connectors configured")
}

// queueLogger keeps River's routine information (job counts every few seconds) out of the
// log unless debugging.
func queueLogger(logger *slog.Logger) *slog.Logger {
	return slog.New(minLevel{logger.Handler(), slog.LevelWarn})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, level slog.Level) bool {
	return (level >= h.min || h.Handler.Enabled(ctx, slog.LevelDebug)) && h.Handler.Enabled(ctx, level)
}

func (h minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(attrs), h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.min}
}
