package pagebench

import (
	"context"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

var testConfig = models.Config{
	SecretKey: []byte("0123456789abcdef0123456789abcdef"),
	BaseURL:   "http://127.0.0.1",
	APIRate:   1000,
}

func TestSeedNeedsPostgreSQL(t *testing.T) {
	if testdb.URL() != "" {
		t.Skip("runs on SQLite (TEST_DATABASE_URL is set)")
	}
	db := testdb.Open(t)
	_, err := Seed(context.Background(), db, SeedOptions{Orders: 10})
	if err == nil || !strings.Contains(err.Error(), "seeding needs PostgreSQL: set DATABASE_URL") {
		t.Fatalf("Seed on SQLite: got %v, want the PostgreSQL message", err)
	}
}

func TestSeededPagesAreTimedAndKeepMerchantsApart(t *testing.T) {
	if testdb.URL() == "" {
		t.Skip("seeding needs PostgreSQL: set TEST_DATABASE_URL")
	}
	ctx := context.Background()
	db := testdb.Open(t)
	seeded, err := Seed(ctx, db, SeedOptions{Orders: 5000, Connections: 5, Merchants: 2, Out: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if len(seeded.Merchants) != 2 || seeded.Blocked == 0 || seeded.Lines < 5000 || seeded.Events < 5000 {
		t.Fatalf("seeded %+v", seeded)
	}
	if _, err := Seed(ctx, db, SeedOptions{Orders: 10}); err == nil || !strings.Contains(err.Error(), "already holds orders") {
		t.Fatalf("seeding twice: got %v, want a refusal", err)
	}

	var out strings.Builder
	report, err := Run(ctx, testConfig, db, Options{Requests: 5, Out: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	if len(report.Pages) < 15 {
		t.Fatalf("%d pages timed, want every page", len(report.Pages))
	}
	for _, p := range report.Pages {
		if p.Requests != 5 || p.P50 <= 0 || p.P95 < p.P50 || p.Max < p.P95 || p.RoundTripP95 <= 0 {
			t.Errorf("page %q has no proper figures: %+v", p.Name, p)
		}
	}

	// Merchant 1's search must not find merchant 2's orders.
	var other struct {
		ID                   int64
		MarketplaceReference string
	}
	if err := db.Gorm.Raw(`SELECT id, marketplace_reference FROM orders WHERE merchant_id = ? AND marketplace_reference <> ''
		ORDER BY id DESC LIMIT 1`, seeded.Merchants[1].ID).Scan(&other).Error; err != nil || other.ID == 0 {
		t.Fatalf("no order of merchant 2: %v", err)
	}
	srv, err := startServer(ctx, testConfig, db)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	s, err := srv.login(seeded.Merchants[0].Email, seeded.Merchants[0].Password)
	if err != nil {
		t.Fatal(err)
	}
	status, body, _, err := s.get("/orders?q=" + url.QueryEscape(other.MarketplaceReference))
	if err != nil || status != 200 {
		t.Fatalf("searching: status %d, %v", status, err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Find("#order-rows").Length() == 0 {
		t.Fatalf("the search page has no order list:\n%s", body)
	}
	if doc.Find("#order-link-"+strconv.FormatInt(other.ID, 10)).Length() > 0 ||
		strings.Contains(doc.Find("#order-rows").Text(), other.MarketplaceReference) {
		t.Errorf("merchant 1's search lists merchant 2's order %s", other.MarketplaceReference)
	}
	// The same search as merchant 2 finds it, so the absence above is not an empty search.
	s2, err := srv.login(seeded.Merchants[1].Email, seeded.Merchants[1].Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, body, _, _ := s2.get("/orders?q=" + url.QueryEscape(other.MarketplaceReference)); !strings.Contains(body, `id="order-link-`+strconv.FormatInt(other.ID, 10)+`"`) {
		t.Errorf("merchant 2's search does not find its own order %s", other.MarketplaceReference)
	}
}
