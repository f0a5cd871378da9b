package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// DecideOrderArgs carries a person's decision on an order waiting acceptance.
type DecideOrderArgs struct {
	OrderID int64  `json:"order_id"`
	Accept  bool   `json:"accept"`
	Actor   string `json:"actor"`
	Reason  string `json:"reason,omitempty"`
}

func (DecideOrderArgs) Kind() string { return "decide_order" }

func (DecideOrderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueWhileQueued}}
}

// DecideOrderWorker sends the decision to the marketplace, then lets the order go on.
type DecideOrderWorker struct {
	river.WorkerDefaults[DecideOrderArgs]
	e *engine
}

func (w *DecideOrderWorker) Work(ctx context.Context, job *river.Job[DecideOrderArgs]) error {
	claimed, release, err := w.e.holdOrder(ctx, job.Args.OrderID)
	if err != nil {
		return err
	}
	if !claimed {
		return river.JobSnooze(time.Second)
	}
	defer release()
	var o models.Order
	if err := w.e.db.WithContext(ctx).Preload("Lines").First(&o, job.Args.OrderID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		return err
	}
	if o.Status != models.StatusWaitingAcceptance {
		return nil // decided meanwhile, on the marketplace or by someone else
	}
	c, err := w.e.connection(ctx, o.ConnectionID)
	if err != nil {
		return err
	}
	process := &ProcessOrderWorker{e: w.e}
	if job.Args.Accept {
		err = process.accept(ctx, c, &o, job.Args.Actor)
	} else {
		err = process.refuse(ctx, c, &o, job.Args.Actor, job.Args.Reason)
	}
	if err != nil && !errors.Is(err, errWaiting) {
		return err
	}
	return w.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return w.e.enqueueOrder(ctx, tx, o.ID, w.e.now())
	})
}

// refuse refuses the order on the marketplace and reads it back.
func (w *ProcessOrderWorker) refuse(ctx context.Context, c *models.Connection, o *models.Order, actor, reason string) error {
	mp, err := w.e.connectors.Marketplace(c)
	if err != nil {
		return err
	}
	rec := &apiclient.Recorder{}
	err = mp.Refuse(apiclient.WithRecorder(ctx, rec), o, reason)
	if err != nil && !apiclient.IsPermanent(err) {
		return err
	}
	message := "Refused on the marketplace."
	if reason != "" {
		message = fmt.Sprintf("Refused on the marketplace: %s", reason)
	}
	if err != nil {
		message = "The marketplace did not take the refusal: " + err.Error()
	}
	if logErr := w.event(ctx, o, actor, "refuse", message, rec); logErr != nil {
		return logErr
	}
	if err != nil {
		return errWaiting
	}
	return w.refresh(ctx, c, mp, o)
}

// DecideOrder records a person's acceptance or refusal; the job carries it to the marketplace.
func (r *Runner) DecideOrder(ctx context.Context, db *gorm.DB, merchantID, orderID int64, accept bool, actor, reason string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := models.MerchantOrder(ctx, tx, merchantID, orderID)
		if err != nil {
			return err
		}
		if o.Status != models.StatusWaitingAcceptance {
			return models.NewTransitionError("order.error.not_waiting_acceptance", map[string]any{"Status": models.StateCode(o.Status)},
				"the order is "+o.Status+", not waiting acceptance")
		}
		_, err = r.Enqueue(ctx, tx, DecideOrderArgs{OrderID: o.ID, Accept: accept, Actor: actor, Reason: reason}, nil)
		return err
	})
}

// uniqueWhileQueued: at most one such job waiting or running at a time.
var uniqueWhileQueued = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}
