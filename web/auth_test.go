package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

func TestFirstVisitLeadsToAccountCreation(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	expectRedirect(t, c.get("/"), "/signup")
	p := c.get("/signup")
	expectStatus(t, p, http.StatusOK)
	if got := p.text("h1"); got != "Create your account" {
		t.Fatalf("heading %q", got)
	}
}

func TestSignUpLogsInAndDashboardShowsMerchant(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/signup")
	p := c.post("/signup", url.Values{"merchant": {"Acme Outdoor"}, "name": {"Ada"}, "email": {"ada@acme.test"}, "password": {testPassword}})
	expectRedirect(t, p, "/dashboard")

	p = c.get("/dashboard")
	expectStatus(t, p, http.StatusOK)
	if got := p.text(`[data-testid="merchant-name"]`); got != "Acme Outdoor" {
		t.Fatalf("navigation shows merchant %q, want Acme Outdoor", got)
	}
	if got := p.text("main h1"); got != "Acme Outdoor" {
		t.Fatalf("dashboard heading %q", got)
	}
	if !strings.Contains(p.text(".flash"), "Acme Outdoor is ready") {
		t.Fatalf("no welcome message: %q", p.text(".flash"))
	}
	user, err := models.Authenticate(context.Background(), app.db.Gorm, "ada@acme.test", testPassword)
	if err != nil || user.Role != models.RoleAdmin {
		t.Fatalf("stored user %+v, %v; want an admin", user, err)
	}
}

func TestSignUpShowsFieldErrorsAndCreatesNothing(t *testing.T) {
	app := newTestApp(t)
	c := app.client()
	c.get("/signup")
	p := c.post("/signup", url.Values{"merchant": {""}, "email": {"not-an-email"}, "password": {"short"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	for field, want := range map[string]string{
		"merchant": "required", "email": "email address", "password": "at least 10",
	} {
		if got := p.text("#e-" + field); !strings.Contains(got, want) {
			t.Errorf("error next to %s = %q, want it to mention %q", field, got, want)
		}
	}
	if v, _ := p.doc.Find("#f-email").Attr("value"); v != "not-an-email" {
		t.Errorf("the email typed was lost: %q", v)
	}
	if n, _ := models.CountUsers(context.Background(), app.db.Gorm); n != 0 {
		t.Fatalf("%d users after a rejected sign-up", n)
	}
}

func TestSignUpIsClosedAfterTheFirstAccountUnlessOpen(t *testing.T) {
	app := newTestApp(t)
	app.signUp("First", "first@first.test")
	c := app.client()
	expectRedirect(t, c.get("/signup"), "/login")
	c.get("/login")
	p := c.post("/signup", url.Values{"merchant": {"Intruder"}, "email": {"x@x.test"}, "password": {testPassword}})
	expectStatus(t, p, http.StatusForbidden)
	if _, err := models.FindMerchantByName(context.Background(), app.db.Gorm, "Intruder"); err == nil {
		t.Fatal("a merchant was created through closed sign-up")
	}

	open := newTestApp(t, func(cfg *models.Config) { cfg.Signup = "open" })
	open.signUp("First", "first@first.test")
	c = open.client()
	c.get("/signup")
	expectRedirect(t, c.post("/signup", url.Values{"merchant": {"Second"}, "email": {"second@second.test"}, "password": {testPassword}}), "/dashboard")
}

func TestLoginAndLogout(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	expectRedirect(t, c.get("/dashboard"), "/login?next=%2Fdashboard")

	expectRedirect(t, c.login("ADA@acme.test", testPassword), "/dashboard")
	expectStatus(t, c.get("/dashboard"), http.StatusOK)

	expectRedirect(t, c.post("/logout", nil), "/login")
	expectRedirect(t, c.get("/dashboard"), "/login?next=%2Fdashboard")
}

func TestLoginReturnsToTheRequestedPageOnThisSiteOnly(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	c.get("/login?next=%2Fteam")
	expectRedirect(t, c.post("/login", url.Values{"email": {"ada@acme.test"}, "password": {testPassword}, "next": {"/team"}}), "/team")

	c = app.client()
	c.get("/login")
	expectRedirect(t, c.post("/login", url.Values{"email": {"ada@acme.test"}, "password": {testPassword}, "next": {"//evil.example/"}}), "/dashboard")
}

func TestWrongPasswordIsRefused(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	p := c.login("ada@acme.test", "not the password")
	expectStatus(t, p, http.StatusUnauthorized)
	if got := p.text("#e-password"); !strings.Contains(got, "Email or password is wrong") {
		t.Fatalf("message %q", got)
	}
	if v, _ := p.doc.Find("#f-email").Attr("value"); v != "ada@acme.test" {
		t.Fatalf("the email typed was lost: %q", v)
	}
	expectRedirect(t, c.get("/dashboard"), "/login?next=%2Fdashboard")
}

func TestRepeatedFailuresThrottleTheAccount(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	app.signUp("Other", "bob@other.test")
	c := app.client()
	for i := 0; i < models.MaxLoginFailuresAccount; i++ {
		expectStatus(t, c.login("ada@acme.test", "guess number "+string(rune('a'+i))), http.StatusUnauthorized)
	}
	p := c.login("ada@acme.test", testPassword)
	expectStatus(t, p, http.StatusTooManyRequests)
	if p.header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
	if got := p.text("#e-password"); !strings.Contains(got, "Too many failed attempts") {
		t.Fatalf("message %q", got)
	}
	expectRedirect(t, c.get("/dashboard"), "/login?next=%2Fdashboard")

	// Another account from the same address is still under the address limit.
	expectRedirect(t, app.client().login("bob@other.test", testPassword), "/dashboard")
}

func TestPostWithoutCSRFTokenIsRejectedAndChangesNothing(t *testing.T) {
	app := newTestApp(t)
	merchant, _ := app.signUp("Acme", "ada@acme.test")
	c := app.client()
	c.login("ada@acme.test", testPassword)

	newUser := url.Values{"email": {"eve@acme.test"}, "role": {"staff"}}
	expectStatus(t, c.postRaw("/team", newUser), http.StatusForbidden)
	forged := url.Values{"_csrf": {"forged-token"}, "email": {"eve@acme.test"}, "role": {"staff"}}
	p := c.postRaw("/team", forged)
	expectStatus(t, p, http.StatusForbidden)
	if !strings.Contains(p.text("main"), "Reload the page") {
		t.Errorf("the refusal does not say what to do: %q", p.text("main"))
	}
	users, _ := models.MerchantUsers(context.Background(), app.db.Gorm, merchant.ID)
	invitations, _ := models.PendingInvitations(context.Background(), app.db.Gorm, merchant.ID, time.Now())
	if len(users) != 1 || len(invitations) != 0 {
		t.Fatalf("%d users and %d invitations after forged posts, want 1 and 0", len(users), len(invitations))
	}
	expectStatus(t, c.postRaw("/logout", nil), http.StatusForbidden)
	expectStatus(t, c.get("/dashboard"), http.StatusOK)

	// The same post with the page's token goes through, and so does the htmx header.
	c.get("/team/new")
	expectStatus(t, c.post("/team", newUser), http.StatusCreated)
	req, _ := http.NewRequest(http.MethodPost, app.base+"/logout", nil)
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("HX-Request", "true")
	p = c.do(req)
	if p.status != http.StatusNoContent || p.header.Get("HX-Redirect") != "/login" {
		t.Fatalf("htmx logout: %d, HX-Redirect %q", p.status, p.header.Get("HX-Redirect"))
	}
}

func TestSessionIsRenewedAtLogin(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	c.get("/login")
	before := c.sessionCookie()
	if before == "" {
		t.Fatal("the login page set no session cookie")
	}
	c.post("/login", url.Values{"email": {"ada@acme.test"}, "password": {testPassword}})
	after := c.sessionCookie()
	if after == "" || after == before {
		t.Fatalf("session cookie not renewed at login")
	}

	// An attacker holding the pre-login cookie is not logged in.
	attacker := app.client()
	u, _ := url.Parse(app.base)
	attacker.http.Jar.SetCookies(u, []*http.Cookie{{Name: "orderhub_session", Value: before}})
	expectRedirect(t, attacker.get("/dashboard"), "/login?next=%2Fdashboard")
	expectStatus(t, c.get("/dashboard"), http.StatusOK)
}

func TestSessionCookieFlags(t *testing.T) {
	app := newTestApp(t, func(cfg *models.Config) { cfg.BaseURL = "https://orderhub.example" })
	c := app.client()
	req, _ := http.NewRequest(http.MethodGet, app.base+"/login", nil)
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookie := res.Header.Get("Set-Cookie")
	for _, flag := range []string{"HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(cookie, flag) {
			t.Errorf("session cookie %q lacks %s", cookie, flag)
		}
	}
}

func TestThrottlingCountsTheClientBehindATrustedProxy(t *testing.T) {
	for _, trusted := range []bool{true, false} {
		t.Run(fmt.Sprintf("trusted=%v", trusted), func(t *testing.T) {
			app := newTestApp(t, func(cfg *models.Config) {
				if trusted {
					cfg.TrustedProxies = []string{"127.0.0.1"}
				}
			})
			app.signUp("Acme", "ada@acme.test")
			for i := 0; i < models.MaxLoginFailuresIP; i++ {
				if err := models.RecordLoginFailure(context.Background(), app.db.Gorm, fmt.Sprintf("u%d@x.test", i), "203.0.113.7", time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			c := app.client()
			c.get("/login")
			form := url.Values{"_csrf": {c.csrf}, "email": {"ada@acme.test"}, "password": {testPassword}}
			req, _ := http.NewRequest(http.MethodPost, app.base+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "203.0.113.7")
			p := c.do(req)
			if trusted {
				expectStatus(t, p, http.StatusTooManyRequests)
			} else {
				// An untrusted X-Forwarded-For is ignored: the client is 127.0.0.1.
				expectRedirect(t, p, "/dashboard")
			}
		})
	}
}
