package pagebench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
	"github.com/orderhub/orderhub/web"
)

// Target is the time within which every page should be served (95th percentile).
const Target = 50 * time.Millisecond

// warmUp is the number of untimed requests sent to each page first.
const warmUp = 5

// serverTimingHeader carries the time the app spent on a request, set by the wrapper
// around its handler.
const serverTimingHeader = "X-Pagebench-Server-Time"

// Options tune a run; zero values take the defaults.
type Options struct {
	Requests int       // timed requests per page, default 200
	Out      io.Writer // the table (nil: none)
	JSON     io.Writer // the report as JSON (nil: none)
	// Email and Password log in; default: merchant 1's seeded administrator.
	Email, Password string
}

// Report is one run's figures, page by page.
type Report struct {
	Merchant int64 `json:"merchant_id"`
	Orders   int64 `json:"merchant_orders"`
	Requests int   `json:"requests_per_page"`
	// Timing says what the figures measure: the app's own time per request, from the
	// moment its handler is called to the moment the response is complete in memory.
	Timing   string       `json:"timing"`
	TargetMs float64      `json:"target_ms"`
	Pages    []PageResult `json:"pages"`
}

// PageResult is one page's figures, in milliseconds.
type PageResult struct {
	Name     string  `json:"name"`
	Example  string  `json:"example"` // one of the addresses requested
	Requests int     `json:"requests"`
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	Max      float64 `json:"max_ms"`
	// RoundTripP95 is the 95th percentile seen by the client over loopback, body read.
	RoundTripP95 float64 `json:"round_trip_p95_ms"`
	OK           bool    `json:"ok"` // P95 within the target
}

// Over lists the pages over the target.
func (r Report) Over() []string {
	var over []string
	for _, p := range r.Pages {
		if !p.OK {
			over = append(over, p.Name)
		}
	}
	return over
}

// page is one page to time: the address of request i, and what its body must hold.
type page struct {
	name string
	path func(i int) string
	// check returns what is wrong with request i's body, "" when nothing.
	check func(i int, doc *goquery.Document, body string) string
}

// Run serves the real web app on a loopback port, logs in as the seeded administrator and
// times every page. Each page gets warm-up requests, then opts.Requests timed ones, one at a
// time; each response must be 200 and hold the page's marker, else Run fails naming the page.
func Run(ctx context.Context, cfg models.Config, db *models.DB, opts Options) (Report, error) {
	if opts.Requests <= 0 {
		opts.Requests = 200
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Email == "" {
		opts.Email, opts.Password = SeedEmail(1), SeedPassword
	}
	user, err := models.Authenticate(ctx, db.Gorm, opts.Email, opts.Password)
	if err != nil {
		return Report{}, fmt.Errorf("logging in as %s: %w (seed the database first)", opts.Email, err)
	}
	if user.MerchantID == nil {
		return Report{}, fmt.Errorf("%s belongs to no merchant", opts.Email)
	}
	merchantID := *user.MerchantID
	samples, err := loadSamples(ctx, db, merchantID)
	if err != nil {
		return Report{}, err
	}
	srv, err := startServer(ctx, cfg, db)
	if err != nil {
		return Report{}, err
	}
	defer srv.close()
	s, err := srv.login(opts.Email, opts.Password)
	if err != nil {
		return Report{}, err
	}
	report := Report{Merchant: merchantID, Orders: samples.orders, Requests: opts.Requests,
		Timing: "server: the app's handler, routing and rendering included, network excluded", TargetMs: ms(Target)}
	fmt.Fprintf(opts.Out, "timing %d requests per page (after %d warm-up) for merchant %d, %d orders\n",
		opts.Requests, warmUp, merchantID, samples.orders)
	for _, p := range samples.pages() {
		res, err := s.time(ctx, p, opts.Requests)
		if err != nil {
			return report, err
		}
		report.Pages = append(report.Pages, res)
	}
	writeTable(opts.Out, report)
	if opts.JSON != nil {
		enc := json.NewEncoder(opts.JSON)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return report, err
		}
	}
	return report, nil
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }

func writeTable(out io.Writer, r Report) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "page\tp50 ms\tp95 ms\tmax ms\tround trip p95 ms\ttarget ms\t\t")
	for _, p := range r.Pages {
		verdict := "ok"
		if !p.OK {
			verdict = "OVER"
		}
		fmt.Fprintf(w, "%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%s\t\n", p.Name, p.P50, p.P95, p.Max, p.RoundTripP95, r.TargetMs, verdict)
	}
	w.Flush()
	fmt.Fprintf(out, "times are %s\n", r.Timing)
}

// samples are values picked from the merchant's seeded data for the requests to vary.
type samples struct {
	orders      int64
	connections []int64
	found       []sampleOrder // orders with a reference, a buyer e-mail and a tracking number
	groups      []models.GroupKey
}

type sampleOrder struct {
	ID                            int64
	MarketplaceOrderID, Reference string
	Email, Tracking               string
}

// sampleSize is the number of orders picked for the searches and the order pages.
const sampleSize = 200

func loadSamples(ctx context.Context, db *models.DB, merchantID int64) (*samples, error) {
	s := &samples{}
	q := db.Gorm.WithContext(ctx)
	if err := q.Model(&models.Order{}).Where("merchant_id = ?", merchantID).Count(&s.orders).Error; err != nil {
		return nil, err
	}
	conns, err := models.MerchantConnections(ctx, db.Gorm, merchantID)
	if err != nil {
		return nil, err
	}
	for _, c := range conns {
		s.connections = append(s.connections, c.ID)
	}
	rows, err := q.Raw(`SELECT id, marketplace_order_id, marketplace_reference, billing_email, tracking_number FROM orders
		WHERE merchant_id = ? AND marketplace_reference <> '' AND billing_email <> '' AND tracking_number <> ''
		ORDER BY random() LIMIT ?`, merchantID, sampleSize).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var o sampleOrder
		if err := rows.Scan(&o.ID, &o.MarketplaceOrderID, &o.Reference, &o.Email, &o.Tracking); err != nil {
			return nil, err
		}
		s.found = append(s.found, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	groups, err := models.ErrorQueue(ctx, db.Gorm, merchantID, models.ErrorQueueFilter{}, time.Now())
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		// A carrier group's page asks the marketplace for its carriers: its time is the
		// marketplace's, not orderhub's.
		if g.Reason != models.BlockedCarrierUnmapped {
			s.groups = append(s.groups, g.GroupKey)
		}
	}
	switch {
	case len(s.connections) == 0:
		return nil, fmt.Errorf("merchant %d has no connection: seed the database first", merchantID)
	case len(s.found) == 0:
		return nil, fmt.Errorf("merchant %d has no shipped order to search for: seed the database first", merchantID)
	case len(s.groups) == 0:
		return nil, fmt.Errorf("merchant %d has no blocked order group: seed the database first", merchantID)
	}
	return s, nil
}

// pages are the pages timed, each request with its own values.
func (s *samples) pages() []page {
	hasRows := func(_ int, doc *goquery.Document, _ string) string {
		if doc.Find("#order-rows").Length() == 0 {
			return "no #order-rows table body"
		}
		return ""
	}
	listed := func(id func(i int) int64) func(int, *goquery.Document, string) string {
		return func(i int, doc *goquery.Document, body string) string {
			if msg := hasRows(i, doc, body); msg != "" {
				return msg
			}
			if doc.Find("#order-link-"+strconv.FormatInt(id(i), 10)).Length() == 0 {
				return fmt.Sprintf("order %d is not in the list", id(i))
			}
			return ""
		}
	}
	order := func(i int) sampleOrder { return s.found[i%len(s.found)] }
	search := func(value func(sampleOrder) string) func(int) string {
		return func(i int) string { return "/orders?q=" + url.QueryEscape(value(order(i))) }
	}
	pages := []page{{name: "orders (default tab)", path: func(int) string { return "/orders" }, check: nonEmptyList}}
	for _, tab := range models.OrderTabs[1:] {
		path := "/orders?tab=" + tab.Key
		pages = append(pages, page{name: "orders tab " + tab.Key, path: func(int) string { return path }, check: hasRows})
	}
	pages = append(pages,
		page{name: "orders by connection", check: nonEmptyList, path: func(i int) string {
			return "/orders?connection=" + strconv.FormatInt(s.connections[i%len(s.connections)], 10)
		}},
		page{name: "search marketplace ref", path: search(func(o sampleOrder) string { return o.Reference }),
			check: listed(func(i int) int64 { return order(i).ID })},
		page{name: "search buyer e-mail", path: search(func(o sampleOrder) string { return o.Email }),
			check: listed(func(i int) int64 { return order(i).ID })},
		page{name: "search tracking number", path: search(func(o sampleOrder) string { return o.Tracking }),
			check: listed(func(i int) int64 { return order(i).ID })},
		page{name: "order detail", path: func(i int) string { return "/orders/" + strconv.FormatInt(order(i).ID, 10) },
			check: func(i int, doc *goquery.Document, _ string) string {
				if doc.Find("#order-page").Length() == 0 {
					return "no #order-page"
				}
				if !strings.Contains(doc.Find("main").Text(), order(i).MarketplaceOrderID) {
					return fmt.Sprintf("marketplace order id %s not shown", order(i).MarketplaceOrderID)
				}
				return ""
			}},
		page{name: "error queue", path: func(int) string { return "/errors" },
			check: func(_ int, doc *goquery.Document, _ string) string {
				if doc.Find("li.error-group").Length() == 0 {
					return "no error group listed"
				}
				return ""
			}},
		page{name: "error group", path: func(i int) string { return views.GroupURL(s.groups[i%len(s.groups)]) },
			check: func(_ int, doc *goquery.Document, _ string) string {
				if doc.Find(`[data-testid="group-count"]`).Length() == 0 || doc.Find(`[data-testid="fix"]`).Length() == 0 {
					return "no group count or fix section"
				}
				return ""
			}},
		page{name: "dashboard", path: func(int) string { return "/dashboard" },
			check: func(_ int, doc *goquery.Document, _ string) string {
				if doc.Find("#dash-connections").Length() == 0 {
					return "no #dash-connections section"
				}
				return ""
			}},
	)
	return pages
}

func nonEmptyList(_ int, doc *goquery.Document, _ string) string {
	if doc.Find("#order-rows tr[data-order]").Length() == 0 {
		return "no order row"
	}
	return ""
}

// server is the web app on a loopback port, its handler wrapped to time each request.
type server struct {
	app  *fiber.App
	base string
	done chan error
}

func startServer(ctx context.Context, cfg models.Config, db *models.DB) (*server, error) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner, err := jobs.New(db, jobs.Options{Logger: logger, NoPeriodic: true})
	if err != nil {
		return nil, err
	}
	app, err := web.New(cfg, db, runner, logger, "bench")
	if err != nil {
		return nil, err
	}
	inner := app.Server().Handler
	app.Server().Handler = func(c *fasthttp.RequestCtx) {
		start := time.Now()
		inner(c)
		c.Response.Header.Set(serverTimingHeader, strconv.FormatInt(int64(time.Since(start)), 10))
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{app: app, base: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	go func() { s.done <- app.Listener(ln) }()
	return s, nil
}

func (s *server) close() {
	_ = s.app.ShutdownWithTimeout(5 * time.Second)
	<-s.done
}

// session is one logged-in browser.
type session struct {
	srv    *server
	client *http.Client
}

// login logs in through the login form, as a person would.
func (s *server) login(email, password string) (*session, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	sess := &session{srv: s, client: &http.Client{
		Jar:           jar,
		Timeout:       2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	status, body, _, err := sess.get("/login")
	if err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	token, ok := doc.Find("#csrf-token").Attr("data-token")
	if status != http.StatusOK || !ok {
		return nil, fmt.Errorf("GET /login: status %d, CSRF token found: %v", status, ok)
	}
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {token}}
	res, err := sess.client.PostForm(s.base+"/login", form)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusFound && res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("POST /login as %s: status %d, want a redirect (wrong password?)", email, res.StatusCode)
	}
	if status, _, _, err := sess.get("/dashboard"); err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("GET /dashboard after logging in: status %d, %v", status, err)
	}
	return sess, nil
}

// get fetches a path and returns the status, the body and the app's time.
func (s *session) get(path string) (int, string, time.Duration, error) {
	res, err := s.client.Get(s.srv.base + path)
	if err != nil {
		return 0, "", 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, "", 0, err
	}
	ns, _ := strconv.ParseInt(res.Header.Get(serverTimingHeader), 10, 64)
	return res.StatusCode, string(body), time.Duration(ns), nil
}

// errPage is a page that answered wrongly.
var errPage = errors.New("page check failed")

// time sends the warm-up requests, then the timed ones, checking every response.
func (s *session) time(ctx context.Context, p page, requests int) (PageResult, error) {
	res := PageResult{Name: p.name, Example: p.path(0), Requests: requests}
	var serverTimes, roundTrips []time.Duration
	for i := -warmUp; i < requests; i++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		n := i + warmUp // the warm-up requests use the first values too
		path := p.path(n)
		start := time.Now()
		status, body, serverTime, err := s.get(path)
		roundTrip := time.Since(start)
		if err != nil {
			return res, fmt.Errorf("page %q: GET %s: %w", p.name, path, err)
		}
		if status != http.StatusOK {
			return res, fmt.Errorf("%w: page %q: GET %s: status %d, want 200", errPage, p.name, path, status)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			return res, fmt.Errorf("page %q: GET %s: %w", p.name, path, err)
		}
		if msg := p.check(n, doc, body); msg != "" {
			return res, fmt.Errorf("%w: page %q: GET %s: %s", errPage, p.name, path, msg)
		}
		if i >= 0 {
			serverTimes, roundTrips = append(serverTimes, serverTime), append(roundTrips, roundTrip)
		}
	}
	slices.Sort(serverTimes)
	slices.Sort(roundTrips)
	res.P50, res.P95, res.Max = ms(percentile(serverTimes, 0.50)), ms(percentile(serverTimes, 0.95)), ms(serverTimes[len(serverTimes)-1])
	res.RoundTripP95 = ms(percentile(roundTrips, 0.95))
	res.OK = percentile(serverTimes, 0.95) <= Target
	return res, nil
}

// percentile reads a sorted sample (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}
