package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// assignee names who has an order or a group, and since when, or "nobody".
func assignee(t *testing.T, user *models.User, since time.Time, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if user == nil {
		return "nobody"
	}
	return user.DisplayName() + " since " + since.UTC().Format("15:04")
}

func orderAssignee(t *testing.T, f *teamFixture, o *models.Order) string {
	t.Helper()
	user, since, err := models.OrderAssignee(context.Background(), f.db.Gorm, o.MerchantID, o.ID)
	return assignee(t, user, since, err)
}

func TestOrderIsTakenLeftAndTakenOverWithTheTimelineTelling(t *testing.T) {
	f := newTeamFixture(t)
	ctx := context.Background()
	acmeID, orderID := f.acme.MerchantID, f.acmeOrder.ID
	if got := orderAssignee(t, f, f.acmeOrder); got != "nobody" {
		t.Fatalf("a new order is taken by %s", got)
	}
	if err := models.AssignOrder(ctx, f.db.Gorm, acmeID, orderID, f.acmeBob.ID, models.UserActor(f.acmeBob.ID), day0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The form sent twice changes nothing.
	if err := models.AssignOrder(ctx, f.db.Gorm, acmeID, orderID, f.acmeBob.ID, models.UserActor(f.acmeBob.ID), day0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := orderAssignee(t, f, f.acmeOrder); got != "Bob since 10:00" {
		t.Fatalf("taken by %s, want Bob since 10:00", got)
	}
	// Someone else cannot leave it for Bob; a support agent can take it over.
	if err := models.UnassignOrder(ctx, f.db.Gorm, acmeID, orderID, f.acmeAdmin.ID, models.UserActor(f.acmeAdmin.ID), day0); userErrorID(err) != "assignment.error.not_yours" {
		t.Fatalf("leaving Bob's order: %v, want the not-yours refusal", err)
	}
	if err := models.AssignOrder(ctx, f.db.Gorm, acmeID, orderID, f.support.ID, models.UserActor(f.support.ID), day0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := models.UnassignOrder(ctx, f.db.Gorm, acmeID, orderID, f.support.ID, models.UserActor(f.support.ID), day0.Add(4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := orderAssignee(t, f, f.acmeOrder); got != "nobody" {
		t.Fatalf("after leaving, taken by %s", got)
	}
	// Leaving an order nobody has changes nothing.
	if err := models.UnassignOrder(ctx, f.db.Gorm, acmeID, orderID, f.support.ID, models.UserActor(f.support.ID), day0); err != nil {
		t.Fatal(err)
	}

	events, err := models.OrderEvents(ctx, f.db.Gorm, acmeID, orderID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		if strings.HasPrefix(e.Kind, "order.") && strings.HasSuffix(e.Kind, "assigned") {
			got = append(got, e.Actor+" "+e.Message)
		}
	}
	want := []string{models.UserActor(f.acmeBob.ID) + " Taken by Bob.", models.UserActor(f.support.ID) + " Taken by Sam Support.",
		models.UserActor(f.support.ID) + " Sam Support is no longer on it."}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Taking an order is no change of the order: the queue's "blocked since" stays.
	reread, err := models.MerchantOrder(ctx, f.db.Gorm, acmeID, orderID)
	if err != nil {
		t.Fatal(err)
	}
	if !reread.UpdatedAt.Equal(day0) {
		t.Fatalf("updated_at %v, want %v", reread.UpdatedAt, day0)
	}
}

func TestAnotherMerchantCannotTakeAnOrder(t *testing.T) {
	f := newTeamFixture(t)
	ctx := context.Background()
	if err := models.AssignOrder(ctx, f.db.Gorm, f.acme.MerchantID, f.acmeOrder.ID, f.acmeBob.ID, models.UserActor(f.acmeBob.ID), day0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                        string
		merchantID, orderID, userID int64
	}{
		{"the other merchant's order, as the other merchant", f.other.MerchantID, f.acmeOrder.ID, f.otherAdmin.ID},
		{"the merchant's order, given to another merchant's user", f.acme.MerchantID, f.acmeOrder.ID, f.otherAdmin.ID},
		{"another merchant's order, under the merchant's name", f.acme.MerchantID, f.otherOrder.ID, f.acmeAdmin.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := models.AssignOrder(ctx, f.db.Gorm, tc.merchantID, tc.orderID, tc.userID, "user:0", day0); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("taking: %v, want ErrNotFound", err)
			}
			if err := models.UnassignOrder(ctx, f.db.Gorm, tc.merchantID, tc.orderID, tc.userID, "user:0", day0); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("leaving: %v, want ErrNotFound", err)
			}
		})
	}
	if _, _, err := models.OrderAssignee(ctx, f.db.Gorm, f.other.MerchantID, f.acmeOrder.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("the other merchant reads who has the order: %v, want ErrNotFound", err)
	}
	if got := orderAssignee(t, f, f.acmeOrder); got != "Bob since 09:00" {
		t.Fatalf("taken by %s, want Bob still", got)
	}
}

func TestGroupsAreTakenAndListedForTheQueueInOneGo(t *testing.T) {
	f := newTeamFixture(t)
	ctx := context.Background()
	acmeID := f.acme.MerchantID
	stock := models.GroupKey{ConnectionID: f.acme.ID, Side: models.SideStore, Reason: models.BlockedOutOfStock, Cause: "TENT-2P"}
	blockedOrder(t, f.db, f.acme, "ACME-2-A", models.SideShipment, models.BlockedMarketplaceRejected, "Tracking number invalid", day0)
	rejected := models.GroupKey{ConnectionID: f.acme.ID, Side: models.SideShipment, Reason: models.BlockedMarketplaceRejected, Cause: "Tracking number invalid"}
	blockedOrder(t, f.db, f.acme, "ACME-3-A", models.SideStore, models.BlockedCountryInactive, "BE", day0)
	untaken := models.GroupKey{ConnectionID: f.acme.ID, Side: models.SideStore, Reason: models.BlockedCountryInactive, Cause: "BE"}

	if err := models.AssignGroup(ctx, f.db.Gorm, acmeID, stock, f.acmeBob.ID, day0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := models.AssignGroup(ctx, f.db.Gorm, acmeID, rejected, f.acmeAdmin.ID, day0); err != nil {
		t.Fatal(err)
	}
	// Taking over a group replaces who had it.
	if err := models.AssignGroup(ctx, f.db.Gorm, acmeID, rejected, f.support.ID, day0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	user, since, err := models.GroupAssignee(ctx, f.db.Gorm, acmeID, rejected)
	if got := assignee(t, user, since, err); got != "Sam Support since 11:00" {
		t.Fatalf("rejected group taken by %s", got)
	}
	assignees, err := models.GroupAssignees(ctx, f.db.Gorm, acmeID, []models.GroupKey{stock, rejected, untaken})
	if err != nil {
		t.Fatal(err)
	}
	if len(assignees) != 2 || assignees[stock].DisplayName() != "Bob" || assignees[rejected].DisplayName() != "Sam Support" || assignees[untaken] != nil {
		t.Fatalf("assignees %v", assignees)
	}
	// Someone else cannot leave Bob's group; Bob can.
	if err := models.UnassignGroup(ctx, f.db.Gorm, acmeID, stock, f.acmeAdmin.ID); userErrorID(err) != "assignment.error.not_yours" {
		t.Fatalf("leaving Bob's group: %v, want the not-yours refusal", err)
	}
	if err := models.UnassignGroup(ctx, f.db.Gorm, acmeID, stock, f.acmeBob.ID); err != nil {
		t.Fatal(err)
	}
	user, since, err = models.GroupAssignee(ctx, f.db.Gorm, acmeID, stock)
	if got := assignee(t, user, since, err); got != "nobody" {
		t.Fatalf("after leaving, the group is taken by %s", got)
	}
	// A group no order is blocked by cannot be taken.
	gone := stock
	gone.Cause = "STOVE"
	if err := models.AssignGroup(ctx, f.db.Gorm, acmeID, gone, f.acmeBob.ID, day0); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("taking an empty group: %v, want ErrNotFound", err)
	}
}

func TestAnotherMerchantCannotTakeAGroupNorSeeWhoHasIt(t *testing.T) {
	f := newTeamFixture(t)
	ctx := context.Background()
	stock := models.GroupKey{ConnectionID: f.acme.ID, Side: models.SideStore, Reason: models.BlockedOutOfStock, Cause: "TENT-2P"}
	if err := models.AssignGroup(ctx, f.db.Gorm, f.acme.MerchantID, stock, f.acmeBob.ID, day0); err != nil {
		t.Fatal(err)
	}
	theirs := models.GroupKey{ConnectionID: f.other.ID, Side: models.SideStore, Reason: models.BlockedOutOfStock, Cause: "TENT-2P"}
	for _, tc := range []struct {
		name       string
		merchantID int64
		key        models.GroupKey
		userID     int64
	}{
		{"the other merchant's group, as the other merchant", f.other.MerchantID, stock, f.otherAdmin.ID},
		{"the merchant's group, given to another merchant's user", f.acme.MerchantID, stock, f.otherAdmin.ID},
		{"another merchant's group, under the merchant's name", f.acme.MerchantID, theirs, f.acmeAdmin.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := models.AssignGroup(ctx, f.db.Gorm, tc.merchantID, tc.key, tc.userID, day0); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("taking: %v, want ErrNotFound", err)
			}
		})
	}
	if err := models.UnassignGroup(ctx, f.db.Gorm, f.other.MerchantID, stock, f.otherAdmin.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("leaving the other merchant's group: %v, want ErrNotFound", err)
	}
	if assignees, err := models.GroupAssignees(ctx, f.db.Gorm, f.other.MerchantID, []models.GroupKey{stock, theirs}); err != nil || len(assignees) != 0 {
		t.Fatalf("the other merchant sees assignees %v (%v), want none", assignees, err)
	}
	user, _, err := models.GroupAssignee(ctx, f.db.Gorm, f.other.MerchantID, stock)
	if err != nil || user != nil {
		t.Fatalf("the other merchant sees %v (%v) on Acme's group", user, err)
	}
	user, _, err = models.GroupAssignee(ctx, f.db.Gorm, f.acme.MerchantID, stock)
	if err != nil || user == nil || user.ID != f.acmeBob.ID {
		t.Fatalf("Acme's group taken by %v (%v), want Bob still", user, err)
	}
}
