package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// SweepNow runs one sweep at once, for tests.
func (r *Runner) SweepNow(ctx context.Context) error {
	return (&SweepWorker{e: r.e}).Work(ctx, &river.Job[SweepArgs]{})
}
