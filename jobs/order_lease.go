package jobs

import (
	"context"
	"time"

	"github.com/orderhub/orderhub/models"
)

// holdOrder takes an order's processing lease for a job run and keeps renewing it while the
// run goes on, so that the lease can be short: a process that dies frees its orders within
// one lease. The returned function stops the renewals and gives the lease back; false means
// another run holds the order.
func (e *engine) holdOrder(ctx context.Context, orderID int64) (bool, func(), error) {
	claimed, err := models.ClaimOrder(ctx, e.db, orderID, time.Now().Add(e.orderLease), time.Now())
	if err != nil || !claimed {
		return false, nil, err
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(e.orderLease / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				if err := models.RenewOrder(ctx, e.db, orderID, time.Now().Add(e.orderLease)); err != nil && ctx.Err() == nil {
					e.logger.Warn("renewing an order's lease", "order", orderID, "err", err)
				}
			}
		}
	}()
	release := func() {
		close(stop)
		<-done
		if err := models.ReleaseOrder(context.WithoutCancel(ctx), e.db, orderID); err != nil {
			e.logger.Error("releasing an order", "order", orderID, "err", err)
		}
	}
	return true, release, nil
}
