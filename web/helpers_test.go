package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
	"github.com/orderhub/orderhub/web"
)

// testApp is orderhub's web app served on a loopback port, over its own fresh database.
type testApp struct {
	t     *testing.T
	db    *models.DB
	base  string
	fiber *fiber.App // for the routes it serves
}

// testSecretKey is every test app's ORDERHUB_SECRET_KEY.
var testSecretKey = []byte("0123456789abcdef0123456789abcdef")

func newTestApp(t *testing.T, configure ...func(*models.Config)) *testApp {
	t.Helper()
	db := testdb.Open(t)
	runner, err := jobs.New(db, jobs.Options{Logger: quietLogger(), NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, db, runner, configure...)
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// workingJobs starts orderhub's jobs on db with the real connectors, stopped at the end of
// the test.
func workingJobs(t *testing.T, db *models.DB) *jobs.Runner {
	t.Helper()
	sealer, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(db, jobs.Options{Logger: quietLogger(), Connectors: jobs.NewRegistry(sealer), PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = runner.Stop(10 * time.Second) })
	return runner
}

// serve runs orderhub's web app on a loopback port until the end of the test.
func serve(t *testing.T, db *models.DB, runner *jobs.Runner, configure ...func(*models.Config)) *testApp {
	t.Helper()
	return serveWith(t, db, runner, nil, configure...)
}

// serveWith is serve with options for web.New, such as a mailer.
func serveWith(t *testing.T, db *models.DB, runner *jobs.Runner, opts []web.Option, configure ...func(*models.Config)) *testApp {
	t.Helper()
	cfg := models.Config{
		SecretKey: testSecretKey,
		Signup:    "first",
		BaseURL:   "http://127.0.0.1",
		APIRate:   1000, // tests poll fast; TestAPIRateLimitPerToken sets its own
	}
	for _, f := range configure {
		f(&cfg)
	}
	app, err := web.New(cfg, db, runner, quietLogger(), "test", opts...)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return &testApp{t: t, db: db, base: "http://" + ln.Addr().String(), fiber: app}
}

func (a *testApp) signUp(merchant, email string) (*models.Merchant, *models.User) {
	a.t.Helper()
	m, u, err := models.SignUp(context.Background(), a.db.Gorm, merchant, "", email, testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	return m, u
}

func (a *testApp) addUser(merchantID int64, email, role string) *models.User {
	a.t.Helper()
	u, err := models.CreateUser(context.Background(), a.db.Gorm, models.NewUser{MerchantID: &merchantID, Email: email, Password: testPassword, Role: role})
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

const testPassword = "correct horse battery"

// client is one browser: a cookie jar, no automatic redirects, and the last page's CSRF token.
type client struct {
	t    *testing.T
	app  *testApp
	http *http.Client
	csrf string
}

func (a *testApp) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, app: a, http: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is one response, its body parsed as HTML.
type page struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (p *page) text(selector string) string {
	return strings.TrimSpace(p.doc.Find(selector).First().Text())
}

func (c *client) do(req *http.Request) *page {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		c.t.Fatal(err)
	}
	if token, ok := doc.Find("#csrf-token").Attr("data-token"); ok {
		c.csrf = token
	}
	return &page{status: res.StatusCode, header: res.Header, body: string(body), doc: doc}
}

func (c *client) get(path string, headers ...string) *page {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// post sends a form with the CSRF token of the last page fetched.
func (c *client) post(path string, form url.Values) *page {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	return c.postRaw(path, form)
}

// postRaw sends the form exactly as given.
func (c *client) postRaw(path string, form url.Values) *page {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login fetches the login page for its token, then logs in.
func (c *client) login(email, password string) *page {
	c.t.Helper()
	c.get("/login")
	return c.post("/login", url.Values{"email": {email}, "password": {password}})
}

func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.app.base)
	for _, cookie := range c.http.Jar.Cookies(u) {
		if cookie.Name == "orderhub_session" {
			return cookie.Value
		}
	}
	return ""
}

func expectStatus(t *testing.T, p *page, want int) {
	t.Helper()
	if p.status != want {
		t.Fatalf("status %d, want %d; body:\n%s", p.status, want, p.body)
	}
}

func expectRedirect(t *testing.T, p *page, to string) {
	t.Helper()
	if p.status != http.StatusSeeOther || p.header.Get("Location") != to {
		t.Fatalf("got %d to %q, want 303 to %q", p.status, p.header.Get("Location"), to)
	}
}
