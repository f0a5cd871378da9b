package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// teamFixture is two merchants, each with a connection, an order, an admin and a member of
// staff, and a support agent who belongs to no merchant.
type teamFixture struct {
	db                 *models.DB
	acme, other        *models.Connection
	acmeOrder          *models.Order
	otherOrder         *models.Order
	acmeAdmin, acmeBob *models.User
	otherAdmin         *models.User
	support            *models.User
}

func newTeamFixture(t *testing.T) *teamFixture {
	t.Helper()
	ctx := context.Background()
	db := testdb.Open(t)
	f := &teamFixture{db: db, acme: activeConnection(t, db, "Acme"), other: activeConnection(t, db, "Other")}
	f.acmeOrder = blockedOrder(t, db, f.acme, "ACME-1-A", models.SideStore, models.BlockedOutOfStock, "TENT-2P", day0)
	f.otherOrder = blockedOrder(t, db, f.other, "OTHER-1-A", models.SideStore, models.BlockedOutOfStock, "TENT-2P", day0)
	f.acmeAdmin = merchantAdmin(t, db, f.acme.MerchantID)
	f.otherAdmin = merchantAdmin(t, db, f.other.MerchantID)
	var err error
	f.acmeBob, err = models.CreateUser(ctx, db.Gorm, models.NewUser{MerchantID: &f.acme.MerchantID, Name: "Bob", Email: "bob@acme.test",
		Password: "long enough password", Role: models.RoleStaff})
	if err != nil {
		t.Fatal(err)
	}
	f.support, err = models.CreateUser(ctx, db.Gorm, models.NewUser{Name: "Sam Support", Email: "sam@orderhub.test",
		Password: "long enough password", Role: models.RoleSupport})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func merchantAdmin(t *testing.T, db *models.DB, merchantID int64) *models.User {
	t.Helper()
	users, err := models.MerchantUsers(context.Background(), db.Gorm, merchantID)
	if err != nil || len(users) == 0 {
		t.Fatalf("the merchant's users: %v, %v", users, err)
	}
	return &users[0]
}

// userErrorID is the locale id of a UserError, or "" for any other error.
func userErrorID(err error) string {
	var ue *models.UserError
	if errors.As(err, &ue) {
		return ue.ID
	}
	return ""
}

func TestOrderNoteIsTrimmedAndKeptToItsLength(t *testing.T) {
	f := newTeamFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, body, wantErr, wantBody string
	}{
		{"empty", "", "order.note.empty", ""},
		{"blank", " \n\t ", "order.note.empty", ""},
		{"one character too long", strings.Repeat("é", models.MaxNoteLength+1), "order.note.too_long", ""},
		{"as long as allowed, in characters", strings.Repeat("é", models.MaxNoteLength), "", strings.Repeat("é", models.MaxNoteLength)},
		{"trimmed", "  Buyer called: leave at the door.\n", "", "Buyer called: leave at the door."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			note, err := models.AddOrderNote(ctx, f.db.Gorm, f.acme.MerchantID, f.acmeOrder.ID, f.acmeAdmin.ID, tc.body, models.UserActor(f.acmeAdmin.ID), day0)
			if got := userErrorID(err); got != tc.wantErr || (tc.wantErr == "" && err != nil) {
				t.Fatalf("error %v (id %q), want id %q", err, got, tc.wantErr)
			}
			if tc.wantErr == "" && note.Body != tc.wantBody {
				t.Fatalf("body %q, want %q", note.Body, tc.wantBody)
			}
		})
	}
	notes, err := models.OrderNotes(ctx, f.db.Gorm, f.acme.MerchantID, f.acmeOrder.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 {
		t.Fatalf("%d notes kept, want the 2 valid ones", len(notes))
	}
}

func TestOrderNotesAreListedNewestFirstWithAuthorsAndInTheTimeline(t *testing.T) {
	f := newTeamFixture(t)
	ctx := context.Background()
	for i, n := range []struct {
		author *models.User
		body   string
	}{{f.acmeAdmin, "Buyer asked for gift wrapping."}, {f.acmeBob, "Wrapped; waiting for the stock."}, {f.support, "Stock sync checked: fine."}} {
		if _, err := models.AddOrderNote(ctx, f.db.Gorm, f.acme.MerchantID, f.acmeOrder.ID, n.author.ID, n.body, models.UserActor(n.author.ID), day0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	notes, err := models.OrderNotes(ctx, f.db.Gorm, f.acme.MerchantID, f.acmeOrder.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range notes {
		got = append(got, n.AuthorName()+": "+n.Body+" @"+n.CreatedAt.UTC().Format("15:04"))
	}
	want := []string{"Sam Support: Stock sync checked: fine. @09:02", "Bob: Wrapped; waiting for the stock. @09:01",
		f.acmeAdmin.Email + ": Buyer asked for gift wrapping. @09:00"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	events, err := models.OrderEvents(ctx, f.db.Gorm, f.acme.MerchantID, f.acmeOrder.ID)
	if err != nil {
		t.Fatal(err)
	}
	var noted []string
	for _, e := range events {
		if e.Kind == "order.note" {
			noted = append(noted, e.Actor+" "+e.Message)
		}
	}
	wantEvents := []string{models.UserActor(f.acmeAdmin.ID) + " " + f.acmeAdmin.Email + " added a note.",
		models.UserActor(f.acmeBob.ID) + " Bob added a note.", models.UserActor(f.support.ID) + " Sam Support added a note."}
	if strings.Join(noted, "\n") != strings.Join(wantEvents, "\n") {
		t.Fatalf("timeline:\n%s\nwant:\n%s", strings.Join(noted, "\n"), strings.Join(wantEvents, "\n"))
	}
}

func TestAnotherMerchantCannotNoteAnOrderNorReadItsNotes(t *testing.T) {
	f := newTeamFixture(t)
	ctx := context.Background()
	if _, err := models.AddOrderNote(ctx, f.db.Gorm, f.acme.MerchantID, f.acmeOrder.ID, f.acmeAdmin.ID, "Call the buyer back.", models.UserActor(f.acmeAdmin.ID), day0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                string
		merchantID, orderID int64
		authorID            int64
	}{
		{"the other merchant's order, as the other merchant", f.other.MerchantID, f.acmeOrder.ID, f.otherAdmin.ID},
		{"the merchant's order, written by another merchant's user", f.acme.MerchantID, f.acmeOrder.ID, f.otherAdmin.ID},
		{"another merchant's order, under the merchant's name", f.acme.MerchantID, f.otherOrder.ID, f.acmeAdmin.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := models.AddOrderNote(ctx, f.db.Gorm, tc.merchantID, tc.orderID, tc.authorID, "Mine now.", "user:0", day0); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("error %v, want ErrNotFound", err)
			}
		})
	}
	theirs, err := models.OrderNotes(ctx, f.db.Gorm, f.other.MerchantID, f.acmeOrder.ID)
	if err != nil || len(theirs) != 0 {
		t.Fatalf("the other merchant reads %v (%v), want no note", theirs, err)
	}
	var stored int64
	f.db.Gorm.Model(&models.OrderNote{}).Count(&stored)
	if stored != 1 {
		t.Fatalf("%d notes stored, want only Acme's own", stored)
	}
}
