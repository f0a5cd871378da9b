package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/orderhub/orderhub/models"
)

// checkInvariants verifies, from the fakes' own records and the database, that every order
// was created exactly once in its store and its shipment sent exactly once to its
// marketplace, that orderhub considers every order final, and that no job is left failing.
// Each check goes into the report; the error lists the failed ones.
func (r *run) checkInvariants(ctx context.Context, rep *Report) error {
	var failed []string
	add := func(name string, problems []string, okDetail string) {
		c := Check{Name: name, OK: len(problems) == 0, Detail: okDetail}
		if !c.OK {
			c.Detail = summarize(problems)
			failed = append(failed, name+": "+c.Detail)
		}
		rep.Checks = append(rep.Checks, c)
	}

	var storeProblems, shipProblems, merchantProblems []string
	fed := 0
	for _, s := range r.shops {
		timelines := s.snapshot()
		fed += len(timelines)
		inStore := map[string]int{}
		for _, o := range s.store.Orders() {
			id := o.Meta("_orderhub_marketplace_order_id")
			inStore[id]++
			if _, ours := timelines[id]; !ours {
				storeProblems = append(storeProblems, fmt.Sprintf("store %d holds order %d for unknown marketplace order %q", s.index+1, o.ID, id))
			}
		}
		for id := range timelines {
			if n := inStore[id]; n != 1 {
				storeProblems = append(storeProblems, fmt.Sprintf("%s is in store %d %d times", id, s.index+1, n))
			}
			shipments := s.marketplace.Shipments(id)
			switch {
			case len(shipments) != 1:
				shipProblems = append(shipProblems, fmt.Sprintf("%s has %d shipments on marketplace %d", id, len(shipments), s.index+1))
			case shipments[0].TrackingNumber != trackingNumber(id) || shipments[0].CarrierCode != "COLISSIMO":
				shipProblems = append(shipProblems, fmt.Sprintf("%s was shipped with %s %s, not COLISSIMO %s", id, shipments[0].CarrierCode, shipments[0].TrackingNumber, trackingNumber(id)))
			}
		}
		s.mu.Lock()
		for _, err := range s.errs {
			merchantProblems = append(merchantProblems, err.Error())
		}
		s.mu.Unlock()
	}
	add("every order created exactly once in its store", storeProblems, fmt.Sprintf("%d orders, %d store orders", fed, fed))
	add("every shipment sent exactly once to its marketplace", shipProblems, fmt.Sprintf("%d shipments with the store's carrier and tracking number", fed))
	add("the merchant could ship every store order", merchantProblems, "yes")

	finalProblems, err := r.notFinal(ctx)
	if err != nil {
		return err
	}
	add("every order final in orderhub (shipped, shipment confirmed)", finalProblems, fmt.Sprintf("%d orders", fed))

	var jobs []struct {
		Kind      string
		State     string
		LastError string
	}
	err = r.db.Gorm.WithContext(ctx).Raw(`SELECT kind, state, coalesce(errors[array_length(errors, 1)]->>'error', '') AS last_error
		FROM river_job WHERE state IN ('retryable', 'discarded', 'running')`).Scan(&jobs).Error
	if err != nil {
		return err
	}
	var jobProblems []string
	var orphans, rescued int64
	failing := map[string]int{}
	for _, j := range jobs {
		switch {
		case j.State == "running":
			orphans++ // left by a killed process; River rescues it after a while
		case strings.Contains(j.LastError, "rescued by JobRescuer"):
			rescued++ // its process was killed; a sync's next poll or the order's next run took over
		default:
			failing[fmt.Sprintf("%s %s (%s)", j.Kind, j.State, j.LastError)]++
		}
	}
	for what, n := range failing {
		jobProblems = append(jobProblems, fmt.Sprintf("%d × %s", n, what))
	}
	add("no job left failing (retryable or discarded)", jobProblems, fmt.Sprintf("none (%d rescued after their process was killed)", rescued))

	if s := rep.Soak; s != nil {
		s.OrphanedJobs = orphans
		var settle []string
		if s.SettledAfter > s.SettleWithin {
			settle = append(settle, fmt.Sprintf("the last order became final %.0fs after the faults stopped (limit %.0fs)", s.SettledAfter, s.SettleWithin))
		}
		add("no order stuck: all final within two poll intervals of the faults stopping", settle, fmt.Sprintf("after %.0fs", s.SettledAfter))
	}
	if len(failed) > 0 {
		return errors.New("invariants failed:\n  " + strings.Join(failed, "\n  "))
	}
	return nil
}

// notFinal lists the orders orderhub does not yet consider done.
func (r *run) notFinal(ctx context.Context) ([]string, error) {
	var rows []struct {
		MarketplaceOrderID string
		Status             string
		StoreState         string
		ShipmentState      string
	}
	err := r.db.Gorm.WithContext(ctx).Model(&models.Order{}).
		Select("marketplace_order_id", "status", "store_state", "shipment_state").
		Where("shipment_state <> ?", models.ShipmentConfirmed).Limit(20).Find(&rows).Error
	var out []string
	for _, o := range rows {
		out = append(out, fmt.Sprintf("%s is %s / store %s / shipment %s", o.MarketplaceOrderID, o.Status, o.StoreState, o.ShipmentState))
	}
	return out, err
}

// summarize keeps a failure's detail readable: the count and the first few.
func summarize(problems []string) string {
	if len(problems) <= 5 {
		return strings.Join(problems, "; ")
	}
	return fmt.Sprintf("%d problems, first: %s", len(problems), strings.Join(problems[:5], "; "))
}
