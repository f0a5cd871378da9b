package jobs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
)

// The sweep re-queues an order that should be moving and has no run queued, once; an order
// whose run is already queued waits for it, so that a backlog does not fill the queue with
// runs of the same orders. A run left "running" by a dead process does not hold the order.
func TestSweepQueuesAnIdleOrderOnceAndLeavesQueuedOnesAlone(t *testing.T) {
	f := newFlow(t)
	ctx := context.Background()
	idle := func(marketplaceID string) *models.Order {
		in := &models.Order{MarketplaceOrderID: marketplaceID, Status: models.StatusWaitingShipment, Currency: "EUR", TotalAmount: 1990,
			PlacedAt: f.clock.Now(), MarketplaceUpdatedAt: f.clock.Now(),
			Shipping: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "1 Main St", PostalCode: "N1", City: "London", Country: "GB"},
			Lines:    []models.OrderLine{{MarketplaceLineID: marketplaceID + "-1", SKU: "SKU-1", Title: "Thing", Quantity: 1, UnitPrice: 1990}}}
		var o *models.Order
		err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
			var err error
			o, _, err = models.ImportOrder(ctx, tx, f.conn, in, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Shipped in the store, not yet confirmed on the marketplace, untouched for 5 minutes.
		err = f.db.Gorm.Model(&models.Order{}).Where("id = ?", o.ID).Updates(map[string]any{
			"store_state": models.StoreImported, "shipment_state": models.ShipmentReady, "updated_at": f.clock.Now().Add(-5 * time.Minute).UTC()}).Error
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	queued, forgotten := idle("QUEUED-1-A"), idle("FORGOTTEN-1-A")
	f.enqueue(jobs.ProcessOrderArgs{OrderID: queued.ID})

	runs := func(o *models.Order, states ...string) int {
		var rows []struct{ Args []byte }
		column := "args"
		if f.db.Gorm.Dialector.Name() == "sqlite" {
			column = "json(args) AS args" // River's SQLite driver keeps them as JSONB
		}
		if err := f.db.Gorm.Table("river_job").Select(column).Where("kind = ? AND state IN ?", "process_order", states).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, row := range rows {
			var args jobs.ProcessOrderArgs
			if err := json.Unmarshal(row.Args, &args); err != nil {
				t.Fatal(err)
			}
			if args.OrderID == o.ID {
				n++
			}
		}
		return n
	}
	for range 3 {
		if err := f.runner.SweepNow(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := runs(queued, "available"); got != 1 {
		t.Errorf("the order with a queued run has %d runs queued after three sweeps, want 1", got)
	}
	if got := runs(forgotten, "available"); got != 1 {
		t.Errorf("the forgotten order has %d runs queued after three sweeps, want 1", got)
	}

	// Its run was taken by a process that then died: the run stays "running", the order's
	// lease expires, and the next sweep queues it again.
	if err := f.db.Gorm.Exec("UPDATE river_job SET state = 'running' WHERE kind = 'process_order'").Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Gorm.Model(&models.Order{}).Where("id = ?", forgotten.ID).Update("processing_until", time.Now().Add(-time.Second).UTC()).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.runner.SweepNow(ctx); err != nil {
		t.Fatal(err)
	}
	if got := runs(forgotten, "available"); got != 1 {
		t.Errorf("the order of a dead run has %d runs queued after the sweep, want 1", got)
	}
}

// The sweep looks an order's queued run up in the partial index of migration 00019 instead of
// reading every queued run for each order (14 s a sweep with 14 000 runs queued): the
// database must be able to use that index for the sweep's exact condition. PostgreSQL is told
// to avoid reading whole tables, as it would with many runs queued; the index appears in the
// plan only if the condition matches its definition.
func TestSweepFindsQueuedRunsThroughTheirIndex(t *testing.T) {
	f := newFlow(t)
	query := "SELECT o.id FROM orders AS o WHERE NOT EXISTS (" + jobs.QueuedRunOf(f.db.Gorm) + ")"
	var plan []string
	err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
				return err
			}
			return tx.Raw("EXPLAIN " + query).Scan(&plan).Error
		}
		var rows []struct{ Detail string }
		if err := tx.Raw("EXPLAIN QUERY PLAN " + query).Scan(&rows).Error; err != nil {
			return err
		}
		for _, row := range rows {
			plan = append(plan, row.Detail)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "river_job_queued_order_idx") {
		t.Fatalf("the sweep's look-up of queued runs does not use river_job_queued_order_idx:\n%s", strings.Join(plan, "\n"))
	}
}
