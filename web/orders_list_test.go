package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
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

	// Search: references, store reference, buyer, e-mail, tracking; never another merchant's.
	for q, want := range map[string]string{"toship": "TOSHIP-1", "web-77": "TOSHIP-1", "GRACE@": "TOSHIP-1", "1z999": "TOSHIP-1", "ada love": ""} {
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
	if refs := rowRefs(c.get("/orders?q=100%25")); len(refs) != 0 {
		t.Errorf("a %% in the search matched %v", refs)
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
