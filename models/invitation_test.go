package models_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestInvitationIsUsedOnceEvenWhenAcceptedTwiceAtOnce(t *testing.T) {
	db := testdb.Open(t)
	ctx, now := context.Background(), time.Now()
	merchant, admin, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := models.CreateInvitation(ctx, db.Gorm, merchant.ID, models.NewInvitation{Email: "nina@acme.test", Role: models.RoleStaff, InvitedByID: admin.ID}, now)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = models.AcceptInvitation(ctx, db.Gorm, token, "Nina", "long enough password", now)
		}()
	}
	wg.Wait()
	accepted := 0
	for _, err := range errs {
		switch {
		case err == nil:
			accepted++
		case errors.Is(err, models.ErrInvitationUsed), errors.Is(err, models.ErrEmailTaken):
		default:
			// SQLite may refuse a concurrent writer outright; that is a refusal too.
			t.Logf("concurrent accept refused: %v", err)
		}
	}
	users, _ := models.MerchantUsers(ctx, db.Gorm, merchant.ID)
	if accepted != 1 || len(users) != 2 {
		t.Fatalf("%d accepted, %d users; want one of each more", accepted, len(users))
	}
	if _, err := models.InvitationByToken(ctx, db.Gorm, token, now); !errors.Is(err, models.ErrInvitationUsed) {
		t.Fatalf("after use: %v, want ErrInvitationUsed", err)
	}
}

func TestInvitationsAreScopedToTheirMerchant(t *testing.T) {
	db := testdb.Open(t)
	ctx, now := context.Background(), time.Now()
	a, adminA, _ := models.SignUp(ctx, db.Gorm, "A", "", "admin@a.test", "long enough password")
	b, _, _ := models.SignUp(ctx, db.Gorm, "B", "", "admin@b.test", "long enough password")
	inv, _, err := models.CreateInvitation(ctx, db.Gorm, a.ID, models.NewInvitation{Email: "new@a.test", Role: models.RoleStaff, InvitedByID: adminA.ID}, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.RevokeInvitation(ctx, db.Gorm, b.ID, inv.ID, now); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("B revoking A's invitation: %v, want ErrNotFound", err)
	}
	if _, _, err := models.RenewInvitation(ctx, db.Gorm, b.ID, inv.ID, now); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("B renewing A's invitation: %v, want ErrNotFound", err)
	}
	if pending, _ := models.PendingInvitations(ctx, db.Gorm, b.ID, now); len(pending) != 0 {
		t.Fatalf("B sees %d invitations", len(pending))
	}
	if pending, _ := models.PendingInvitations(ctx, db.Gorm, a.ID, now); len(pending) != 1 {
		t.Fatalf("A sees %d invitations, want 1", len(pending))
	}
	if pending, _ := models.PendingInvitations(ctx, db.Gorm, a.ID, now.Add(models.InvitationTTL)); len(pending) != 0 {
		t.Fatalf("%d invitations still pending after 7 days", len(pending))
	}
	if _, _, err := models.CreateInvitation(ctx, db.Gorm, a.ID, models.NewInvitation{Email: "support@orderhub.test", Role: models.RoleSupport, InvitedByID: adminA.ID}, now); err == nil {
		t.Fatal("an invitation made a support agent")
	}
}

func TestPasswordResetIsOnceAndEndsSessions(t *testing.T) {
	db := testdb.Open(t)
	ctx, now := context.Background(), time.Now()
	_, user, _ := models.SignUp(ctx, db.Gorm, "Acme", "", "ada@acme.test", "long enough password")
	for _, id := range []string{"s1", "s2"} {
		if err := models.SaveSession(ctx, db.Gorm, &models.Session{ID: id, UserID: &user.ID, Data: []byte{}, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if u, _, err := models.RequestPasswordReset(ctx, db.Gorm, "nobody@acme.test", now); u != nil || err != nil {
		t.Fatalf("reset for an unknown address: %v, %v", u, err)
	}
	_, first, _ := models.RequestPasswordReset(ctx, db.Gorm, "ADA@acme.test", now)
	_, second, _ := models.RequestPasswordReset(ctx, db.Gorm, "ada@acme.test", now)
	if _, err := models.ResetPassword(ctx, db.Gorm, second, "short", now); err == nil {
		t.Fatal("a short password was accepted")
	}
	if _, err := models.ResetPassword(ctx, db.Gorm, second, "a brand new passphrase", now.Add(models.PasswordResetTTL)); !errors.Is(err, models.ErrPasswordResetExpired) {
		t.Fatalf("after an hour: %v, want ErrPasswordResetExpired", err)
	}
	if _, err := models.ResetPassword(ctx, db.Gorm, second, "a brand new passphrase", now); err != nil {
		t.Fatal(err)
	}
	if sessions, _ := models.UserSessions(ctx, db.Gorm, user.ID, now); len(sessions) != 0 {
		t.Fatalf("%d sessions left after the reset", len(sessions))
	}
	for _, token := range []string{first, second} {
		if _, err := models.ResetPassword(ctx, db.Gorm, token, "yet another passphrase", now); !errors.Is(err, models.ErrPasswordResetUsed) {
			t.Fatalf("reusing a link: %v, want ErrPasswordResetUsed", err)
		}
	}
	if _, err := models.Authenticate(ctx, db.Gorm, "ada@acme.test", "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
}

// Housekeeping deletes unused invitations 30 days after they expired, and keeps used ones.
func TestPurgeInvitationsKeepsUsedAndRecentOnes(t *testing.T) {
	db := testdb.Open(t)
	ctx, now := context.Background(), time.Now()
	merchant, admin, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	invite := func(email string, at time.Time) string {
		_, token, err := models.CreateInvitation(ctx, db.Gorm, merchant.ID, models.NewInvitation{Email: email, Role: models.RoleStaff, InvitedByID: admin.ID}, at)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	long := now.AddDate(0, 0, -60)
	invite("dead@acme.test", long)
	used := invite("used@acme.test", long)
	if _, err := models.AcceptInvitation(ctx, db.Gorm, used, "Used", "long enough password", long.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	invite("recent@acme.test", now.AddDate(0, 0, -10)) // expired 3 days ago: its link still explains itself
	deleted, err := models.PurgeInvitations(ctx, db.Gorm, now)
	if err != nil || deleted != 1 {
		t.Fatalf("deleted %d (%v), want only the invitation expired long ago", deleted, err)
	}
	var left []string
	db.Gorm.Model(&models.Invitation{}).Order("email").Pluck("email", &left)
	if strings.Join(left, ",") != "recent@acme.test,used@acme.test" {
		t.Fatalf("invitations left: %v", left)
	}
}
