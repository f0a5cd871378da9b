package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// HousekeepingArgs asks for expired sessions, stale login failures, day-old idempotency keys
// and old sync runs to be deleted. Finished job rows are pruned by River itself.
type HousekeepingArgs struct{}

func (HousekeepingArgs) Kind() string { return "housekeeping" }

// HousekeepingWorker does the deleting.
type HousekeepingWorker struct {
	river.WorkerDefaults[HousekeepingArgs]
	DB *gorm.DB
}

func (w *HousekeepingWorker) Work(ctx context.Context, job *river.Job[HousekeepingArgs]) error {
	now := time.Now()
	sessions, err := models.PurgeExpiredSessions(ctx, w.DB, now)
	if err != nil {
		return err
	}
	failures, err := models.PurgeLoginFailures(ctx, w.DB, now)
	if err != nil {
		return err
	}
	keys, err := models.PurgeIdempotencyKeys(ctx, w.DB, now)
	if err != nil {
		return err
	}
	runs, err := models.PurgeSyncRuns(ctx, w.DB, now)
	if err != nil {
		return err
	}
	deliveries, err := models.PurgeWebhookDeliveries(ctx, w.DB, now)
	if err != nil {
		return err
	}
	resets, err := models.PurgePasswordResets(ctx, w.DB, now)
	if err != nil {
		return err
	}
	invitations, err := models.PurgeInvitations(ctx, w.DB, now)
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]int64{"sessions_deleted": sessions, "login_failures_deleted": failures,
		"idempotency_keys_deleted": keys, "sync_runs_deleted": runs, "webhook_deliveries_deleted": deliveries,
		"password_resets_deleted": resets, "invitations_deleted": invitations})
}
