package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func importOrder(t *testing.T, db *models.DB, c *models.Connection, in *models.Order) (*models.Order, string) {
	t.Helper()
	var out *models.Order
	var result string
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		out, result, err = models.ImportOrder(context.Background(), tx, c, in, day0.Add(3*time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, result
}

func TestImportCreatesOnceAndIgnoresStaleReads(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	first, result := importOrder(t, db, c, marketplaceOrder("M-1-A", models.StatusWaitingShipment, day0.Add(2*time.Hour)))
	if result != models.ImportCreated || first.StoreState != models.StorePending || first.ShipmentState != models.ShipmentNone {
		t.Fatalf("%s: %+v", result, first)
	}
	// The overlapping window returns the same data again: nothing changes.
	again, result := importOrder(t, db, c, marketplaceOrder("M-1-A", models.StatusWaitingShipment, day0.Add(2*time.Hour)))
	if result != models.ImportUnchanged || again.ID != first.ID {
		t.Fatalf("second read: %s id %d", result, again.ID)
	}
	var n int64
	db.Gorm.Model(&models.Order{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d orders after two reads", n)
	}
	var lines int64
	db.Gorm.Model(&models.OrderLine{}).Where("order_id = ?", first.ID).Count(&lines)
	if lines != 1 {
		t.Fatalf("%d lines", lines)
	}
}

func TestImportIgnoresOrdersBeforeTheActivationDate(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	old := marketplaceOrder("OLD-1-A", models.StatusWaitingShipment, day0)
	old.PlacedAt = day0.Add(-time.Hour)
	if out, result := importOrder(t, db, c, old); result != models.ImportIgnored || out != nil {
		t.Fatalf("%s %+v", result, out)
	}
	// Moving the activation date back catches it.
	earlier := day0.Add(-24 * time.Hour)
	c.ActivationDate = &earlier
	if _, result := importOrder(t, db, c, old); result != models.ImportCreated {
		t.Fatalf("after moving the date back: %s", result)
	}
}

func TestImportKeepsAddressesUntilTheMarketplaceSendsThem(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	waiting := marketplaceOrder("M-2-A", models.StatusWaitingAcceptance, day0.Add(2*time.Hour))
	waiting.Shipping, waiting.Billing = models.Address{}, models.Address{}
	o, _ := importOrder(t, db, c, waiting)
	if o.Shipping.Street1 != "" {
		t.Fatal("addresses invented")
	}
	accepted := marketplaceOrder("M-2-A", models.StatusWaitingShipment, day0.Add(2*time.Hour+time.Minute))
	o, result := importOrder(t, db, c, accepted)
	if result != models.ImportUpdated || o.Status != models.StatusWaitingShipment || o.Shipping.City != "Lyon" || o.Billing.Email != "jeanne@example.test" {
		t.Fatalf("%s: %+v", result, o)
	}
	// A later read without addresses (null on the marketplace) erases nothing.
	later := marketplaceOrder("M-2-A", models.StatusWaitingShipment, day0.Add(3*time.Hour))
	later.Shipping, later.Billing = models.Address{}, models.Address{}
	o, _ = importOrder(t, db, c, later)
	if o.Shipping.City != "Lyon" {
		t.Fatalf("address erased: %+v", o.Shipping)
	}
	events, _ := models.OrderEvents(context.Background(), db.Gorm, c.MerchantID, o.ID)
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if len(kinds) != 3 || kinds[1] != "buyer.received" || kinds[2] != "status.waiting_shipment" {
		t.Fatalf("timeline %v", kinds)
	}
}

func TestImportRecordsAStatusThatCannotFollow(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	o, _ := importOrder(t, db, c, marketplaceOrder("M-3-A", models.StatusShipped, day0.Add(2*time.Hour)))
	back := marketplaceOrder("M-3-A", models.StatusWaitingShipment, day0.Add(3*time.Hour))
	o, _ = importOrder(t, db, c, back)
	if o.Status != models.StatusShipped {
		t.Fatalf("status went back to %s", o.Status)
	}
	events, _ := models.OrderEvents(context.Background(), db.Gorm, c.MerchantID, o.ID)
	if last := events[len(events)-1]; last.Kind != "status.unexpected" {
		t.Fatalf("last event %+v", last)
	}
}

func TestOrdersAreScopedByMerchant(t *testing.T) {
	db := testdb.Open(t)
	a := activeConnection(t, db, "a")
	b := activeConnection(t, db, "b")
	o, _ := importOrder(t, db, a, marketplaceOrder("M-4-A", models.StatusWaitingShipment, day0.Add(2*time.Hour)))
	// The same marketplace id on another merchant's connection is another order.
	ob, result := importOrder(t, db, b, marketplaceOrder("M-4-A", models.StatusWaitingShipment, day0.Add(2*time.Hour)))
	if result != models.ImportCreated || ob.ID == o.ID {
		t.Fatalf("%s %d", result, ob.ID)
	}
	if _, err := models.MerchantOrder(context.Background(), db.Gorm, b.MerchantID, o.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("merchant B reads A's order: %v", err)
	}
}

func TestPagesAreImportedInIDOrder(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	first, _ := importOrder(t, db, c, marketplaceOrder("M-1-A", models.StatusWaitingShipment, day0.Add(time.Hour)))
	second, _ := importOrder(t, db, c, marketplaceOrder("M-2-A", models.StatusWaitingShipment, day0.Add(time.Hour)))
	page := []models.Order{
		*marketplaceOrder("NEW-1-A", models.StatusWaitingShipment, day0.Add(2*time.Hour)),
		*marketplaceOrder("M-2-A", models.StatusShipped, day0.Add(2*time.Hour)),
		*marketplaceOrder("NEW-2-A", models.StatusWaitingShipment, day0.Add(2*time.Hour)),
		*marketplaceOrder("M-1-A", models.StatusShipped, day0.Add(2*time.Hour)),
	}
	sorted, err := models.InIDOrder(context.Background(), db.Gorm, c, page)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range sorted {
		got = append(got, o.MarketplaceOrderID)
	}
	want := []string{"M-1-A", "M-2-A", "NEW-1-A", "NEW-2-A"}
	if first.ID > second.ID {
		want[0], want[1] = want[1], want[0]
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("order %v, want %v", got, want)
	}
	// Another connection's orders with the same ids do not count.
	other := activeConnection(t, db, "other")
	sorted, err = models.InIDOrder(context.Background(), db.Gorm, other, page)
	if err != nil {
		t.Fatal(err)
	}
	if sorted[0].MarketplaceOrderID != "NEW-1-A" || sorted[3].MarketplaceOrderID != "M-1-A" {
		t.Fatalf("another connection's page was reordered: %v", sorted)
	}
}
