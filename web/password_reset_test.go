package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

func TestForgotPasswordIsOfferedOnlyWithSMTP(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	if p := c.get("/login"); p.doc.Find(`[data-testid="forgot-password"]`).Length() != 0 {
		t.Fatal("the login page offers a reset that cannot send its e-mail")
	}
	expectStatus(t, c.get("/password/forgot"), http.StatusNotFound)

	mailing, _ := newMailingTestApp(t)
	if href, _ := mailing.client().get("/login").doc.Find(`[data-testid="forgot-password"]`).Attr("href"); href != "/password/forgot" {
		t.Fatalf("forgot link %q", href)
	}
}

func TestPasswordResetSetsANewPasswordAndEndsEverySession(t *testing.T) {
	app, mailer := newMailingTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	elsewhere := app.client()
	expectRedirect(t, elsewhere.login("ada@acme.test", testPassword), "/dashboard")
	if err := models.RecordLoginFailure(context.Background(), app.db.Gorm, "ada@acme.test", "192.0.2.1", time.Now()); err != nil {
		t.Fatal(err)
	}

	c := app.client()
	c.get("/password/forgot")
	expectRedirect(t, c.post("/password/forgot", url.Values{"email": {"nobody@acme.test"}}), "/login")
	unknownAnswer := c.get("/login").text(".flash")
	c.get("/password/forgot")
	expectRedirect(t, c.post("/password/forgot", url.Values{"email": {"Ada@acme.test"}}), "/login")
	knownAnswer := c.get("/login").text(".flash")
	if strings.ReplaceAll(unknownAnswer, "nobody@acme.test", "X") != strings.ReplaceAll(knownAnswer, "ada@acme.test", "X") || !strings.Contains(knownAnswer, "If an account exists") {
		t.Fatalf("answers differ: %q vs %q", unknownAnswer, knownAnswer)
	}
	mail := mailer.waitFor(t, 1)
	if len(mailer.sent()) != 1 || mail.To[0] != "ada@acme.test" {
		t.Fatalf("e-mails sent: %+v", mailer.sent())
	}
	link := linkIn(t, mail.Body, "/password/reset/")

	p := c.get(link)
	expectStatus(t, p, http.StatusOK)
	p = c.post(link, url.Values{"password": {"short"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.text("#e-password"), "at least 10") {
		t.Fatalf("password error %q", p.text("#e-password"))
	}
	const newPassword = "a brand new passphrase"
	expectRedirect(t, c.post(link, url.Values{"password": {newPassword}}), "/dashboard")
	expectStatus(t, c.get("/dashboard"), http.StatusOK)

	expectRedirect(t, elsewhere.get("/dashboard"), "/login?next=%2Fdashboard")
	if _, err := models.Authenticate(context.Background(), app.db.Gorm, "ada@acme.test", testPassword); err == nil {
		t.Fatal("the old password still works")
	}
	if _, err := models.Authenticate(context.Background(), app.db.Gorm, "ada@acme.test", newPassword); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
	var failures int64
	app.db.Gorm.Model(&models.LoginFailure{}).Where("email = ?", "ada@acme.test").Count(&failures)
	if failures != 0 {
		t.Fatalf("%d login failures kept after the reset", failures)
	}

	// The link works once.
	p = app.client().get(link)
	expectStatus(t, p, http.StatusGone)
	if href, _ := p.doc.Find(`[data-testid="link-problem"] a`).Attr("href"); href != "/password/forgot" || !strings.Contains(p.text(`[data-testid="link-problem"]`), "already used") {
		t.Fatalf("used link page: %q, link %q", p.text(`[data-testid="link-problem"]`), href)
	}
	again := app.client()
	again.get("/login")
	expectStatus(t, again.post(link, url.Values{"password": {"yet another passphrase"}}), http.StatusGone)
}

func TestExpiredAndUnknownResetLinksOfferANewOne(t *testing.T) {
	app, mailer := newMailingTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	c.get("/password/forgot")
	c.post("/password/forgot", url.Values{"email": {"ada@acme.test"}})
	link := linkIn(t, mailer.waitFor(t, 1).Body, "/password/reset/")
	var reset models.PasswordReset
	app.db.Gorm.First(&reset)
	if d := time.Until(reset.ExpiresAt); d < 59*time.Minute || d > time.Hour {
		t.Fatalf("the link expires in %s, want an hour", d)
	}
	if err := app.db.Gorm.Model(&models.PasswordReset{}).Where("id = ?", reset.ID).
		Update("expires_at", time.Now().UTC().Add(-time.Second)).Error; err != nil {
		t.Fatal(err)
	}
	p := c.get(link)
	expectStatus(t, p, http.StatusGone)
	if !strings.Contains(p.text(`[data-testid="link-problem"]`), "has expired") {
		t.Fatalf("expired link page says %q", p.text(`[data-testid="link-problem"]`))
	}
	expectStatus(t, c.post(link, url.Values{"password": {"a brand new passphrase"}}), http.StatusGone)
	if _, err := models.Authenticate(context.Background(), app.db.Gorm, "ada@acme.test", testPassword); err != nil {
		t.Fatal("an expired link changed the password")
	}
	p = c.get("/password/reset/made-up")
	expectStatus(t, p, http.StatusNotFound)
	if href, _ := p.doc.Find(`[data-testid="link-problem"] a`).Attr("href"); href != "/password/forgot" {
		t.Fatalf("unknown link page offers %q", href)
	}
}

func TestPasswordResetEmailsAreLimitedPerAddress(t *testing.T) {
	app, mailer := newMailingTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	for i := 0; i < models.MaxPasswordResetsInWindow+2; i++ {
		c.get("/password/forgot")
		expectRedirect(t, c.post("/password/forgot", url.Values{"email": {"ada@acme.test"}}), "/login")
	}
	mailer.waitFor(t, models.MaxPasswordResetsInWindow)
	time.Sleep(200 * time.Millisecond) // room for an e-mail too many to show up
	if n := len(mailer.sent()); n != models.MaxPasswordResetsInWindow {
		t.Fatalf("%d e-mails sent, want %d", n, models.MaxPasswordResetsInWindow)
	}
}

func TestLockedOutLoginSaysHowLongAndOffersAReset(t *testing.T) {
	app, mailer := newMailingTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	for i := 0; i < models.MaxLoginFailuresAccount; i++ {
		expectStatus(t, c.login("ada@acme.test", "wrong password!"), http.StatusUnauthorized)
	}
	p := c.login("ada@acme.test", testPassword)
	expectStatus(t, p, http.StatusTooManyRequests)
	msg := p.text("#e-password")
	if !strings.Contains(msg, "Wait 15 minutes") || !strings.Contains(msg, "Forgot your password?") {
		t.Fatalf("lockout message %q: want how long to wait and the reset", msg)
	}
	if p.doc.Find(`[data-testid="forgot-password"]`).Length() != 1 {
		t.Fatal("the locked-out page has no reset link")
	}

	// A reset lifts the lock.
	c.get("/password/forgot")
	c.post("/password/forgot", url.Values{"email": {"ada@acme.test"}})
	link := linkIn(t, mailer.waitFor(t, 1).Body, "/password/reset/")
	c.get(link)
	expectRedirect(t, c.post(link, url.Values{"password": {"a brand new passphrase"}}), "/dashboard")
	expectRedirect(t, app.client().login("ada@acme.test", "a brand new passphrase"), "/dashboard")
}

func TestLockedOutLoginWithoutSMTPSaysWhomToAsk(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	for i := 0; i < models.MaxLoginFailuresAccount; i++ {
		c.login("ada@acme.test", "wrong password!")
	}
	p := c.login("ada@acme.test", testPassword)
	expectStatus(t, p, http.StatusTooManyRequests)
	if msg := p.text("#e-password"); !strings.Contains(msg, "Wait 15 minutes") || !strings.Contains(msg, "administrator") || strings.Contains(msg, "Forgot") {
		t.Fatalf("lockout message %q", msg)
	}
}
