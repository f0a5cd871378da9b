package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/orderhub/orderhub/models"
)

// dashboardSet moves an order's columns where a test needs them, as the engine would have.
func (a *testApp) dashboardSet(o *models.Order, columns map[string]any) {
	a.t.Helper()
	if err := a.db.Gorm.Model(&models.Order{}).Where("id = ?", o.ID).Updates(columns).Error; err != nil {
		a.t.Fatal(err)
	}
}

// dashboardToday waits out the last minute of a UTC day, so that the test and the page agree
// on which day is today, and returns now and today's midnight.
func dashboardToday() (now, today time.Time) {
	now = time.Now().UTC()
	tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	if left := tomorrow.Sub(now); left < time.Minute {
		time.Sleep(left + time.Second)
		now = time.Now().UTC()
	}
	return now, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

func dashboardHrefs(s *goquery.Selection) []string {
	var links []string
	s.Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		links = append(links, href)
	})
	return links
}

func TestDashboardShowsTheMerchantsOrdersDeadlinesAndConnections(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	now, today := dashboardToday()
	tomorrow := today.AddDate(0, 0, 1)
	daysAgo := func(n int) time.Time { return today.AddDate(0, 0, -n).Add(12 * time.Hour) }

	m, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Globex", "admin@globex.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	darty := app.apiConnection(m.ID, "Darty")
	draft := models.NewConnection(m.ID, "Cdiscount", "mirakl")
	lastPoll := now.Add(-2 * time.Minute)
	fnac.LastPollAt = &lastPoll
	darty.LastPollAt, darty.LastPollError = &lastPoll, "The marketplace refused the API key (401 Unauthorized)."
	for _, c := range []*models.Connection{fnac, darty, draft} {
		if err := models.SaveConnection(ctx, app.db.Gorm, c); err != nil {
			t.Fatal(err)
		}
	}

	app.orderWithSKUs(fnac, "ACCEPT", models.StatusWaitingAcceptance, "A") // placed now
	blocked := app.orderWithSKUs(fnac, "BLOCKED", models.StatusWaitingShipment, "A")
	app.block(blocked, models.BlockedUnknownProduct, "SKU A matches no product of the store.")
	app.dashboardSet(blocked, map[string]any{"placed_at": daysAgo(1)})
	late := app.orderWithSKUs(darty, "LATE", models.StatusWaitingShipment, "A")
	app.dashboardSet(late, map[string]any{"store_state": models.StoreImported, "ship_by": now.Add(-3 * time.Hour), "placed_at": daysAgo(2)})
	dueToday := app.orderWithSKUs(fnac, "TODAY", models.StatusWaitingShipment, "A")
	app.dashboardSet(dueToday, map[string]any{"store_state": models.StoreImported, "ship_by": now.Add(tomorrow.Sub(now) / 2), "placed_at": daysAgo(2)})
	later := app.orderWithSKUs(fnac, "LATER", models.StatusWaitingShipment, "A")
	app.dashboardSet(later, map[string]any{"store_state": models.StoreImported, "ship_by": tomorrow.Add(12 * time.Hour), "placed_at": daysAgo(5)})
	shipping := app.orderWithSKUs(darty, "SHIPPING", models.StatusWaitingShipment, "A")
	app.dashboardSet(shipping, map[string]any{"store_state": models.StoreImported, "shipment_state": models.ShipmentReady,
		"ship_by": now.Add(-time.Hour), "placed_at": daysAgo(1)})
	shipped := app.orderWithSKUs(darty, "SHIPPED", models.StatusShipped, "A")
	app.dashboardSet(shipped, map[string]any{"store_state": models.StoreImported, "shipment_state": models.ShipmentConfirmed,
		"ship_by": now.Add(-48 * time.Hour), "placed_at": daysAgo(20)})
	theirs := app.apiConnection(other.ID, "Theirs")
	app.orderWithSKUs(theirs, "THEIRS-ACCEPT", models.StatusWaitingAcceptance, "A")
	theirsLate := app.orderWithSKUs(theirs, "THEIRS-LATE", models.StatusWaitingShipment, "A")
	app.dashboardSet(theirsLate, map[string]any{"store_state": models.StoreImported, "ship_by": now.Add(-time.Hour)})
	app.block(app.orderWithSKUs(theirs, "THEIRS-BLOCKED", models.StatusWaitingShipment, "A"), models.BlockedOutOfStock, "No stock.")

	c := app.client()
	c.login("admin@acme.test", testPassword)
	p := c.get("/dashboard")
	expectStatus(t, p, http.StatusOK)
	if strings.Contains(p.body, "THEIRS-") || strings.Contains(p.body, "Theirs") {
		t.Fatal("the dashboard shows another merchant's orders or connections")
	}

	// Counts by state, each linked to its tab of the order list; blocked also to the error queue.
	for state, want := range map[string]string{"to_accept": "1", "blocked": "1", "to_ship": "3", "shipping": "1"} {
		card := p.doc.Find(fmt.Sprintf(`[data-state=%s]`, state))
		if got := strings.TrimSpace(card.Find(".stat").Text()); got != want {
			t.Errorf("%s counts %q, want %s", state, got, want)
		}
		if link, _ := card.Find("a").First().Attr("href"); link != "/orders?tab="+state {
			t.Errorf("%s links to %q", state, link)
		}
	}
	if links := dashboardHrefs(p.doc.Find(`[data-state=blocked] a`)); len(links) != 2 || links[1] != "/errors" {
		t.Errorf("blocked card links %v, want the tab and /errors", links)
	}

	// Deadlines: overdue (the most late first, ready-to-send included) and due later today.
	overdue := p.doc.Find("[data-deadline=overdue]")
	if got := overdue.Find(".dash-deadline-count").Text(); got != "2" {
		t.Errorf("overdue count %q, want 2", got)
	}
	wantOverdue := []string{fmt.Sprintf("/orders/%d", late.ID), fmt.Sprintf("/orders/%d", shipping.ID)}
	if links := dashboardHrefs(overdue.Find(".dash-orders a")); strings.Join(links, " ") != strings.Join(wantOverdue, " ") {
		t.Errorf("overdue lists %v, want %v", links, wantOverdue)
	}
	dueTodayPanel := p.doc.Find("[data-deadline=due-today]")
	if got, links := dueTodayPanel.Find(".dash-deadline-count").Text(), dashboardHrefs(dueTodayPanel.Find(".dash-orders a")); got != "1" ||
		len(links) != 1 || links[0] != fmt.Sprintf("/orders/%d", dueToday.ID) {
		t.Errorf("due today: count %q, links %v, want TODAY", got, links)
	}

	// The chart: 14 days, today last, bars stacked per connection.
	days := p.doc.Find("svg.chart[role=img] g.chart-day")
	if days.Length() != models.DashboardDays || p.doc.Find("svg.chart title#chart-title").Length() != 1 {
		t.Fatalf("%d days in the chart, want %d, with a title", days.Length(), models.DashboardDays)
	}
	if last, _ := days.Last().Attr("data-day"); last != today.Format("2006-01-02") {
		t.Errorf("the chart ends on %s, want today %s", last, today.Format("2006-01-02"))
	}
	type bars struct{ total, fnac, darty string }
	wantDays := map[int]bars{0: {"1", "1", ""}, 1: {"2", "1", "1"}, 2: {"2", "1", "1"}, 3: {"0", "", ""}, 5: {"1", "1", ""}, 13: {"0", "", ""}}
	for ago, want := range wantDays {
		day := p.doc.Find(fmt.Sprintf(`g.chart-day[data-day="%s"]`, today.AddDate(0, 0, -ago).Format("2006-01-02")))
		count := func(c *models.Connection) string {
			n, _ := day.Find(fmt.Sprintf("rect[data-connection=\"%d\"]", c.ID)).Attr("data-count")
			return n
		}
		total, _ := day.Attr("data-count")
		if got := (bars{total, count(fnac), count(darty)}); got != want {
			t.Errorf("%d days ago: %+v, want %+v", ago, got, want)
		}
	}
	if rows := p.doc.Find("details.chart-data tbody tr").Length(); rows != models.DashboardDays {
		t.Errorf("the numbers table has %d rows", rows)
	}
	if legend := p.text(".legend"); !strings.Contains(legend, "Fnac") || !strings.Contains(legend, "Darty") {
		t.Errorf("legend %q", legend)
	}

	// Connections: state, last sync and health, each linked to its page.
	health := func(c *models.Connection) (kind, text string) {
		row := p.doc.Find(fmt.Sprintf(`.dash-connections li[data-connection="%d"]`, c.ID))
		if link, _ := row.Find("a").First().Attr("href"); link != fmt.Sprintf("/connections/%d", c.ID) {
			t.Errorf("%s links to %q", c.Name, link)
		}
		kind, _ = row.Find("[data-health]").Attr("data-health")
		return kind, strings.Join(strings.Fields(row.Text()), " ")
	}
	if kind, text := health(darty); kind != "error" || !strings.Contains(text, darty.LastPollError) ||
		!strings.Contains(text, "Check the credentials in the connection's settings") {
		t.Errorf("Darty's health: %s %q", kind, text)
	}
	if kind, text := health(fnac); kind != "ok" || !strings.Contains(text, "Active") || !strings.Contains(text, "2 min ago") {
		t.Errorf("Fnac's health: %s %q", kind, text)
	}
	if kind, text := health(draft); kind != "idle" || !strings.Contains(text, "Draft") || !strings.Contains(text, "never") {
		t.Errorf("Cdiscount's health: %s %q", kind, text)
	}

	// The other merchant's dashboard counts only its own orders.
	g := app.client()
	g.login("admin@globex.test", testPassword)
	theirPage := g.get("/dashboard")
	for state, want := range map[string]string{"to_accept": "1", "blocked": "1", "to_ship": "1", "shipping": "0"} {
		if got := theirPage.text(fmt.Sprintf(`[data-state=%s] .stat`, state)); got != want {
			t.Errorf("Globex %s counts %q, want %s", state, got, want)
		}
	}
	if got := theirPage.text("[data-deadline=overdue] .dash-deadline-count"); got != "1" || strings.Contains(theirPage.body, "Fnac") {
		t.Errorf("Globex overdue %q, or it sees Acme's connections", got)
	}
}

func TestDashboardSaysWhatToDoWhenThereIsNothingYet(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)

	p := c.get("/dashboard")
	expectStatus(t, p, http.StatusOK)
	start := p.doc.Find("[data-testid=no-connection] a")
	if href, _ := start.Attr("href"); href != "/connections/new" || strings.TrimSpace(start.Text()) != "Create your first connection" {
		t.Fatalf("no connection yet: link %q %q", href, start.Text())
	}

	app.addUser(m.ID, "staff@acme.test", models.RoleStaff)
	staff := app.client()
	staff.login("staff@acme.test", testPassword)
	p = staff.get("/dashboard")
	if !strings.Contains(p.text("[data-testid=no-connection]"), "Ask an administrator") || strings.Contains(p.body, "/connections/new") {
		t.Fatalf("staff, who cannot create connections: %s", p.text("main"))
	}

	app.apiConnection(m.ID, "Fnac")
	p = c.get("/dashboard")
	if p.doc.Find("[data-testid=no-connection]").Length() != 0 || p.text("[data-testid=chart-empty]") == "" {
		t.Fatalf("a connection without orders: %s", p.text("main"))
	}
	if p.text("[data-state=to_accept] .stat") != "0" || p.text("[data-deadline=overdue] .muted") != "Nothing is late." {
		t.Fatalf("counts with no orders: %s", p.text("main"))
	}
}

// Past models.OrderTabCountCap a count reads "1000+", on the order list's tabs and on the
// dashboard, whose overdue list says how many more there are beyond the orders it names.
func TestCountsPastTheCapShowAsThousandPlus(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	now, _ := dashboardToday()
	yesterday := now.Add(-24 * time.Hour)
	const count = models.OrderTabCountCap + 5
	orders := make([]models.Order, count)
	for i := range orders {
		orders[i] = models.Order{MerchantID: m.ID, ConnectionID: fnac.ID, MarketplaceOrderID: fmt.Sprintf("LATE-%04d", i),
			Status: models.StatusWaitingShipment, StoreState: models.StoreImported, ShipmentState: models.ShipmentNone,
			PlacedAt: now.Add(-48 * time.Hour), MarketplaceUpdatedAt: now, ShipBy: &yesterday, Currency: "EUR", TotalAmount: 990}
	}
	if err := app.db.Gorm.CreateInBatches(&orders, 200).Error; err != nil {
		t.Fatal(err)
	}
	c := app.client()
	c.login("admin@acme.test", testPassword)

	list := c.get("/orders?tab=to_ship")
	for tab, want := range map[string]string{"all": "1000+", "to_ship": "1000+", "to_accept": "0", "shipped": "0"} {
		if got := strings.TrimSpace(list.doc.Find(`nav.tabs a[data-tab="` + tab + `"] .tab-count`).Text()); got != want {
			t.Errorf("tab %s counts %q, want %q", tab, got, want)
		}
	}

	dash := c.get("/dashboard")
	if got := strings.TrimSpace(dash.doc.Find(`[data-state="to_ship"] .stat`).Text()); got != "1000+" {
		t.Errorf("dashboard's to-ship count reads %q, want 1000+", got)
	}
	overdue := dash.doc.Find(`[data-deadline="overdue"]`)
	if got := strings.TrimSpace(overdue.Find(".dash-deadline-count").Text()); got != "1000+" {
		t.Errorf("overdue count reads %q, want 1000+", got)
	}
	named := overdue.Find(".dash-orders li").Length()
	if named == 0 {
		t.Fatal("the overdue panel names no order")
	}
	want := fmt.Sprintf("and %d+ more", models.OrderTabCountCap-named)
	if got := strings.TrimSpace(overdue.Find("p.muted").Last().Text()); got != want {
		t.Errorf("overdue panel ends with %q, want %q", got, want)
	}
}
