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

// blockedOnPhone saves an order of c whose buyer left no phone number, blocked for it.
func blockedOnPhone(t *testing.T, db *models.DB, c *models.Connection, id string) *models.Order {
	t.Helper()
	in := marketplaceOrder(id, models.StatusWaitingShipment, day0.Add(2*time.Hour))
	in.Shipping.Phone = ""
	o, _ := importOrder(t, db, c, in)
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		return o.Transition(context.Background(), tx, models.Transition{Field: models.FieldStoreState, To: models.StoreBlocked,
			Reason: models.BlockedMissingField, Cause: "phone", Message: "The buyer's phone number is missing.", Actor: models.ActorOrderhub}, day0.Add(3*time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func editAddress(db *models.DB, merchantID, orderID int64, edit models.AddressEdit) (*models.Order, error) {
	var out *models.Order
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		out, err = models.EditOrderAddress(context.Background(), tx, merchantID, orderID, edit, "user:7", day0.Add(4*time.Hour))
		return err
	})
	return out, err
}

func TestAddressEditFixesAMissingPhoneAndIsInTheTimeline(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	o := blockedOnPhone(t, db, c, "M-1-A")

	edit := models.NewAddressEdit(o)
	edit.Shipping.Phone = "06 12 34 56 78"
	edit.Shipping.PostalCode = " 69003 "
	edited, err := editAddress(db, c.MerchantID, o.ID, edit)
	if err != nil {
		t.Fatal(err)
	}
	if edited.Shipping.Phone != "+33612345678" || edited.Shipping.PostalCode != "69003" {
		t.Fatalf("returned %+v", edited.Shipping)
	}
	stored, err := models.MerchantOrder(context.Background(), db.Gorm, c.MerchantID, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Shipping != edited.Shipping || stored.Billing.Email != "jeanne@example.test" || stored.StoreState != models.StoreBlocked {
		t.Fatalf("stored %+v, billing %+v, store %s", stored.Shipping, stored.Billing, stored.StoreState)
	}
	if !stored.UpdatedAt.Equal(day0.Add(4 * time.Hour)) {
		t.Errorf("updated at %s", stored.UpdatedAt)
	}

	events, err := models.OrderEvents(context.Background(), db.Gorm, c.MerchantID, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	want := `The buyer's address was edited: phone: "" → "+33612345678".`
	if last.Kind != models.EventAddressEdited || last.Actor != "user:7" || last.Message != want {
		t.Fatalf("last event %+v", last)
	}

	// The same edit again changes nothing and tells nothing.
	if _, err := editAddress(db, c.MerchantID, o.ID, edit); err != nil {
		t.Fatal(err)
	}
	again, _ := models.OrderEvents(context.Background(), db.Gorm, c.MerchantID, o.ID)
	if len(again) != len(events) {
		t.Fatalf("%d events after an edit that changed nothing, %d before", len(again), len(events))
	}
}

func TestAddressEditListsEveryChangedField(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	o := blockedOnPhone(t, db, c, "M-2-A")

	edit := models.NewAddressEdit(o)
	edit.Shipping = models.Address{FirstName: "Jeanne", LastName: "Martin", Street1: "Damrak 1", PostalCode: "1012lg",
		City: "Amsterdam", Country: "nl", Phone: "06 12345678"}
	email := " jeanne.martin@example.test "
	edit.BillingEmail = &email
	if _, err := editAddress(db, c.MerchantID, o.ID, edit); err != nil {
		t.Fatal(err)
	}
	events, _ := models.OrderEvents(context.Background(), db.Gorm, c.MerchantID, o.ID)
	want := `The buyer's address was edited: street: "12 rue des Lilas" → "Damrak 1"; postcode: "69003" → "1012 LG"; ` +
		`city: "Lyon" → "Amsterdam"; country: "FR" → "NL"; phone: "" → "+31612345678"; ` +
		`email: "jeanne@example.test" → "jeanne.martin@example.test".`
	if got := events[len(events)-1].Message; got != want {
		t.Fatalf("message\n%s\nwant\n%s", got, want)
	}
	stored, _ := models.MerchantOrder(context.Background(), db.Gorm, c.MerchantID, o.ID)
	if stored.Billing.Email != "jeanne.martin@example.test" || stored.Billing.City != "Lyon" || stored.Shipping.City != "Amsterdam" {
		t.Fatalf("billing %+v, shipping %+v", stored.Billing, stored.Shipping)
	}
}

func TestRefusedAddressEditChangesNothing(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	o := blockedOnPhone(t, db, c, "M-3-A")
	before, _ := models.OrderEvents(context.Background(), db.Gorm, c.MerchantID, o.ID)

	edit := models.NewAddressEdit(o)
	edit.Shipping.Phone = "12"
	edit.Shipping.PostalCode = "6900"
	edit.Shipping.City = "Villeurbanne" // valid, but the edit as a whole is refused
	bad := "jeanne@"
	edit.BillingEmail = &bad
	_, err := editAddress(db, c.MerchantID, o.ID, edit)
	var errs models.AddressErrors
	if !errors.As(err, &errs) {
		t.Fatalf("%T %v", err, err)
	}
	for _, field := range []string{models.AddressFieldPhone, models.AddressFieldPostcode, models.AddressFieldEmail} {
		if errs[field] == nil {
			t.Errorf("no error on %s: %v", field, errs)
		}
	}
	if len(errs) != 3 {
		t.Errorf("errors %v", errs)
	}

	stored, _ := models.MerchantOrder(context.Background(), db.Gorm, c.MerchantID, o.ID)
	if stored.Shipping != o.Shipping || stored.Billing != o.Billing || !stored.UpdatedAt.Equal(o.UpdatedAt) {
		t.Fatalf("stored %+v", stored)
	}
	after, _ := models.OrderEvents(context.Background(), db.Gorm, c.MerchantID, o.ID)
	if len(after) != len(before) {
		t.Fatalf("%d events, %d before", len(after), len(before))
	}
}

func TestMerchantCannotEditAnotherMerchantsOrderAddress(t *testing.T) {
	db := testdb.Open(t)
	a := activeConnection(t, db, "a")
	b := activeConnection(t, db, "b")
	o := blockedOnPhone(t, db, a, "M-4-A")

	edit := models.NewAddressEdit(o)
	edit.Shipping.Phone = "06 12 34 56 78"
	if _, err := editAddress(db, b.MerchantID, o.ID, edit); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("merchant b: %v", err)
	}
	// A refused edit of another merchant's order does not reveal the order either.
	edit.Shipping.Phone = "12"
	if _, err := editAddress(db, b.MerchantID, o.ID, edit); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("merchant b, refused edit: %v", err)
	}
	stored, _ := models.MerchantOrder(context.Background(), db.Gorm, a.MerchantID, o.ID)
	if stored.Shipping.Phone != "" {
		t.Fatalf("phone %q", stored.Shipping.Phone)
	}
	events, _ := models.OrderEvents(context.Background(), db.Gorm, a.MerchantID, o.ID)
	if last := events[len(events)-1]; last.Kind == models.EventAddressEdited {
		t.Fatalf("event %+v", last)
	}
}

func TestAddressOfAnOrderInTheStoreCannotBeEdited(t *testing.T) {
	db := testdb.Open(t)
	c := activeConnection(t, db, "acme")
	o := blockedOnPhone(t, db, c, "M-5-A")
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		return o.Transition(context.Background(), tx, models.Transition{Field: models.FieldStoreState, To: models.StoreImported,
			Actor: models.ActorStore, Message: "Created in the store.", Set: map[string]any{"store_order_id": "1001"}}, day0.Add(3*time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	edit := models.NewAddressEdit(o)
	edit.Shipping.Phone = "06 12 34 56 78"
	if _, err := editAddress(db, c.MerchantID, o.ID, edit); !errors.Is(err, models.ErrAddressNotEditable) {
		t.Fatalf("%v", err)
	}
}
