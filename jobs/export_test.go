package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// SweepNow runs one sweep at once, for tests.
func (r *Runner) SweepNow(ctx context.Context) error {
	return (&SweepWorker{e: r.e}).Work(ctx, &river.Job[SweepArgs]{})
}

// QueuedRunOf is the sweep's condition for an order whose run is queued, for tests.
var QueuedRunOf = queuedRunOf
