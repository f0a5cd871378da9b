package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestSignUpCreatesMerchantWithAdmin(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	merchant, user, err := models.SignUp(ctx, db.Gorm, "Acme Outdoor", "Ada", "Ada@Example.com ", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if user.Role != models.RoleAdmin || user.MerchantID == nil || *user.MerchantID != merchant.ID {
		t.Fatalf("first user = %+v, want admin of merchant %d", user, merchant.ID)
	}
	if user.Email != "ada@example.com" {
		t.Fatalf("email stored as %q, want it normalised", user.Email)
	}
	if _, _, err := models.SignUp(ctx, db.Gorm, "Other", "", "ADA@example.com", "another long password"); !errors.Is(err, models.ErrEmailTaken) {
		t.Fatalf("second sign-up with the same email: err = %v, want ErrEmailTaken", err)
	}
	if _, err := models.FindMerchantByName(ctx, db.Gorm, "Other"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a failed sign-up left its merchant behind: %v", err)
	}
}

func TestCreateUserRejectsBadInput(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	merchant, _, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   models.NewUser
	}{
		{"bad email", models.NewUser{MerchantID: &merchant.ID, Email: "not-an-email", Password: "long enough password", Role: models.RoleStaff}},
		{"short password", models.NewUser{MerchantID: &merchant.ID, Email: "s@acme.test", Password: "short", Role: models.RoleStaff}},
		{"unknown role", models.NewUser{MerchantID: &merchant.ID, Email: "s@acme.test", Password: "long enough password", Role: "owner"}},
		{"staff without merchant", models.NewUser{Email: "s@acme.test", Password: "long enough password", Role: models.RoleStaff}},
		{"support with merchant", models.NewUser{MerchantID: &merchant.ID, Email: "s@acme.test", Password: "long enough password", Role: models.RoleSupport}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := models.CreateUser(ctx, db.Gorm, tc.in); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if n, _ := models.CountUsers(ctx, db.Gorm); n != 1 {
		t.Fatalf("%d users after rejected input, want 1", n)
	}
}

func TestAuthenticate(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	if _, _, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", "long enough password"); err != nil {
		t.Fatal(err)
	}
	user, err := models.Authenticate(ctx, db.Gorm, " ADMIN@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if user.LastLoginAt == nil {
		t.Fatal("last login time not recorded")
	}
	if _, err := models.Authenticate(ctx, db.Gorm, "admin@acme.test", "wrong password!"); !errors.Is(err, models.ErrInvalidLogin) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := models.Authenticate(ctx, db.Gorm, "nobody@acme.test", "long enough password"); !errors.Is(err, models.ErrInvalidLogin) {
		t.Fatalf("unknown email: %v", err)
	}
}

func TestMerchantUserIsScoped(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	a, adminA, _ := models.SignUp(ctx, db.Gorm, "A", "", "a@a.test", "long enough password")
	b, adminB, _ := models.SignUp(ctx, db.Gorm, "B", "", "b@b.test", "long enough password")
	if u, err := models.MerchantUser(ctx, db.Gorm, a.ID, adminA.ID); err != nil || u.ID != adminA.ID {
		t.Fatalf("own user: %v %v", u, err)
	}
	if _, err := models.MerchantUser(ctx, db.Gorm, a.ID, adminB.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("merchant A reading merchant B's user: err = %v, want ErrNotFound", err)
	}
	users, err := models.MerchantUsers(ctx, db.Gorm, b.ID)
	if err != nil || len(users) != 1 || users[0].ID != adminB.ID {
		t.Fatalf("merchant B's users = %v, %v", users, err)
	}
}
