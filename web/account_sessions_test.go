package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

const (
	firefoxOnLinux   = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"
	chromeOnWindows  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	safariOnIPhone   = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
	edgeOnMacOS      = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
	sessionsSelector = `[data-testid="sessions"] tbody tr`
)

// userAgent makes every request of the client carry ua, as one browser would.
type userAgent struct {
	ua   string
	next http.RoundTripper
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", u.ua)
	return u.next.RoundTrip(r)
}

func (a *testApp) browser(ua string) *client {
	c := a.client()
	c.http.Transport = userAgent{ua: ua, next: http.DefaultTransport}
	return c
}

// sessionRows maps each listed browser's name to its row's handle, and names this browser.
func sessionRows(t *testing.T, p *page) (rows map[string]string, this string) {
	t.Helper()
	rows = map[string]string{}
	for _, row := range p.doc.Find(sessionsSelector).EachIter() {
		name := strings.TrimSpace(row.Find("td").First().Contents().First().Text())
		handle, _ := row.Attr("data-session")
		rows[name] = handle
		if row.Find(`[data-testid="this-browser"]`).Length() > 0 {
			this = name
		}
	}
	return rows, this
}

func TestSessionsPageListsBrowsersAndLogsOneOut(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	firefox, chrome, iphone := app.browser(firefoxOnLinux), app.browser(chromeOnWindows), app.browser(safariOnIPhone)
	for _, c := range []*client{firefox, chrome, iphone} {
		expectRedirect(t, c.login("ada@acme.test", testPassword), "/dashboard")
	}

	p := firefox.get("/dashboard")
	if href, _ := p.doc.Find(`[data-testid="account-sessions"]`).Attr("href"); href != "/account/sessions" {
		t.Fatalf("the top bar links the sessions page as %q", href)
	}
	p = firefox.get("/account/sessions")
	expectStatus(t, p, http.StatusOK)
	rows, this := sessionRows(t, p)
	if len(rows) != 3 || rows["Chrome on Windows"] == "" || rows["Safari on iOS"] == "" || this != "Firefox on Linux" {
		t.Fatalf("sessions %v, this browser %q", rows, this)
	}
	if !strings.Contains(p.text(sessionsSelector), "127.0.0.1") {
		t.Fatalf("no IP address in %q", p.text(sessionsSelector))
	}
	if strings.Contains(p.body, chrome.sessionCookie()) {
		t.Fatal("the page shows another browser's cookie")
	}

	expectRedirect(t, firefox.post("/account/sessions/"+rows["Chrome on Windows"]+"/end", nil), "/account/sessions")
	expectRedirect(t, chrome.get("/dashboard"), "/login?next=%2Fdashboard")
	expectStatus(t, iphone.get("/dashboard"), http.StatusOK)
	expectStatus(t, firefox.get("/dashboard"), http.StatusOK)
	if rows, _ := sessionRows(t, firefox.get("/account/sessions")); len(rows) != 2 {
		t.Fatalf("sessions after logging one out: %v", rows)
	}

	// Logging this browser out from the list is logging out.
	expectRedirect(t, firefox.post("/account/sessions/"+rows["Firefox on Linux"]+"/end", nil), "/login")
	expectRedirect(t, firefox.get("/dashboard"), "/login?next=%2Fdashboard")
	expectStatus(t, iphone.get("/dashboard"), http.StatusOK)
}

func TestLogOutEverywhereElseKeepsOnlyThisBrowser(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	edge, chrome, iphone := app.browser(edgeOnMacOS), app.browser(chromeOnWindows), app.browser(safariOnIPhone)
	for _, c := range []*client{edge, chrome, iphone} {
		c.login("ada@acme.test", testPassword)
	}
	edge.get("/account/sessions")
	expectRedirect(t, edge.post("/account/sessions/end-others", nil), "/account/sessions")
	p := edge.get("/account/sessions")
	if !strings.Contains(p.text(".flash"), "2 other browsers are logged out") {
		t.Fatalf("flash %q", p.text(".flash"))
	}
	if rows, this := sessionRows(t, p); len(rows) != 1 || this != "Edge on macOS" {
		t.Fatalf("sessions left %v, this %q", rows, this)
	}
	expectRedirect(t, chrome.get("/dashboard"), "/login?next=%2Fdashboard")
	expectRedirect(t, iphone.get("/dashboard"), "/login?next=%2Fdashboard")
	expectStatus(t, edge.get("/dashboard"), http.StatusOK)
}

func TestAnotherUsersSessionCannotBeEnded(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	app.signUp("Globex", "hank@globex.test")
	ada, hank := app.browser(firefoxOnLinux), app.browser(chromeOnWindows)
	ada.login("ada@acme.test", testPassword)
	hank.login("hank@globex.test", testPassword)
	rows, _ := sessionRows(t, hank.get("/account/sessions"))
	hankHandle := rows["Chrome on Windows"]

	ada.get("/account/sessions")
	expectStatus(t, ada.post("/account/sessions/"+hankHandle+"/end", nil), http.StatusNotFound)
	expectStatus(t, hank.get("/dashboard"), http.StatusOK)
	expectRedirect(t, app.client().get("/account/sessions"), "/login?next=%2Faccount%2Fsessions")
	visitor := app.client()
	visitor.get("/login")
	if p := visitor.post("/account/sessions/end-others", url.Values{}); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login") {
		t.Fatalf("a visitor ending sessions: %d to %q", p.status, p.header.Get("Location"))
	}
	expectStatus(t, hank.get("/dashboard"), http.StatusOK)
}

// A session in use has its last activity written again after a few minutes, so that the
// sessions page tells a browser used today from one left a week ago.
func TestUsingASessionUpdatesItsLastActivity(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "admin@acme.test")
	admin := app.client()
	admin.login("admin@acme.test", testPassword)
	weekAgo := time.Now().AddDate(0, 0, -7).UTC()
	if err := app.db.Gorm.Model(&models.Session{}).Where("user_id IS NOT NULL").Update("updated_at", weekAgo).Error; err != nil {
		t.Fatal(err)
	}
	admin.get("/dashboard")
	var last time.Time
	if err := app.db.Gorm.Model(&models.Session{}).Where("user_id IS NOT NULL").Pluck("updated_at", &last).Error; err != nil {
		t.Fatal(err)
	}
	if time.Since(last) > time.Minute {
		t.Fatalf("the session's last activity is still %v after a request", last)
	}
}
