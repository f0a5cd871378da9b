package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// Every page about a connection, and every "test connection" answer, shows its credentials
// masked at most, never whole.
func TestNoConnectionPageShowsASecret(t *testing.T) {
	const (
		apiKey         = "mk-live-4f9a2c71d0e8"
		consumerKey    = "ck_5d1e9a0b7c3f2e4a61"
		consumerSecret = "cs_8c2b6f1e0d9a7b3c52"
		refusedKey     = "mk-live-refused-93e1"
	)
	secrets := []string{apiKey, consumerKey, consumerSecret, refusedKey}
	marketplace := mirakl.NewFake(apiKey)
	marketplaceServer := httptest.NewServer(marketplace.Handler())
	t.Cleanup(marketplaceServer.Close)
	store := woocommerce.NewFake(consumerKey, consumerSecret)
	store.AddProduct(woocommerce.ProductSpec{Name: "Ceramic mug", SKU: "MUG-BLUE-350", RegularPrice: "12.90", ManageStock: true, StockQuantity: 20})
	storeServer := httptest.NewServer(store.Handler())
	t.Cleanup(storeServer.Close)

	db := testdb.Open(t)
	runner := workingJobs(t, db)
	app := serve(t, db, runner)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.login("admin@acme.test", testPassword)
	ctx := context.Background()
	sealer, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	conn := models.NewConnection(m.ID, "Fnac FR", "mirakl")
	conn.Country, conn.StoreKind = "FR", "woocommerce"
	conn.MarketplaceSettings = fmt.Sprintf(`{"base_url":%q}`, marketplaceServer.URL)
	conn.StoreSettings = fmt.Sprintf(`{"base_url":%q}`, storeServer.URL)
	conn.DefaultCarrierCode, conn.DefaultCarrierName = "GLS", "GLS"
	if err := conn.SetMarketplaceCredentials(sealer, models.Credentials{"api_key": apiKey}); err != nil {
		t.Fatal(err)
	}
	if err := conn.SetStoreCredentials(sealer, models.Credentials{"consumer_key": consumerKey, "consumer_secret": consumerSecret}); err != nil {
		t.Fatal(err)
	}
	if err := conn.Activate(time.Now().Add(-time.Hour), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveConnection(ctx, db.Gorm, conn); err != nil {
		t.Fatal(err)
	}
	// A sync, so that the connection's page lists its exchanges.
	if err := db.Gorm.Transaction(func(tx *gorm.DB) error { return runner.SyncNow(ctx, tx, conn.ID) }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		runs, err := models.RecentSyncRuns(ctx, db.Gorm, m.ID, conn.ID, 5)
		if err == nil && len(runs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no sync ran: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	expectNoSecret := func(what string, p *page) {
		t.Helper()
		if p.status >= 500 {
			t.Errorf("%s: status %d", what, p.status)
		}
		for _, secret := range secrets {
			for _, form := range []string{secret, html.EscapeString(secret), url.QueryEscape(secret)} {
				if strings.Contains(p.body, form) {
					t.Errorf("%s shows the secret %q", what, secret)
				}
			}
		}
	}
	base := fmt.Sprintf("/connections/%d", conn.ID)
	paths := []string{"/connections", base, base + "/settings", base + "/setup/catalogue",
		base + "/carriers/test?tracking=1Z999AA10123456784", base + "/test-orders"}
	for _, step := range models.SetupSteps {
		paths = append(paths, base+"/setup/"+step.Key)
	}
	for _, path := range paths {
		expectNoSecret("GET "+path, c.get(path))
	}
	// The credentials step shows what is saved, masked: proof the page was about these.
	if step := c.get(base + "/setup/credentials"); !strings.Contains(step.body, html.EscapeString(models.Mask(apiKey))) {
		t.Fatalf("the credentials step does not show the saved key masked (%q): %s", models.Mask(apiKey), step.text("form"))
	}

	// "Test connection" with the saved credentials, then with a key the marketplace refuses.
	ok := c.post(base+"/setup/credentials", url.Values{"test": {"1"}})
	expectNoSecret("testing the saved marketplace credentials", ok)
	refused := c.post(base+"/setup/credentials", url.Values{"test": {"1"}, "c_api_key": {refusedKey}})
	expectNoSecret("testing refused marketplace credentials", refused)
	if ok.body == refused.body {
		t.Fatal("the saved and the refused key got the same answer: the test proves nothing")
	}
	storeCheck := c.post(base+"/setup/store", url.Values{"test": {"1"}, "store_kind": {"woocommerce"},
		"s_base_url": {storeServer.URL}, "c_consumer_secret": {refusedKey}})
	expectNoSecret("testing refused store credentials", storeCheck)
}

// A session cookie made under one secret key keeps its user logged in after every process
// restarts with a new key and the old one among the previous keys, and only then.
func TestSessionsSurviveAKeyRotation(t *testing.T) {
	keyA := []byte("A0123456789abcdef0123456789abcde")
	keyB := []byte("B0123456789abcdef0123456789abcde")
	db := testdb.Open(t)
	runner, err := jobs.New(db, jobs.Options{Logger: quietLogger(), NoPeriodic: true})
	if err != nil {
		t.Fatal(err)
	}
	before := serve(t, db, runner, func(cfg *models.Config) { cfg.SecretKey = keyA })
	before.signUp("Acme", "admin@acme.test")
	login := before.client()
	if p := login.login("admin@acme.test", testPassword); p.status != http.StatusSeeOther {
		t.Fatalf("login: status %d", p.status)
	}
	cookieA := login.sessionCookie()
	if p := login.get("/connections"); p.status != http.StatusOK || cookieA == "" {
		t.Fatalf("logged in under key A: status %d", p.status)
	}

	rotated := serve(t, db, runner, func(cfg *models.Config) { cfg.SecretKey, cfg.PreviousSecretKeys = keyB, [][]byte{keyA} })
	if p := rotated.clientWithSession(cookieA).get("/connections"); p.status != http.StatusOK {
		t.Fatalf("under key B with previous key A: status %d, to %q", p.status, p.header.Get("Location"))
	}

	dropped := serve(t, db, runner, func(cfg *models.Config) { cfg.SecretKey, cfg.PreviousSecretKeys = keyB, nil })
	if p := dropped.clientWithSession(cookieA).get("/connections"); p.status == http.StatusOK {
		t.Fatal("a cookie made under key A still logs in once key A is dropped")
	}
}

// clientWithSession is a browser holding only the given session cookie.
func (a *testApp) clientWithSession(value string) *client {
	c := a.client()
	u, _ := url.Parse(a.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "orderhub_session", Value: value, Path: "/"}})
	return c
}
