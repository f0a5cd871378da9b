package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
	"github.com/orderhub/orderhub/web"
)

// memoryMailer is a jobs.Mailer that keeps what it is given, or refuses with failWith.
type memoryMailer struct {
	mu       sync.Mutex
	mails    []jobs.Mail
	failWith error
}

func (m *memoryMailer) Send(_ context.Context, mail jobs.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failWith != nil {
		return m.failWith
	}
	m.mails = append(m.mails, mail)
	return nil
}

func (m *memoryMailer) sent() []jobs.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]jobs.Mail(nil), m.mails...)
}

// waitFor returns the n-th e-mail (from 1) once it was sent; some are sent after the answer.
func (m *memoryMailer) waitFor(t *testing.T, n int) jobs.Mail {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if mails := m.sent(); len(mails) >= n {
			return mails[n-1]
		}
	}
	t.Fatalf("e-mail %d was never sent; sent: %d", n, len(m.sent()))
	return jobs.Mail{}
}

// newMailingTestApp is a test app that sends its e-mails to the returned mailer, as with
// SMTP_URL set.
func newMailingTestApp(t *testing.T) (*testApp, *memoryMailer) {
	t.Helper()
	db := testdb.Open(t)
	runner, err := jobs.New(db, jobs.Options{Logger: quietLogger(), NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	mailer := &memoryMailer{}
	return serveWith(t, db, runner, []web.Option{web.WithMailer(mailer)}), mailer
}

// linkIn returns the path of the first link to base+prefix in text.
func linkIn(t *testing.T, text, prefix string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta("http://127.0.0.1"+prefix) + `[A-Za-z0-9_-]+`).FindString(text)
	if m == "" {
		t.Fatalf("no %s link in:\n%s", prefix, text)
	}
	return strings.TrimPrefix(m, "http://127.0.0.1")
}

func invitationsOf(t *testing.T, app *testApp, merchantID int64) []models.Invitation {
	t.Helper()
	var invitations []models.Invitation
	if err := app.db.Gorm.Where("merchant_id = ?", merchantID).Order("id").Find(&invitations).Error; err != nil {
		t.Fatal(err)
	}
	return invitations
}

func TestInvitationWithoutSMTPShowsTheLinkOnceAndCreatesTheAccount(t *testing.T) {
	app := newTestApp(t)
	merchant, _ := app.signUp("Acme", "ada@acme.test")
	if err := app.db.Gorm.Model(&models.User{}).Where("email = ?", "ada@acme.test").Update("name", "Ada").Error; err != nil {
		t.Fatal(err)
	}
	admin := app.client()
	admin.login("ada@acme.test", testPassword)
	admin.get("/team/new")
	p := admin.post("/team", url.Values{"email": {"Nina@Acme.test"}, "name": {"Nina"}, "role": {"staff"}})
	expectStatus(t, p, http.StatusCreated)
	if !strings.Contains(p.text("main"), "send it to nina@acme.test yourself") {
		t.Fatalf("the page does not say to send the link: %q", p.text("main"))
	}
	link := linkIn(t, p.text(`[data-testid="invitation-link"]`), "/invitations/")
	token := strings.TrimPrefix(link, "/invitations/")
	invitations := invitationsOf(t, app, merchant.ID)
	sum := sha256.Sum256([]byte(token))
	if len(invitations) != 1 || invitations[0].TokenHash != hex.EncodeToString(sum[:]) || strings.Contains(invitations[0].TokenHash, token) {
		t.Fatalf("stored invitations %+v: want one, holding only the token's hash", invitations)
	}
	if d := time.Until(invitations[0].ExpiresAt); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour {
		t.Fatalf("invitation expires in %s, want 7 days", d)
	}
	if team := admin.get("/team").text(`[data-testid="invitations"]`); !strings.Contains(team, "nina@acme.test") {
		t.Fatalf("pending invitations %q", team)
	}

	invitee := app.client()
	p = invitee.get(link)
	expectStatus(t, p, http.StatusOK)
	if intro := p.text(`[data-testid="invitation-intro"]`); !strings.Contains(intro, "Ada invited you to join Acme") {
		t.Fatalf("invitation page says %q", intro)
	}
	p = invitee.post(link, url.Values{"name": {"Nina"}, "password": {"short"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.text("#e-password"), "at least 10") {
		t.Fatalf("password error %q", p.text("#e-password"))
	}
	expectRedirect(t, invitee.post(link, url.Values{"name": {"Nina N."}, "password": {testPassword}}), "/dashboard")
	p = invitee.get("/dashboard")
	if got := p.text(`[data-testid="merchant-name"]`); got != "Acme" {
		t.Fatalf("the new account is in %q, want Acme", got)
	}
	user, err := models.Authenticate(context.Background(), app.db.Gorm, "nina@acme.test", testPassword)
	if err != nil || user.Role != models.RoleStaff || user.MerchantID == nil || *user.MerchantID != merchant.ID || user.Name != "Nina N." {
		t.Fatalf("created user %+v, %v", user, err)
	}

	// The link worked once.
	p = app.client().get(link)
	expectStatus(t, p, http.StatusGone)
	if msg := p.text(`[data-testid="link-problem"]`); !strings.Contains(msg, "already used") || !strings.Contains(msg, "Ada") {
		t.Fatalf("used link page says %q", msg)
	}
	again := app.client()
	again.get("/login")
	expectStatus(t, again.post(link, url.Values{"password": {testPassword}}), http.StatusGone)
	if strings.Contains(admin.get("/team").body, `data-testid="invitations"`) {
		t.Fatal("the used invitation is still listed as pending")
	}
}

func TestInvitationEmailCarriesTheLinkAndSendAgainReplacesIt(t *testing.T) {
	app, mailer := newMailingTestApp(t)
	merchant, _ := app.signUp("Acme", "ada@acme.test")
	admin := app.client()
	admin.login("ada@acme.test", testPassword)
	admin.get("/team/new")
	expectRedirect(t, admin.post("/team", url.Values{"email": {"bob@acme.test"}, "role": {"admin"}}), "/team")
	if flash := admin.get("/team").text(".flash"); !strings.Contains(flash, "Invitation sent to bob@acme.test") {
		t.Fatalf("flash %q", flash)
	}
	mail := mailer.waitFor(t, 1)
	if len(mail.To) != 1 || mail.To[0] != "bob@acme.test" || !strings.Contains(mail.Subject, "Acme") {
		t.Fatalf("e-mail %+v", mail)
	}
	first := linkIn(t, mail.Body, "/invitations/")
	if !strings.Contains(mail.Body, "Administrator") {
		t.Fatalf("the e-mail does not name the role:\n%s", mail.Body)
	}

	id := invitationsOf(t, app, merchant.ID)[0].ID
	expectRedirect(t, admin.post(fmt.Sprintf("/team/invitations/%d/resend", id), nil), "/team")
	second := linkIn(t, mailer.waitFor(t, 2).Body, "/invitations/")
	if second == first {
		t.Fatal("send again sent the same link")
	}
	expectStatus(t, app.client().get(first), http.StatusNotFound)
	expectStatus(t, app.client().get(second), http.StatusOK)

	invitee := app.client()
	invitee.get(second)
	expectRedirect(t, invitee.post(second, url.Values{"password": {testPassword}}), "/dashboard")
	if user, err := models.Authenticate(context.Background(), app.db.Gorm, "bob@acme.test", testPassword); err != nil || user.Role != models.RoleAdmin {
		t.Fatalf("bob: %+v, %v; want an admin", user, err)
	}
}

func TestInvitationFailingToSendShowsTheLinkAndWhy(t *testing.T) {
	app, mailer := newMailingTestApp(t)
	mailer.failWith = errors.New("connection refused")
	app.signUp("Acme", "ada@acme.test")
	admin := app.client()
	admin.login("ada@acme.test", testPassword)
	admin.get("/team/new")
	p := admin.post("/team", url.Values{"email": {"bob@acme.test"}, "role": {"staff"}})
	expectStatus(t, p, http.StatusCreated)
	if msg := p.text(`[data-testid="mail-error"]`); !strings.Contains(msg, "connection refused") || !strings.Contains(msg, "SMTP_URL") {
		t.Fatalf("mail error %q", msg)
	}
	expectStatus(t, app.client().get(linkIn(t, p.text(`[data-testid="invitation-link"]`), "/invitations/")), http.StatusOK)
}

func TestExpiredRevokedAndUnknownInvitationLinksSayWhatToDo(t *testing.T) {
	app := newTestApp(t)
	merchant, _ := app.signUp("Acme", "ada@acme.test")
	admin := app.client()
	admin.login("ada@acme.test", testPassword)
	invite := func(email string) string {
		admin.get("/team/new")
		p := admin.post("/team", url.Values{"email": {email}, "role": {"staff"}})
		expectStatus(t, p, http.StatusCreated)
		return linkIn(t, p.text(`[data-testid="invitation-link"]`), "/invitations/")
	}
	expired := invite("old@acme.test")
	if err := app.db.Gorm.Model(&models.Invitation{}).Where("email = ?", "old@acme.test").
		Update("expires_at", time.Now().UTC().Add(-time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	visitor := app.client()
	p := visitor.get(expired)
	expectStatus(t, p, http.StatusGone)
	if msg := p.text(`[data-testid="link-problem"]`); !strings.Contains(msg, "has expired") || !strings.Contains(msg, "ada@acme.test") {
		t.Fatalf("expired link page says %q", msg)
	}
	expectStatus(t, visitor.post(expired, url.Values{"password": {testPassword}}), http.StatusGone)

	revoked := invite("gone@acme.test")
	invitations := invitationsOf(t, app, merchant.ID)
	expectRedirect(t, admin.post(fmt.Sprintf("/team/invitations/%d/revoke", invitations[len(invitations)-1].ID), nil), "/team")
	p = visitor.get(revoked)
	expectStatus(t, p, http.StatusGone)
	if msg := p.text(`[data-testid="link-problem"]`); !strings.Contains(msg, "withdrawn") {
		t.Fatalf("revoked link page says %q", msg)
	}
	expectStatus(t, visitor.post(revoked, url.Values{"password": {testPassword}}), http.StatusGone)

	p = visitor.get("/invitations/not-a-real-token")
	expectStatus(t, p, http.StatusNotFound)
	if msg := p.text(`[data-testid="link-problem"]`); !strings.Contains(msg, "ask the person who invited you") {
		t.Fatalf("unknown link page says %q", msg)
	}
	for _, email := range []string{"old@acme.test", "gone@acme.test"} {
		if _, err := models.Authenticate(context.Background(), app.db.Gorm, email, testPassword); err == nil {
			t.Fatalf("%s got an account through a dead link", email)
		}
	}
}

func TestInvitingAnAddressThatHasAnAccountIsRefused(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	app.signUp("Globex", "hank@globex.test")
	admin := app.client()
	admin.login("ada@acme.test", testPassword)
	admin.get("/team/new")
	p := admin.post("/team", url.Values{"email": {"HANK@globex.test"}, "role": {"staff"}})
	expectStatus(t, p, http.StatusUnprocessableEntity)
	if got := p.text("#e-email"); !strings.Contains(got, "already has an orderhub account") {
		t.Fatalf("email error %q", got)
	}
}

func TestAnotherMerchantsAdminCannotRevokeOrResendAnInvitation(t *testing.T) {
	app := newTestApp(t)
	merchantA, _ := app.signUp("A", "admin@a.test")
	app.signUp("B", "admin@b.test")
	adminA := app.client()
	adminA.login("admin@a.test", testPassword)
	adminA.get("/team/new")
	p := adminA.post("/team", url.Values{"email": {"new@a.test"}, "role": {"staff"}})
	expectStatus(t, p, http.StatusCreated)
	link := linkIn(t, p.text(`[data-testid="invitation-link"]`), "/invitations/")
	id := invitationsOf(t, app, merchantA.ID)[0].ID

	adminB := app.client()
	adminB.login("admin@b.test", testPassword)
	p = adminB.get("/team")
	if strings.Contains(p.body, "new@a.test") {
		t.Fatal("B's team page lists A's invitation")
	}
	expectStatus(t, adminB.post(fmt.Sprintf("/team/invitations/%d/revoke", id), nil), http.StatusNotFound)
	expectStatus(t, adminB.post(fmt.Sprintf("/team/invitations/%d/resend", id), nil), http.StatusNotFound)
	expectStatus(t, adminB.post("/team/invitations/999999/revoke", nil), http.StatusNotFound)
	expectStatus(t, app.client().get(link), http.StatusOK)
	if inv := invitationsOf(t, app, merchantA.ID)[0]; inv.RevokedAt != nil {
		t.Fatal("B revoked A's invitation")
	}
}
