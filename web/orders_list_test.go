package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

func rowRefs(p *page) []string {
	var refs []string
	p.doc.Find("#order-rows tr[data-order]").Each(func(_ int, s *goquery.Selection) {
		ref, _ := s.Attr("data-order")
		refs = append(refs, ref)
	})
	return refs
}

func TestOrderListTabsFiltersAndSearch(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	darty := app.apiConnection(m.ID, "Darty")
	ctx := context.Background()

	app.orderWithSKUs(fnac, "ACCEPT-1", models.StatusWaitingAcceptance, "A")
	app.orderWithSKUs(fnac, "PENDING-1", models.StatusWaitingShipment, "A")
	app.block(app.orderWithSKUs(fnac, "BLOCKED-1", models.StatusWaitingShipment, "A"), models.BlockedUnknownProduct, "SKU A unknown")
	toShip := app.orderWithSKUs(darty, "TOSHIP-1", models.StatusWaitingShipment, "A")
	err := app.db.Gorm.Transaction(func(tx *gorm.DB) error {
		return models.AcknowledgeOrder(ctx, tx, toShip, "WEB-77", "test", time.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	app.db.Gorm.Model(&models.Order{}).Where("id = ?", toShip.ID).Updates(map[string]any{"billing_email": "grace@example.test", "tracking_number": "1Z999AA1"})
	app.orderWithSKUs(darty, "SHIPPED-1", models.StatusShipped, "A")
	app.orderWithSKUs(darty, "CANCELLED-1", models.StatusCancelled, "A")
	theirs := app.apiConnection(other.ID, "Theirs")
	app.orderWithSKUs(theirs, "THEIRS-1", models.StatusWaitingAcceptance, "A")
	app.db.Gorm.Model(&models.Order{}).Where("marketplace_order_id = ?", "THEIRS-1").Update("billing_email", "grace@example.test")

	c := app.client()
	c.login("admin@acme.test", testPassword)
	list := c.get("/orders")
	expectStatus(t, list, http.StatusOK)
	wantCounts := map[string]string{"all": "6", "to_accept": "1", "blocked": "1", "to_ship": "1", "shipping": "0", "shipped": "1", "cancelled": "1"}
	for tab, want := range wantCounts {
		if got := list.text(fmt.Sprintf(`[data-tab=%s] .tab-count`, tab)); got != want {
			t.Errorf("tab %s counts %q, want %s", tab, got, want)
		}
	}
	if refs := rowRefs(list); len(refs) != 6 || refs[0] != "CANCELLED-1" || strings.Contains(list.body, "THEIRS-1") {
		t.Fatalf("all orders, newest first: %v", refs)
	}
	for tab, want := range map[string]string{"to_accept": "ACCEPT-1", "blocked": "BLOCKED-1", "to_ship": "TOSHIP-1", "shipped": "SHIPPED-1", "cancelled": "CANCELLED-1"} {
		if refs := rowRefs(c.get("/orders?tab=" + tab)); len(refs) != 1 || refs[0] != want {
			t.Errorf("tab %s lists %v, want %s", tab, refs, want)
		}
	}

	// Search: a whole reference, store reference, e-mail or tracking number in any case, or
	// the start of the buyer's name; never another merchant's.
	for q, want := range map[string]string{"toship-1": "TOSHIP-1", "web-77": "TOSHIP-1", "GRACE@example.TEST": "TOSHIP-1",
		"1z999aa1": "TOSHIP-1", "ada love": "", "Lovel": ""} {
		refs := rowRefs(c.get("/orders?q=" + strings.ReplaceAll(q, " ", "+")))
		if want == "" {
			if len(refs) != 6 {
				t.Errorf("search %q: %v, want every order (all buyers are Ada Lovelace)", q, refs)
			}
			continue
		}
		if len(refs) != 1 || refs[0] != want {
			t.Errorf("search %q: %v, want %s", q, refs, want)
		}
	}
	// Only the start of a name matches; a piece of a reference, an e-mail or a tracking
	// number does not.
	for _, q := range []string{"toship", "oship-1", "grace@", "example.test", "1z999", "lovelace ada", "ovelace"} {
		if refs := rowRefs(c.get("/orders?q=" + url.QueryEscape(q))); len(refs) != 0 {
			t.Errorf("search %q matched %v, want nothing", q, refs)
		}
	}
	if refs := rowRefs(c.get("/orders?q=100%25")); len(refs) != 0 {
		t.Errorf("a %% in the search matched %v", refs)
	}
	if refs := rowRefs(c.get("/orders?q=ada%25")); len(refs) != 0 {
		t.Errorf("a %% in a name search matched %v", refs)
	}
	filtered := c.get(fmt.Sprintf("/orders?connection=%d", fnac.ID))
	if refs := rowRefs(filtered); len(refs) != 3 || filtered.text("[data-tab=all] .tab-count") != "3" || filtered.text("[data-tab=to_ship] .tab-count") != "0" {
		t.Errorf("connection filter: %v, counts all %s", refs, filtered.text("[data-tab=all] .tab-count"))
	}
	// The live refresh keeps the tab and filters.
	rows := c.get(fmt.Sprintf("/orders/rows?tab=blocked&connection=%d", fnac.ID), "HX-Request", "true")
	if strings.Contains(rows.body, "<html") || !strings.Contains(rows.body, "BLOCKED-1") || strings.Contains(rows.body, "ACCEPT-1") {
		t.Fatalf("rows fragment: %s", rows.body)
	}
	if refresh, _ := c.get("/orders?tab=blocked").doc.Find("#order-rows").Attr("hx-get"); refresh != "/orders/rows?tab=blocked" {
		t.Fatalf("the list refreshes from %q", refresh)
	}
}

func TestOrderListPagesWithoutGapsOrRepeats(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	conn := app.apiConnection(m.ID, "Fnac")
	for i := 0; i < 53; i++ {
		app.orderWithSKUs(conn, fmt.Sprintf("P-%02d", i), models.StatusWaitingShipment, "A")
	}
	c := app.client()
	c.login("admin@acme.test", testPassword)
	first := c.get("/orders")
	next, ok := first.doc.Find("[data-testid=next-page]").Attr("href")
	if refs := rowRefs(first); len(refs) != 50 || refs[0] != "P-52" || !ok {
		t.Fatalf("first page: %d rows from %v, next %q", len(refs), refs[:1], next)
	}
	// An order arriving meanwhile does not shift the next page.
	app.orderWithSKUs(conn, "P-NEW", models.StatusWaitingShipment, "A")
	second := c.get(next)
	if refs := rowRefs(second); strings.Join(refs, " ") != "P-02 P-01 P-00" || second.doc.Find("[data-testid=next-page]").Length() != 0 {
		t.Fatalf("second page: %v", refs)
	}
	if _, live := second.doc.Find("#order-rows").Attr("hx-get"); live {
		t.Fatal("an older page refreshes itself (it would jump back to the newest orders)")
	}
}

// listOrder imports an order on the connection, then sets its columns as the test needs them
// (placed_at, states...), as if it had lived a while.
func (a *testApp) listOrder(c *models.Connection, marketplaceID string, columns map[string]any) *models.Order {
	a.t.Helper()
	o := a.orderWithSKUs(c, marketplaceID, models.StatusWaitingShipment, "A")
	if err := a.db.Gorm.Model(&models.Order{}).Where("id = ?", o.ID).Updates(columns).Error; err != nil {
		a.t.Fatal(err)
	}
	return o
}

func TestOrderListFiltersByStatesAndPlacedDates(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	day := func(d, hour, minute int) time.Time { return time.Date(2026, 3, d, hour, minute, 0, 0, time.UTC) }
	app.listOrder(fnac, "ACCEPT-1", map[string]any{"status": models.StatusWaitingAcceptance, "placed_at": day(1, 10, 0)})
	app.listOrder(fnac, "PENDING-1", map[string]any{"placed_at": day(2, 23, 59)})
	app.listOrder(fnac, "BLOCKED-1", map[string]any{"store_state": models.StoreBlocked, "placed_at": day(3, 0, 0)})
	app.listOrder(fnac, "SENT-1", map[string]any{"status": models.StatusWaitingShipment, "store_state": models.StoreImported,
		"shipment_state": models.ShipmentSent, "placed_at": day(4, 12, 0)})
	theirs := app.apiConnection(other.ID, "Theirs")
	app.listOrder(theirs, "THEIRS-1", map[string]any{"store_state": models.StoreBlocked, "shipment_state": models.ShipmentSent, "placed_at": day(2, 12, 0)})

	c := app.client()
	c.login("admin@acme.test", testPassword)
	for _, tc := range []struct {
		query  string
		rows   string            // the rows listed, newest first
		counts map[string]string // the tabs' counts, under the same filters
	}{
		{"status=waiting_shipment", "SENT-1 BLOCKED-1 PENDING-1", map[string]string{"all": "3", "to_accept": "0", "blocked": "1", "shipping": "1"}},
		{"status=waiting_acceptance", "ACCEPT-1", map[string]string{"all": "1", "to_accept": "1", "blocked": "0"}},
		{"store=blocked", "BLOCKED-1", map[string]string{"all": "1", "blocked": "1", "shipping": "0"}},
		{"store=imported", "SENT-1", map[string]string{"all": "1", "shipping": "1"}},
		{"shipment=sent", "SENT-1", map[string]string{"all": "1", "shipping": "1", "blocked": "0"}},
		{"shipment=none", "BLOCKED-1 PENDING-1 ACCEPT-1", map[string]string{"all": "3", "to_accept": "1", "shipping": "0"}},
		// Both days are included, whole UTC days: 23:59 on the 2nd is in, midnight on the 3rd out.
		{"from=2026-03-02&to=2026-03-02", "PENDING-1", map[string]string{"all": "1", "blocked": "0"}},
		{"from=2026-03-02", "SENT-1 BLOCKED-1 PENDING-1", map[string]string{"all": "3", "blocked": "1", "to_accept": "0"}},
		{"to=2026-03-03", "BLOCKED-1 PENDING-1 ACCEPT-1", map[string]string{"all": "3", "to_accept": "1", "shipping": "0"}},
		{"tab=blocked&from=2026-03-03&status=waiting_shipment", "BLOCKED-1", map[string]string{"all": "2", "blocked": "1", "shipping": "1"}},
	} {
		p := c.get("/orders?" + tc.query)
		expectStatus(t, p, http.StatusOK)
		if got := strings.Join(rowRefs(p), " "); got != tc.rows {
			t.Errorf("%s lists %q, want %q", tc.query, got, tc.rows)
		}
		for tab, want := range tc.counts {
			if got := p.text(fmt.Sprintf(`[data-tab=%s] .tab-count`, tab)); got != want {
				t.Errorf("%s: tab %s counts %s, want %s", tc.query, tab, got, want)
			}
		}
		if p.doc.Find("[data-testid=filter-notes]").Length() != 0 {
			t.Errorf("%s: a note about a filter: %s", tc.query, p.text("[data-testid=filter-notes]"))
		}
	}

	// The form shows the filters applied.
	p := c.get("/orders?status=waiting_shipment&store=blocked&shipment=none&from=2026-03-01&to=2026-03-31")
	for selector, want := range map[string]string{
		`select[name=status] option[selected]`:   "waiting_shipment",
		`select[name=store] option[selected]`:    "blocked",
		`select[name=shipment] option[selected]`: "none",
		`input[name=from]`:                       "2026-03-01",
		`input[name=to]`:                         "2026-03-31",
	} {
		if got, _ := p.doc.Find(selector).Attr("value"); got != want {
			t.Errorf("%s holds %q, want %q", selector, got, want)
		}
	}
	if got := p.doc.Find(`select[name=status] option`).Length(); got != len(models.OrderStatuses)+1 {
		t.Errorf("the status filter offers %d choices, want every status and any", got)
	}
}

func TestOrderListLeavesOutFiltersItCannotReadAndSaysWhich(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	app.orderWithSKUs(fnac, "ACCEPT-1", models.StatusWaitingAcceptance, "A")
	app.orderWithSKUs(fnac, "PENDING-1", models.StatusWaitingShipment, "A")
	c := app.client()
	c.login("admin@acme.test", testPassword)

	for query, want := range map[string][]string{
		"status=lost":                         {`Marketplace status "lost"`},
		"store=nowhere&shipment=flying":       {`Store state "nowhere"`, `Shipment state "flying"`},
		"from=2026-02-30":                     {`Placed from "2026-02-30" is not a date`},
		"to=yesterday":                        {`Placed to "yesterday" is not a date`},
		"from=2026-03-05&to=2026-03-01":       {"Placed from 2026-03-05 is after placed to 2026-03-01"},
		"test=maybe&connection=fnac":          {`Test orders "maybe"`, `Connection "fnac"`},
		"status=lost&store=blocked&tab=to_ok": {`Marketplace status "lost"`},
	} {
		p := c.get("/orders?" + strings.ReplaceAll(query, " ", "+"))
		expectStatus(t, p, http.StatusOK)
		notes := p.text("[data-testid=filter-notes]")
		for _, w := range want {
			if !strings.Contains(notes, w) {
				t.Errorf("%s: the notes %q do not say %q", query, notes, w)
			}
		}
		if strings.Count(notes, "left out") != len(want) {
			t.Errorf("%s: notes %q, want %d", query, notes, len(want))
		}
		refs := rowRefs(p)
		if strings.Contains(query, "store=blocked") {
			if len(refs) != 0 {
				t.Errorf("%s: the filter understood was not applied: %v", query, refs)
			}
		} else if len(refs) != 2 {
			t.Errorf("%s: the filters not understood narrowed the list to %v", query, refs)
		}
		// What was not understood is not carried along.
		tab, _ := p.doc.Find("[data-tab=all]").Attr("href")
		refresh, _ := p.doc.Find("#order-rows").Attr("hx-get")
		for _, link := range []string{tab, refresh} {
			if strings.Contains(link, "lost") || strings.Contains(link, "2026-02-30") || strings.Contains(link, "maybe") {
				t.Errorf("%s: %s keeps the filter not understood", query, link)
			}
		}
		if clear, _ := p.doc.Find(`a:contains("Clear filters")`).Attr("href"); clear == "" {
			t.Errorf("%s: no way to clear the filters", query)
		}
	}
}

func TestOrderListKeepsFiltersAcrossTabsPagesRefreshAndExport(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	for i := 0; i < 53; i++ {
		app.orderWithSKUs(fnac, fmt.Sprintf("P-%02d", i), models.StatusWaitingShipment, "A")
	}
	app.orderWithSKUs(fnac, "ACCEPT-1", models.StatusWaitingAcceptance, "A")
	c := app.client()
	c.login("admin@acme.test", testPassword)

	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")
	filters := "from=" + yesterday + "&shipment=none&status=waiting_shipment&store=pending"
	first := c.get("/orders?" + filters + "&tab=all")
	if refs := rowRefs(first); len(refs) != 50 || refs[0] != "P-52" {
		t.Fatalf("first page: %d rows from %v", len(refs), refs[:1])
	}
	next, _ := first.doc.Find("[data-testid=next-page]").Attr("href")
	tab, _ := first.doc.Find("[data-tab=to_ship]").Attr("href")
	refresh, _ := first.doc.Find("#order-rows").Attr("hx-get")
	export, _ := first.doc.Find("[data-testid=export-csv]").Attr("href")
	clear, _ := first.doc.Find(`a:contains("Clear filters")`).Attr("href")
	lastID := first.doc.Find("#order-rows tr[data-order]").Last().Find("a").AttrOr("href", "")
	for link, want := range map[string]string{
		next:    "/orders?before=" + strings.TrimPrefix(lastID, "/orders/") + "&" + filters,
		tab:     "/orders?" + filters + "&tab=to_ship",
		refresh: "/orders/rows?" + filters,
		export:  "/orders/export.csv?" + filters,
		clear:   "/orders",
	} {
		if link != want {
			t.Errorf("link %q, want %q", link, want)
		}
	}
	second := c.get(next)
	if refs := rowRefs(second); strings.Join(refs, " ") != "P-02 P-01 P-00" {
		t.Fatalf("second page, filtered: %v", refs)
	}
	// The export of a later page is still the whole list.
	if export, _ := second.doc.Find("[data-testid=export-csv]").Attr("href"); export != "/orders/export.csv?"+filters {
		t.Errorf("the second page exports %q", export)
	}
	if boost, _ := second.doc.Find("[data-testid=export-csv]").Attr("hx-boost"); boost != "false" {
		t.Errorf("the export link is boosted (%q): htmx would swap the file into the page", boost)
	}
	rows := inTable(t, c.get(refresh, "HX-Request", "true"))
	if refs := rowRefs(rows); len(refs) != 50 || strings.Contains(rows.body, "ACCEPT-1") {
		t.Fatalf("the refresh lists %d rows, or one the filters leave out", len(refs))
	}
	if again, _ := rows.doc.Find("#order-rows").Attr("hx-get"); again != refresh {
		t.Errorf("the refreshed rows refresh from %q, want %q", again, refresh)
	}
}

func TestOrderListRefreshFlashesRowsChangedSinceTheLastRender(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	changed := app.orderWithSKUs(fnac, "CHANGED-1", models.StatusWaitingShipment, "A")
	app.orderWithSKUs(fnac, "STILL-1", models.StatusWaitingShipment, "A")
	c := app.client()
	c.login("admin@acme.test", testPassword)

	since := func(p *page) string {
		t.Helper()
		var vals struct{ Since int64 }
		raw, _ := p.doc.Find("#order-rows").Attr("hx-vals")
		if err := json.Unmarshal([]byte(raw), &vals); err != nil || vals.Since == 0 {
			t.Fatalf("hx-vals %q: %v", raw, err)
		}
		return strconv.FormatInt(vals.Since, 10)
	}
	flashing := func(p *page) []string {
		var refs []string
		p.doc.Find("#order-rows tr.row-updated").Each(func(_ int, s *goquery.Selection) { refs = append(refs, s.AttrOr("data-order", "")) })
		return refs
	}
	list := c.get("/orders")
	tbody := list.doc.Find("#order-rows")
	for attr, want := range map[string]string{"hx-trigger": "every 3s", "hx-swap": "outerHTML", "hx-sync": "#order-list:abort"} {
		if got, _ := tbody.Attr(attr); got != want {
			t.Errorf("the rows' %s is %q, want %q", attr, got, want)
		}
	}
	if sync, _ := list.doc.Find("#order-list").Attr("hx-sync"); sync != "this:replace" {
		t.Errorf("the list's requests sync with %q", sync)
	}
	if got := flashing(list); len(got) != 0 {
		t.Errorf("the page flashes %v on its first render", got)
	}

	time.Sleep(5 * time.Millisecond) // the change is later than the render, to the millisecond
	if err := app.db.Gorm.Model(&models.Order{}).Where("id = ?", changed.ID).Update("tracking_number", "1Z999").Error; err != nil {
		t.Fatal(err)
	}
	rows := inTable(t, c.get("/orders/rows?since="+since(list), "HX-Request", "true"))
	if got := flashing(rows); strings.Join(got, " ") != "CHANGED-1" {
		t.Fatalf("the refresh flashes %v, want CHANGED-1", got)
	}
	updated, _ := strconv.ParseInt(rows.doc.Find("tr[data-order=CHANGED-1]").AttrOr("data-updated", ""), 10, 64)
	if previous, _ := strconv.ParseInt(since(list), 10, 64); updated <= previous {
		t.Errorf("data-updated %d is not after since %d", updated, previous)
	}
	// The next refresh sends this render's time: the row flashed once and rests.
	if again := inTable(t, c.get("/orders/rows?since="+since(rows), "HX-Request", "true")); len(flashing(again)) != 0 {
		t.Errorf("the row flashes again: %v", flashing(again))
	}
}

func TestOrderExportCSV(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	jp := app.apiConnection(m.ID, "Rakuten JP")
	app.listOrder(fnac, "EUR-1", map[string]any{"marketplace_reference": "=HYPERLINK(\"http://evil.test\")",
		"placed_at": time.Date(2026, 3, 2, 23, 59, 0, 0, time.UTC), "store_state": models.StoreImported, "store_order_id": "WEB-7",
		"shipment_state": models.ShipmentSent, "carrier_name": "Colissimo", "tracking_number": "+6A123",
		"shipping_first_name": "@Ada", "shipping_last_name": "Lovelace", "billing_email": "-ada@example.test",
		"total_amount": 2935, "test": true})
	app.listOrder(jp, "JPY-1", map[string]any{"currency": "JPY", "total_amount": 1500, "store_state": models.StoreBlocked})
	app.listOrder(app.apiConnection(other.ID, "Theirs"), "THEIRS-1", nil)

	c := app.client()
	c.login("admin@acme.test", testPassword)
	res := c.get("/orders/export.csv")
	expectStatus(t, res, http.StatusOK)
	wantDisposition := `attachment; filename="orders-` + time.Now().UTC().Format("20060102") + `.csv"`
	if got := res.header.Get("Content-Disposition"); got != wantDisposition {
		t.Errorf("Content-Disposition %q, want %q", got, wantDisposition)
	}
	if got := res.header.Get("Content-Type"); !strings.HasPrefix(got, "text/csv") {
		t.Errorf("Content-Type %q", got)
	}
	records := readCSV(t, res.body)
	wantHeader := "id,marketplace_order_id,marketplace_reference,connection,placed_at,status,store_state,store_order_id," +
		"shipment_state,carrier,tracking_number,buyer_name,buyer_email,shipping_country,total,currency,test"
	if got := strings.Join(records[0], ","); got != wantHeader {
		t.Fatalf("header %s", got)
	}
	if len(records) != 3 || records[1][1] != "JPY-1" || records[2][1] != "EUR-1" {
		t.Fatalf("the export holds %v, want JPY-1 and EUR-1 and not the other merchant's", records[1:])
	}
	eur := records[2][1:]
	want := []string{"EUR-1", `'=HYPERLINK("http://evil.test")`, "Fnac", "2026-03-02T23:59:00Z", "waiting_shipment", "imported",
		"WEB-7", "sent", "Colissimo", "'+6A123", "'@Ada Lovelace", "'-ada@example.test", "GB", "29.35", "EUR", "yes"}
	for i := range want {
		if eur[i] != want[i] {
			t.Errorf("column %s: %q, want %q", records[0][i+1], eur[i], want[i])
		}
	}
	if jpy := records[1]; jpy[14] != "1500" || jpy[15] != "JPY" || jpy[3] != "Rakuten JP" || jpy[16] != "no" {
		t.Errorf("the JPY order: %v", jpy)
	}

	// The tab and the filters narrow the export like the list.
	if got := readCSV(t, c.get("/orders/export.csv?tab=blocked").body); len(got) != 2 || got[1][1] != "JPY-1" {
		t.Errorf("the blocked tab exports %v", got[1:])
	}
	if got := readCSV(t, c.get("/orders/export.csv?shipment=sent&to=2026-03-02").body); len(got) != 2 || got[1][1] != "EUR-1" {
		t.Errorf("the filtered export holds %v", got[1:])
	}
	if got := readCSV(t, c.get(fmt.Sprintf("/orders/export.csv?connection=%d&test=no", fnac.ID)).body); len(got) != 1 {
		t.Errorf("an export with no order holds %v", got)
	}
}

func TestOrderExportCSVHoldsEveryOrderNotOnlyOneBatch(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	other, _ := app.signUp("Other", "admin@other.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	theirs := app.apiConnection(other.ID, "Theirs")
	// More orders than two batches of the export (1000), inserted at once.
	const count = 2050
	var orders []models.Order
	for i := 0; i < count; i++ {
		conn := fnac
		if i%100 == 99 {
			conn = theirs
		}
		orders = append(orders, models.Order{MerchantID: conn.MerchantID, ConnectionID: conn.ID, MarketplaceOrderID: fmt.Sprintf("B-%04d", i),
			Status: models.StatusShipped, StoreState: models.StoreImported, ShipmentState: models.ShipmentConfirmed,
			PlacedAt: time.Now(), MarketplaceUpdatedAt: time.Now(), Currency: "EUR", TotalAmount: int64(i)})
	}
	if err := app.db.Gorm.CreateInBatches(&orders, 200).Error; err != nil {
		t.Fatal(err)
	}
	c := app.client()
	c.login("admin@acme.test", testPassword)
	records := readCSV(t, c.get("/orders/export.csv?tab=shipped").body)[1:]
	if len(records) != count-count/100 {
		t.Fatalf("%d orders exported, want %d", len(records), count-count/100)
	}
	previous := int64(1 << 62)
	for _, r := range records {
		id, _ := strconv.ParseInt(r[0], 10, 64)
		if id >= previous || r[3] != "Fnac" {
			t.Fatalf("order %v after id %d: not newest first, repeated, or another merchant's", r, previous)
		}
		previous = id
	}
}

// inTable parses the live rows' fragment (a tbody) inside a table, where HTML lets it stand.
func inTable(t *testing.T, p *page) *page {
	t.Helper()
	if !strings.HasPrefix(p.body, "<tbody") {
		t.Fatalf("the rows fragment is not a tbody: %.200s", p.body)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<table>" + p.body + "</table>"))
	if err != nil {
		t.Fatal(err)
	}
	p.doc = doc
	return p
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("not a CSV with a header (%v):\n%s", err, body)
	}
	return records
}

// TestBrowserOrderListRefreshKeepsFocusAndSelection follows the live rows in Chromium: a
// changed row flashes, the keyboard focus on a row link survives the refresh, and a text
// selection in the rows holds the refresh off until it is gone.
func TestBrowserOrderListRefreshKeepsFocusAndSelection(t *testing.T) {
	ctx := newBrowser(t)
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	focused := app.orderWithSKUs(fnac, "FOCUS-1", models.StatusWaitingShipment, "A")
	changed := app.orderWithSKUs(fnac, "CHANGED-1", models.StatusWaitingShipment, "A")
	selected := app.orderWithSKUs(fnac, "SELECTED-1", models.StatusWaitingShipment, "A")
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }
	touch := func(o *models.Order) {
		t.Helper()
		if err := app.db.Gorm.Model(&models.Order{}).Where("id = ?", o.ID).Update("tracking_number", "1Z"+o.MarketplaceOrderID).Error; err != nil {
			t.Fatal(err)
		}
	}
	eval := func(script string) bool {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script))
		if err != nil {
			t.Fatalf("%s: %v", script, err)
		}
		return ok
	}
	flashing := func(ref string) string {
		return fmt.Sprintf(`!!document.querySelector('tr[data-order=%q].row-updated')`, ref)
	}
	focusID := fmt.Sprintf("order-link-%d", focused.ID)

	do(t, ctx,
		chromedp.Navigate(app.base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), "admin@acme.test"),
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
		chromedp.Navigate(app.base+"/orders"),
		chromedp.WaitVisible(css(`tr[data-order="SELECTED-1"]`)),
	)
	if !eval(fmt.Sprintf(`document.getElementById(%q).focus(), document.activeElement.id === %q`, focusID, focusID)) {
		t.Fatal("could not focus the row link")
	}
	touch(changed)
	do(t, ctx, chromedp.Poll[chromedp.Void](flashing("CHANGED-1"), chromedp.WithPollingTimeout(10*time.Second)))
	if !eval(fmt.Sprintf(`document.activeElement.id === %q`, focusID)) {
		active, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 80)`))
		t.Errorf("after the refresh the focus is on %s, not on #%s", active, focusID)
	}
	if eval(flashing("FOCUS-1")) || eval(flashing("SELECTED-1")) {
		t.Error("rows that did not change flash")
	}

	// Select a cell's text, then change its order: no refresh replaces the rows meanwhile.
	eval(`(() => {
		const cell = document.querySelector('tr[data-order="SELECTED-1"] td');
		const range = document.createRange();
		range.selectNodeContents(cell);
		getSelection().removeAllRanges();
		getSelection().addRange(range);
		window.selectedRow = cell.parentElement;
		return true;
	})()`)
	touch(selected)
	time.Sleep(4 * time.Second) // more than one refresh period
	if !eval(`document.contains(window.selectedRow) && getSelection().toString().includes("SELECTED-1")`) {
		t.Error("the refresh replaced the rows while text was selected in them")
	}
	eval(`getSelection().removeAllRanges(), true`)
	do(t, ctx, chromedp.Poll[chromedp.Void](flashing("SELECTED-1"), chromedp.WithPollingTimeout(10*time.Second)))
}
