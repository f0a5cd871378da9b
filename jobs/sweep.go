package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// SweepArgs re-queues orders that should be moving but have not: a process that died
// mid-step (its order lease expired), a job that ran out of attempts, a lost wake-up. Nothing
// waits on a single job to be lucky.
type SweepArgs struct{}

func (SweepArgs) Kind() string { return "sweep" }

// SweepWorker finds them.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	e *engine
}

// queuedRunOf is the SQL condition "order o has a process_order run waiting to start", in the
// database's dialect (River keeps job arguments as JSON). It reads the partial index
// river_job_queued_order_idx (migration 00019), not every queued run: the condition is written
// out without bound parameters, since a planner cannot prove a parameter equals the index's
// constants, and SQLite, which keeps no statistics here and would pick River's index on kind
// alone, is told the index by name.
func queuedRunOf(db *gorm.DB) string {
	from, orderID := "river_job AS j INDEXED BY river_job_queued_order_idx", "json_extract(j.args, '$.order_id')"
	if db.Dialector.Name() == "postgres" {
		from, orderID = "river_job AS j", "(j.args->>'order_id')::bigint"
	}
	return "SELECT 1 FROM " + from + " WHERE " + orderID + " = o.id" +
		" AND j.kind = '" + ProcessOrderArgs{}.Kind() + "' AND j.state IN ('available', 'pending', 'scheduled')"
}

func (w *SweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	now := time.Now().UTC() // leases are in real time
	idleSince := w.e.now().UTC().Add(-w.e.sweepIdle)
	var ids []int64
	err := w.e.db.WithContext(ctx).Table("orders AS o").Select("o.id").
		Joins("JOIN connections AS c ON c.id = o.connection_id AND c.merchant_id = o.merchant_id").
		Where("c.state = ?", models.ConnectionActive).
		// An expired lease means its process died mid-run (a live run renews its lease and
		// clears it at the end): take the order at once. Others wait until idle a while.
		Where(w.e.db.Where("o.processing_until < ?", now).Or("o.updated_at < ?", idleSince)).
		Where(w.e.db.
			Where("o.status = ? AND c.auto_accept", models.StatusWaitingAcceptance).
			Or("o.status = ? AND o.store_state = ? AND c.store_kind <> ?", models.StatusWaitingShipment, models.StorePending, models.StoreKindAPI).
			Or("o.status IN ? AND o.store_state <> ?", []string{models.StatusCancelled, models.StatusRefused}, models.StoreCancelled).
			Or("o.shipment_state IN ?", []string{models.ShipmentReady, models.ShipmentSent, models.ShipmentAwaitingTracking})).
		// An order whose run is already queued waits for it: under a backlog, re-queuing it
		// every sweep would fill the queue with runs of the same orders. (A run left "running"
		// by a dead process does not count: its order's lease has expired; nor does one waiting
		// to be retried after errors, which the sweep may bring forward as before.)
		Where("NOT EXISTS ("+queuedRunOf(w.e.db)+")").
		Order("o.updated_at").Limit(500).Pluck("o.id", &ids).Error
	if err != nil || len(ids) == 0 {
		return err
	}
	return w.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, id := range ids {
			if err := w.e.enqueueOrder(ctx, tx, id, time.Time{}); err != nil {
				return err
			}
		}
		return nil
	})
}
