package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// guard is who may use a route.
type guard int

const (
	public      guard = iota // anyone, logged in or not
	apiToken                 // the Store API: a bearer token, 401 without one
	webhook                  // a store's webhook: the delivery's signature, 401 without one
	loggedIn                 // anyone logged in; visitors are sent to the login page
	merchant                 // a merchant's users (staff included), support agents inside it
	manager                  // a merchant's admins and support agents inside it; staff get 403
	admin                    // a merchant's admins only; staff and support agents get 403
	supportOnly              // support agents only; everyone else gets 404
)

func (g guard) String() string {
	return [...]string{"public", "apiToken", "webhook", "loggedIn", "merchant", "manager", "admin", "supportOnly"}[g]
}

// routeGuards names the guard of every route the router serves ("METHOD path" as the router
// writes it; HEAD mirrors GET). TestRouteGuardsListEveryRoute fails when a route is added
// without an entry here, so every new route goes through the probes below.
var routeGuards = map[string]guard{
	"GET /healthz":                   public,
	"GET /readyz":                    public,
	"GET /":                          public,
	"GET /signup":                    public,
	"POST /signup":                   public,
	"GET /login":                     public,
	"POST /login":                    public,
	"GET /api/v1/openapi.json":       public,
	"POST /webhooks/stores/:id<int>": webhook,

	"GET /invitations/:token":     public,
	"POST /invitations/:token":    public,
	"GET /password/forgot":        public,
	"POST /password/forgot":       public,
	"GET /password/reset/:token":  public,
	"POST /password/reset/:token": public,

	"GET /api/v1/orders":                apiToken,
	"GET /api/v1/orders/:id<int>":       apiToken,
	"POST /api/v1/orders/acknowledge":   apiToken,
	"POST /api/v1/orders/unacknowledge": apiToken,
	"POST /api/v1/orders/ship":          apiToken,
	"POST /api/v1/orders/accept":        apiToken,
	"POST /api/v1/orders/refuse":        apiToken,
	"POST /api/v1/orders/cancel":        apiToken,
	"POST /api/v1/products":             apiToken,
	"GET /api/v1/products/unknown":      apiToken,

	"POST /logout":           loggedIn,
	"GET /dashboard":         loggedIn,
	"POST /account/language": loggedIn,

	"GET /account/sessions/":             loggedIn,
	"POST /account/sessions/end-others":  loggedIn,
	"POST /account/sessions/:handle/end": loggedIn,

	"GET /support/":       supportOnly,
	"POST /support/enter": supportOnly,
	"POST /support/leave": supportOnly,

	"GET /orders/":                        merchant,
	"GET /orders/rows":                    merchant,
	"GET /orders/export.csv":              merchant,
	"GET /orders/:id<int>":                merchant,
	"GET /orders/:id<int>/carrier":        merchant,
	"POST /orders/:id<int>/accept":        merchant,
	"POST /orders/:id<int>/refuse":        merchant,
	"POST /orders/:id<int>/retry":         merchant,
	"POST /orders/:id<int>/cancel":        merchant,
	"POST /orders/:id<int>/ship":          merchant,
	"POST /orders/:id<int>/import-anyway": merchant,
	"POST /orders/:id<int>/address":       merchant,
	"POST /orders/:id<int>/resend":        merchant,
	"POST /orders/:id<int>/notes":         merchant,
	"POST /orders/:id<int>/assign":        merchant,
	"POST /orders/:id<int>/unassign":      merchant,

	"GET /errors/":                        merchant,
	"GET /errors/group":                   merchant,
	"POST /errors/group/link":             merchant,
	"POST /errors/group/refresh":          merchant,
	"POST /errors/group/activate-country": manager,
	"POST /errors/group/carrier":          merchant,
	"POST /errors/bulk":                   merchant,
	"POST /errors/group/assign":           merchant,
	"POST /errors/group/unassign":         merchant,

	"GET /connections/":                                           merchant,
	"GET /connections/new":                                        manager,
	"POST /connections/":                                          manager,
	"GET /connections/:id<int>":                                   merchant,
	"POST /connections/:id<int>/pause":                            manager,
	"POST /connections/:id<int>/resume":                           manager,
	"POST /connections/:id<int>/sync":                             merchant,
	"GET /connections/:id<int>/settings":                          manager,
	"POST /connections/:id<int>/settings":                         manager,
	"GET /connections/:id<int>/setup/catalogue":                   manager,
	"GET /connections/:id<int>/setup/:step":                       manager,
	"POST /connections/:id<int>/setup/marketplace":                manager,
	"POST /connections/:id<int>/setup/credentials":                admin,
	"POST /connections/:id<int>/setup/store":                      admin,
	"POST /connections/:id<int>/setup/carriers":                   manager,
	"POST /connections/:id<int>/setup/activate":                   manager,
	"POST /connections/:id<int>/carriers/rules":                   manager,
	"POST /connections/:id<int>/carriers/rules/:rule<int>/delete": manager,
	"POST /connections/:id<int>/carriers/rules/:rule<int>/move":   manager,
	"GET /connections/:id<int>/carriers/test":                     manager,
	"GET /connections/:id<int>/products":                          manager,
	"GET /connections/:id<int>/skus":                              merchant,
	"GET /connections/:id<int>/test-orders":                       manager,
	"POST /connections/:id<int>/test-orders":                      manager,
	"POST /connections/:id<int>/test-orders/:order<int>/cancel":   manager,

	"GET /team/":         merchant,
	"GET /team/new":      admin,
	"POST /team/":        admin,
	"GET /team/:id<int>": merchant,

	"POST /team/invitations/:id<int>/resend": admin,
	"POST /team/invitations/:id<int>/revoke": admin,

	"GET /settings/api-tokens":                  admin,
	"POST /settings/api-tokens":                 admin,
	"POST /settings/api-tokens/:id<int>/revoke": admin,
}

// endsSession lists the routes after which the person is no longer logged in (or no longer
// inside a merchant): the probes log in again after them.
var endsSession = map[string]bool{"POST /logout": true, "POST /support/leave": true}

// accessFixture is merchant A, with one of everything a route can name, and merchant B.
type accessFixture struct {
	app                      *testApp
	merchantA, merchantB     *models.Merchant
	adminA, staffA, adminB   *models.User
	support                  *models.User
	conn                     *models.Connection
	order, blocked           *models.Order
	rule                     *models.CarrierRule
	tokenID                  int64
	invitationID             int64
	staffEmail, supportEmail string
}

func newAccessFixture(t *testing.T) *accessFixture {
	app := newTestApp(t)
	f := &accessFixture{app: app}
	f.merchantA, f.adminA = app.signUp("Acme", "admin@acme.test")
	f.merchantB, f.adminB = app.signUp("Other", "admin@other.test")
	f.staffEmail, f.supportEmail = "staff@acme.test", "support@orderhub.test"
	f.staffA = app.addUser(f.merchantA.ID, f.staffEmail, models.RoleStaff)
	f.support = app.supportAgent(f.supportEmail)
	f.conn = app.apiConnection(f.merchantA.ID, "Fnac → Acme shop")
	f.order = app.orderOn(f.conn, "ACME-1-A", models.StatusWaitingShipment)
	f.blocked = app.orderOn(f.conn, "ACME-2-A", models.StatusWaitingShipment)
	app.blockFor(f.blocked, "country_inactive", "NO", "Shipping country NO is not active.")
	f.rule = &models.CarrierRule{MatchKind: models.MatchContains, Pattern: "6A", CarrierCode: "colissimo", CarrierName: "Colissimo"}
	if err := models.AddCarrierRule(context.Background(), app.db.Gorm, f.conn, f.rule); err != nil {
		t.Fatal(err)
	}
	_, token, err := models.CreateAPIToken(context.Background(), app.db.Gorm, f.merchantA.ID, models.NewAPIToken{Name: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	f.tokenID = token.ID
	invitation, _, err := models.CreateInvitation(context.Background(), app.db.Gorm, f.merchantA.ID,
		models.NewInvitation{Email: "invited@acme.test", Role: models.RoleStaff, InvitedByID: f.adminA.ID}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.invitationID = invitation.ID
	return f
}

// logIn returns a client logged in as the person, holding its session's CSRF token.
func (f *accessFixture) logIn(email string) *client {
	c := f.app.client()
	if p := c.login(email, testPassword); p.status != http.StatusSeeOther {
		f.app.t.Fatalf("logging in %s: status %d", email, p.status)
	}
	c.get("/dashboard")
	return c
}

var routeParam = regexp.MustCompile(`:([a-z]+)(<int>)?`)

// path fills a route's parameters with merchant A's ids.
func (f *accessFixture) path(t *testing.T, route string) string {
	t.Helper()
	segments := strings.Split(strings.Trim(route, "/"), "/")
	return routeParam.ReplaceAllStringFunc(route, func(param string) string {
		name := routeParam.FindStringSubmatch(param)[1]
		switch {
		case name == "rule":
			return fmt.Sprint(f.rule.ID)
		case name == "order":
			return fmt.Sprint(f.order.ID)
		case name == "step":
			return "store"
		case name == "token":
			return "a-link-token-nobody-was-given"
		case name == "handle":
			return "a-session-handle-nobody-has"
		case name == "id" && len(segments) > 1 && segments[0] == "team" && segments[1] == "invitations":
			return fmt.Sprint(f.invitationID)
		case name == "id" && segments[0] == "orders":
			return fmt.Sprint(f.order.ID)
		case name == "id" && (segments[0] == "connections" || segments[0] == "webhooks"):
			return fmt.Sprint(f.conn.ID)
		case name == "id" && segments[0] == "team":
			return fmt.Sprint(f.staffA.ID)
		case name == "id" && segments[0] == "settings":
			return fmt.Sprint(f.tokenID)
		case name == "id" && segments[0] == "api":
			return fmt.Sprint(f.order.ID)
		}
		t.Fatalf("route %s: teach accessFixture.path which of merchant A's ids %s stands for", route, param)
		return ""
	})
}

// form is what a route reads from the query or the form to name merchant A's data, for the
// routes whose ids are not in the path.
func (f *accessFixture) form(route string) url.Values {
	group := url.Values{"connection": {fmt.Sprint(f.conn.ID)}, "side": {"store"}, "reason": {"country_inactive"}, "cause": {"NO"}}
	switch {
	case strings.Contains(route, " /errors/group"):
		return group
	case route == "POST /errors/bulk":
		group.Set("action", "handled")
		group.Set("confirm", "1")
		group.Set("ids", fmt.Sprint(f.blocked.ID))
		return group
	case route == "GET /orders/" || route == "GET /orders/rows" || route == "GET /orders/export.csv":
		return url.Values{"connection": {fmt.Sprint(f.conn.ID)}}
	}
	return nil
}

// namesData reports whether a route names one piece of merchant A's data (in its path or its
// form), so that merchant B's users must get 404 on it.
func (f *accessFixture) namesData(route string) bool {
	if strings.Contains(route, ":id") || strings.Contains(route, ":rule") || strings.Contains(route, ":order") {
		return true
	}
	return f.form(route) != nil && !strings.HasPrefix(route, "GET /orders/")
}

// request sends the route's probe as the client: merchant A's ids, the form values, and the
// CSRF token only when withToken.
func (f *accessFixture) request(t *testing.T, c *client, route string, withToken bool) *page {
	t.Helper()
	method, pattern, _ := strings.Cut(route, " ")
	path := f.path(t, pattern)
	form := f.form(route)
	if method == http.MethodGet {
		if form != nil {
			path += "?" + form.Encode()
		}
		return c.get(path)
	}
	if withToken {
		return c.post(path, form)
	}
	if form == nil {
		form = url.Values{}
	}
	return c.postRaw(path, form)
}

// servedRoutes is every route of the router, "METHOD path", without the HEADs that mirror GETs.
func servedRoutes(app *testApp) []string {
	var routes []string
	for _, r := range app.fiber.GetRoutes(true) {
		if r.Method == http.MethodHead {
			continue
		}
		routes = append(routes, r.Method+" "+r.Path)
	}
	sort.Strings(routes)
	return slices.Compact(routes)
}

func TestRouteGuardsListEveryRoute(t *testing.T) {
	app := newTestApp(t)
	served := servedRoutes(app)
	for _, route := range served {
		if _, ok := routeGuards[route]; !ok {
			t.Errorf("%s has no entry in routeGuards: add it with its guard, so the access probes cover it", route)
		}
	}
	for route := range routeGuards {
		if !slices.Contains(served, route) {
			t.Errorf("routeGuards names %s, which the router no longer serves: remove it", route)
		}
	}
	t.Logf("%d routes, each with its guard", len(served))
}

// TestRouteAccessForVisitors: without a login, pages send to the login page, the API and the
// webhooks answer 401, and nothing is changed.
func TestRouteAccessForVisitors(t *testing.T) {
	f := newAccessFixture(t)
	visitor := f.app.client()
	for _, route := range servedRoutes(f.app) {
		g := routeGuards[route]
		visitor.get("/login") // an anonymous session's CSRF token, so that the refusal is the login's
		before := dbFingerprint(t, f.app)
		p := f.request(t, visitor, route, true)
		switch g {
		case public:
			if p.status >= 500 {
				t.Errorf("%s (public): status %d", route, p.status)
			}
			continue
		case apiToken, webhook:
			if p.status != http.StatusUnauthorized {
				t.Errorf("%s without credentials: status %d, want 401", route, p.status)
			}
		default:
			location := p.header.Get("Location")
			if p.status != http.StatusSeeOther || !strings.HasPrefix(location, "/login") {
				t.Errorf("%s by a visitor: %d to %q, want 303 to the login page", route, p.status, location)
			}
		}
		if route != "POST /logout" && dbFingerprint(t, f.app) != before {
			t.Errorf("%s by a visitor changed the database", route)
		}
	}
}

// TestRouteAccessAcrossMerchants: merchant B's administrator gets 404 on every route naming
// one of merchant A's orders, connections, rules, users or tokens, and changes nothing.
func TestRouteAccessAcrossMerchants(t *testing.T) {
	f := newAccessFixture(t)
	other := f.logIn("admin@other.test")
	probed := 0
	for _, route := range servedRoutes(f.app) {
		g := routeGuards[route]
		if g < merchant || g == supportOnly || !f.namesData(route) {
			continue
		}
		probed++
		before := dbFingerprint(t, f.app)
		p := f.request(t, other, route, true)
		if p.status != http.StatusNotFound {
			t.Errorf("%s on merchant A's data by merchant B's admin: status %d, want 404", route, p.status)
		}
		if dbFingerprint(t, f.app) != before {
			t.Errorf("%s by merchant B's admin changed merchant A's data", route)
		}
	}
	if probed < 30 {
		t.Fatalf("only %d routes probed across merchants", probed)
	}
}

// TestRouteAccessByRole: staff cannot reach what only admins (or managers) may; support agents
// reach a merchant only after entering it, and only admins' own routes stay closed to them;
// support pages are closed to merchants' users.
func TestRouteAccessByRole(t *testing.T) {
	f := newAccessFixture(t)
	staff := f.logIn(f.staffEmail)
	adminA := f.logIn("admin@acme.test")
	outside := f.logIn(f.supportEmail) // a support agent who entered no merchant
	inside := f.logIn(f.supportEmail)
	enter := func() {
		inside.get("/support/")
		inside.post("/support/enter", url.Values{"merchant_id": {fmt.Sprint(f.merchantA.ID)}})
	}

	for _, route := range servedRoutes(f.app) {
		g := routeGuards[route]
		if g < loggedIn {
			continue
		}
		method, _, _ := strings.Cut(route, " ")

		// Staff of merchant A.
		before := dbFingerprint(t, f.app)
		p := f.request(t, staff, route, true)
		switch g {
		case manager, admin:
			if p.status != http.StatusForbidden {
				t.Errorf("%s by staff: status %d, want 403", route, p.status)
			}
			if dbFingerprint(t, f.app) != before {
				t.Errorf("%s by staff changed the database", route)
			}
		case supportOnly:
			if p.status != http.StatusNotFound {
				t.Errorf("%s by staff: status %d, want 404", route, p.status)
			}
		default:
			if refused(p) && !endsSession[route] {
				t.Errorf("%s by staff: refused with %d %q; staff may use it", route, p.status, p.header.Get("Location"))
			}
		}
		if g == supportOnly {
			if p := f.request(t, adminA, route, true); p.status != http.StatusNotFound {
				t.Errorf("%s by a merchant's admin: status %d, want 404", route, p.status)
			}
		}
		if endsSession[route] {
			staff = f.logIn(f.staffEmail)
			adminA = f.logIn("admin@acme.test")
		}

		// A support agent who entered no merchant is sent to the support page first.
		if g >= merchant && g != supportOnly {
			p := f.request(t, outside, route, true)
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/support" {
				t.Errorf("%s by a support agent outside any merchant: %d to %q, want 303 to /support", route, p.status, p.header.Get("Location"))
			}
		}

		// A support agent inside merchant A: admins' own routes stay closed; every change is
		// audited.
		if g < merchant || g == supportOnly {
			continue
		}
		enter()
		audits := countAudits(t, f.app)
		p = f.request(t, inside, route, true)
		switch {
		case g == admin:
			if p.status != http.StatusForbidden {
				t.Errorf("%s by a support agent: status %d, want 403", route, p.status)
			}
		case refused(p):
			t.Errorf("%s by a support agent inside the merchant: refused with %d %q", route, p.status, p.header.Get("Location"))
		}
		if method != http.MethodGet && countAudits(t, f.app) != audits+1 {
			t.Errorf("%s by a support agent left no audit event", route)
		}
	}
}

// TestRouteAccessWithoutCSRFToken: every form route refuses a post without the session's
// token, for visitors and logged-in people alike, and changes nothing.
func TestRouteAccessWithoutCSRFToken(t *testing.T) {
	f := newAccessFixture(t)
	adminA := f.logIn("admin@acme.test")
	probed := 0
	for _, route := range servedRoutes(f.app) {
		g := routeGuards[route]
		method, _, _ := strings.Cut(route, " ")
		if method == http.MethodGet || g == apiToken || g == webhook {
			continue
		}
		probed++
		before := dbFingerprint(t, f.app)
		p := f.request(t, adminA, route, false)
		if p.status != http.StatusForbidden {
			t.Errorf("%s without the CSRF token: status %d, want 403", route, p.status)
		}
		if dbFingerprint(t, f.app) != before {
			t.Errorf("%s without the CSRF token changed the database", route)
		}
	}
	if probed < 40 {
		t.Fatalf("only %d form routes probed", probed)
	}
}

// refused reports whether a guard turned the person away: the login or support page, or 403.
// (A 404 is not counted: a route the person may use answers it when an earlier probe removed
// the thing it names, such as a carrier rule deleted before it is moved.)
func refused(p *page) bool {
	if p.status == http.StatusForbidden {
		return true
	}
	location := p.header.Get("Location")
	return p.status == http.StatusSeeOther && (strings.HasPrefix(location, "/login") || location == "/support")
}

func countAudits(t *testing.T, app *testApp) int64 {
	t.Helper()
	var n int64
	if err := app.db.Gorm.Model(&models.AuditEvent{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// dbFingerprint is every row of every table orderhub keeps, as text, sorted: two equal
// fingerprints mean nothing was changed. Sessions, login failures and the job queue's own
// bookkeeping are left out.
func dbFingerprint(t *testing.T, app *testApp) string {
	t.Helper()
	tables, err := app.db.Gorm.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(tables)
	var out strings.Builder
	for _, table := range tables {
		if table == "sessions" || table == "login_failures" || table == "goose_db_version" || strings.HasPrefix(table, "river_") || strings.HasPrefix(table, "sqlite_") {
			continue
		}
		rows, err := app.db.Gorm.Raw("SELECT * FROM " + table).Rows()
		if err != nil {
			t.Fatal(err)
		}
		columns, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			values := make([]any, len(columns))
			pointers := make([]any, len(columns))
			for i := range values {
				pointers[i] = &values[i]
			}
			if err := rows.Scan(pointers...); err != nil {
				t.Fatal(err)
			}
			for i, v := range values {
				if b, ok := v.([]byte); ok {
					values[i] = string(b)
				}
			}
			lines = append(lines, fmt.Sprint(values...))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&out, "%s\n%s\n", table, strings.Join(lines, "\n"))
	}
	return out.String()
}
