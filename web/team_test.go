package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/models"
)

func TestAnotherMerchantsUserIsNotFound(t *testing.T) {
	app := newTestApp(t)
	merchantA, adminA := app.signUp("A", "admin@a.test")
	app.addUser(merchantA.ID, "staff@a.test", models.RoleStaff)
	_, adminB := app.signUp("B", "admin@b.test")

	c := app.client()
	expectRedirect(t, c.login("staff@a.test", testPassword), "/dashboard")
	expectStatus(t, c.get(fmt.Sprintf("/team/%d", adminA.ID)), http.StatusOK)
	p := c.get(fmt.Sprintf("/team/%d", adminB.ID))
	expectStatus(t, p, http.StatusNotFound)
	if strings.Contains(p.body, "admin@b.test") {
		t.Fatal("the 404 page leaks the other merchant's user")
	}
	// Same answer as an id that does not exist at all, so ids cannot be probed.
	expectStatus(t, c.get("/team/999999"), http.StatusNotFound)
	if p := c.get("/team"); strings.Contains(p.body, "admin@b.test") {
		t.Fatal("the team list shows another merchant's user")
	}
}

func TestOnlyAdminsInvitePeople(t *testing.T) {
	app := newTestApp(t)
	merchant, _ := app.signUp("Acme", "admin@acme.test")
	app.addUser(merchant.ID, "staff@acme.test", models.RoleStaff)

	staff := app.client()
	staff.login("staff@acme.test", testPassword)
	expectStatus(t, staff.get("/team/new"), http.StatusForbidden)
	staff.get("/team")
	expectStatus(t, staff.post("/team", url.Values{"email": {"new@acme.test"}, "role": {"admin"}}), http.StatusForbidden)

	admin := app.client()
	admin.login("admin@acme.test", testPassword)
	admin.get("/team/new")
	p := admin.post("/team", url.Values{"email": {"staff@acme.test"}, "role": {"staff"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.text("#e-email"); !strings.Contains(got, "already") {
		t.Fatalf("duplicate email message %q", got)
	}
	expectStatus(t, admin.post("/team", url.Values{"name": {"Nina"}, "email": {"new@acme.test"}, "role": {"staff"}}), http.StatusCreated)
	p = admin.get("/team")
	if pending := p.text(`[data-testid="invitations"]`); !strings.Contains(pending, "new@acme.test") || !strings.Contains(pending, "Nina") {
		t.Fatalf("pending invitations %q", pending)
	}
	if staffPage := staff.get("/team"); strings.Contains(staffPage.body, "new@acme.test") {
		t.Fatal("staff see pending invitations")
	}
	users, _ := models.MerchantUsers(context.Background(), app.db.Gorm, merchant.ID)
	if len(users) != 2 {
		t.Fatalf("%d users, want 2 until the invitation is accepted", len(users))
	}
}

// A support agent starts outside every merchant's account: merchant pages send them to the
// support page, where they enter an account (audited) first.
func TestSupportAgentSeesMerchantsButNoMerchantPages(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "admin@acme.test")
	app.signUp("Globex", "admin@globex.test")
	if _, err := models.CreateUser(context.Background(), app.db.Gorm, models.NewUser{Email: "agent@orderhub.test", Password: testPassword, Role: models.RoleSupport}); err != nil {
		t.Fatal(err)
	}
	c := app.client()
	c.login("agent@orderhub.test", testPassword)
	p := c.get("/dashboard")
	expectStatus(t, p, http.StatusOK)
	if table := p.text("table"); !strings.Contains(table, "Acme") || !strings.Contains(table, "Globex") {
		t.Fatalf("support dashboard lists %q", table)
	}
	expectRedirect(t, c.get("/team"), "/support")
}
