package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestTransitionRules(t *testing.T) {
	cases := []struct {
		field, from, to string
		allowed         bool
	}{
		{models.FieldStatus, models.StatusWaitingAcceptance, models.StatusWaitingShipment, true},
		{models.FieldStatus, models.StatusWaitingAcceptance, models.StatusCreated, true}, // accepted, payment pending
		{models.FieldStatus, models.StatusCreated, models.StatusShipped, true},           // forward jumps happen
		{models.FieldStatus, models.StatusShipped, models.StatusWaitingShipment, false},
		{models.FieldStatus, models.StatusWaitingShipment, models.StatusRefused, false},
		{models.FieldStatus, models.StatusWaitingAcceptance, models.StatusRefused, true},
		{models.FieldStatus, models.StatusShipped, models.StatusCancelled, false},
		{models.FieldStatus, models.StatusShipped, models.StatusRefunded, true},
		{models.FieldStatus, models.StatusCancelled, models.StatusWaitingShipment, false},
		{models.FieldStatus, models.StatusRefused, models.StatusCancelled, false},
		{models.FieldStatus, models.StatusShipped, models.StatusShipped, false},
		{models.FieldStoreState, models.StorePending, models.StoreImported, true},
		{models.FieldStoreState, models.StorePending, models.StoreBlocked, true},
		{models.FieldStoreState, models.StoreBlocked, models.StorePending, true},
		{models.FieldStoreState, models.StoreBlocked, models.StoreBlocked, true},  // blocked for another reason
		{models.FieldStoreState, models.StoreImported, models.StorePending, true}, // a pull-mode shop unacknowledges
		{models.FieldStoreState, models.StoreImported, models.StoreCancelled, true},
		{models.FieldStoreState, models.StoreCancelled, models.StorePending, false},
		{models.FieldShipmentState, models.ShipmentNone, models.ShipmentAwaitingTracking, true},
		{models.FieldShipmentState, models.ShipmentReady, models.ShipmentSent, true},
		{models.FieldShipmentState, models.ShipmentSent, models.ShipmentConfirmed, true},
		{models.FieldShipmentState, models.ShipmentNone, models.ShipmentSent, false},
		{models.FieldShipmentState, models.ShipmentConfirmed, models.ShipmentReady, false},
		{models.FieldShipmentState, models.ShipmentBlocked, models.ShipmentReady, true},
		{"total_amount", "1", "2", false},
	}
	for _, tc := range cases {
		if got := models.TransitionAllowed(tc.field, tc.from, tc.to); got != tc.allowed {
			t.Errorf("%s %s → %s: allowed = %v, want %v", tc.field, tc.from, tc.to, got, tc.allowed)
		}
	}
}

func TestTransitionWritesStateAndEventTogether(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	c := activeConnection(t, db, "acme")
	var order *models.Order
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		order, _, err = models.ImportOrder(ctx, tx, c, marketplaceOrder("M-1-A", models.StatusWaitingShipment, day0.Add(2*time.Hour)), day0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	block := models.Transition{Field: models.FieldStoreState, To: models.StoreBlocked, Reason: models.BlockedUnknownProduct,
		Message: "SKU X matches no active product", Actor: models.ActorOrderhub,
		Exchanges: []models.Exchange{{Method: "GET", URL: "https://shop.example/products?sku=X", Status: 200}}}
	if err := order.Transition(ctx, db.Gorm, block, day0); err != nil {
		t.Fatal(err)
	}
	if order.StoreState != models.StoreBlocked || order.StoreBlockedReason != models.BlockedUnknownProduct || len(order.Lines) != 1 {
		t.Fatalf("after blocking: %+v", order)
	}

	// A second copy still believing the order pending cannot move it.
	stale := *order
	stale.StoreState = models.StorePending
	err = stale.Transition(ctx, db.Gorm, models.Transition{Field: models.FieldStoreState, To: models.StoreImported, Actor: models.ActorOrderhub}, day0)
	if !errors.Is(err, models.ErrConflict) {
		t.Fatalf("stale copy: %v, want ErrConflict", err)
	}
	err = order.Transition(ctx, db.Gorm, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentSent, Actor: models.ActorOrderhub}, day0)
	if !errors.Is(err, models.ErrInvalidTransition) {
		t.Fatalf("none → sent: %v", err)
	}

	retry := models.Transition{Field: models.FieldStoreState, To: models.StorePending, Actor: "user:1", Message: "Retry after the SKU was linked."}
	if err := order.Transition(ctx, db.Gorm, retry, day0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if order.StoreBlockedReason != "" || order.StoreBlockedMessage != "" {
		t.Fatalf("leaving blocked must clear the reason: %+v", order)
	}

	events, err := models.OrderEvents(ctx, db.Gorm, c.MerchantID, order.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{}
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	want := []string{"imported", "store_state.blocked", "store_state.pending"}
	if len(kinds) != len(want) || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] {
		t.Fatalf("timeline %v, want %v", kinds, want)
	}
	if ex := events[1].ExchangeList(); len(ex) != 1 || ex[0].Status != 200 || events[2].Actor != "user:1" {
		t.Fatalf("event details: %+v %+v", events[1], events[2])
	}
	if other, _ := models.OrderEvents(ctx, db.Gorm, c.MerchantID+999, order.ID); len(other) != 0 {
		t.Fatal("another merchant reads the timeline")
	}
}
