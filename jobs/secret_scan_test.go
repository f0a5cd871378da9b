package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// The credentials of every connector reach neither the logs nor any column but the two sealed
// ones, through successful exchanges, server errors and refused credentials alike.
func TestSecretsReachNeitherLogsNorTables(t *testing.T) {
	pairs := []struct {
		name   string
		market func(t *testing.T) *market
		shop   func(t *testing.T) *shop
	}{
		{"mirakl-woocommerce", openMirakl, openWoo},
		{"bol-shopify", openBol, openShopify},
		{"amazon-prestashop", openAmazon, openPrestaShop},
		{"mirakl-magento", openMirakl, openMagento},
		{"bol-vendure", openBol, func(t *testing.T) *shop { return openVendureAs(t, "orderhub", "vendure-admin-password-4711") }},
	}
	for _, pair := range pairs {
		t.Run(pair.name, func(t *testing.T) {
			t.Parallel() // each has its own database and fakes
			scanSecrets(t, newFlowBetween(t, withFaults(t, pair.market(t)), withoutSecretSettings(t, pair.shop(t))))
		})
	}
}

func scanSecrets(t *testing.T, f *flow) {
	ctx := context.Background()
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.runner = f.newRunnerLogging(logger)
	secrets := secretValues(f.market.kind, f.market.credentials, jobs.MarketplaceKindList())
	secrets = append(secrets, secretValues(f.shop.kind, f.shop.credentials, jobs.StoreKindList())...)
	if len(secrets) < 2 {
		t.Fatalf("only %d secrets to look for: %v", len(secrets), secrets)
	}

	// A full round trip.
	f.start()
	first := f.market.addOrder(newOrder{n: 0})
	o := f.waitForOrder(first, "in the store", imported)
	if err := f.shop.ship(f.storeOrder(o), "UPS", "1Z999AA10123456784"); err != nil {
		t.Fatal(err)
	}
	f.waitForOrder(first, "confirmed", confirmed)

	// Server errors on both sides, retried until they pass.
	var marketFailed, storeFailed atomic.Int32
	f.market.faults.FailNext(func(*http.Request) bool { marketFailed.Add(1); return true }, 2, http.StatusInternalServerError)
	f.shop.faults.FailNext(func(*http.Request) bool { storeFailed.Add(1); return true }, 2, http.StatusInternalServerError)
	second := f.market.addOrder(newOrder{n: 1})
	f.waitForOrder(second, "in the store after server errors", imported)
	if marketFailed.Load() == 0 || storeFailed.Load() == 0 {
		t.Fatalf("server errors answered: %d by the marketplace, %d by the store", marketFailed.Load(), storeFailed.Load())
	}

	// Credentials the store refuses: the order is blocked with the store's answer.
	wrongStore := wrongCredentials(f.shop.credentials, f.shop.kind, jobs.StoreKindList())
	secrets = append(secrets, secretValues(f.shop.kind, wrongStore, jobs.StoreKindList())...)
	f.updateConnection(func(c *models.Connection) {
		if err := c.SetStoreCredentials(f.sealer, wrongStore); err != nil {
			t.Fatal(err)
		}
	})
	third := f.market.addOrder(newOrder{n: 2})
	f.waitForOrder(third, "blocked by the refused store credentials", func(o *models.Order) bool {
		return o.StoreState == models.StoreBlocked
	})

	// Credentials the marketplace refuses (the store's right again): polling fails with its
	// answer.
	wrongMarket := wrongCredentials(f.market.credentials, f.market.kind, jobs.MarketplaceKindList())
	secrets = append(secrets, secretValues(f.market.kind, wrongMarket, jobs.MarketplaceKindList())...)
	f.updateConnection(func(c *models.Connection) {
		if err := c.SetStoreCredentials(f.sealer, f.shop.credentials); err != nil {
			t.Fatal(err)
		}
		if err := c.SetMarketplaceCredentials(f.sealer, wrongMarket); err != nil {
			t.Fatal(err)
		}
		c.LastPollError = ""
	})
	f.market.addOrder(newOrder{n: 3})
	f.waitFor("polling to fail on the refused marketplace credentials", func() bool {
		c, err := models.MerchantConnection(ctx, f.db.Gorm, f.conn.MerchantID, f.conn.ID)
		return err == nil && strings.Contains(c.LastPollError, "401")
	})

	// What "test connection" shows a merchant about refused credentials.
	trial := *f.conn
	if err := trial.SetStoreCredentials(f.sealer, wrongStore); err != nil {
		t.Fatal(err)
	}
	checks := []error{f.runner.CheckMarketplace(ctx, &trial), f.runner.CheckStore(ctx, &trial)}
	for i, err := range checks {
		if err == nil {
			t.Fatalf("check %d passed with refused credentials", i)
		}
		logger.Debug("connection check", "err", err)
	}

	for i, line := range strings.Split(logs.String(), "\n") {
		for _, secret := range secrets {
			if strings.Contains(line, secret) || strings.Contains(line, url.QueryEscape(secret)) {
				t.Errorf("log line %d shows the secret %q: %s", i+1, secret, line)
			}
		}
	}
	if !strings.Contains(logs.String(), "level=DEBUG") {
		t.Fatal("nothing was logged at debug level: the scan proves nothing")
	}
	scanTables(t, f.db, secrets)
}

// withFaults puts a fault injector in front of a marketplace fake that has none of its own.
func withFaults(t *testing.T, m *market) *market {
	t.Helper()
	if m.faults != nil {
		return m
	}
	var settings struct {
		BaseURL string `json:"base_url"`
	}
	if err := json.Unmarshal([]byte(m.settings), &settings); err != nil {
		t.Fatal(err)
	}
	target, err := url.Parse(settings.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	m.faults = &apiclient.Faults{}
	srv := httptest.NewServer(m.faults.Wrap(httputil.NewSingleHostReverseProxy(target)))
	t.Cleanup(srv.Close)
	m.settings = strings.ReplaceAll(m.settings, settings.BaseURL, srv.URL)
	return m
}

// scanTables reads every row of every table, the sealed credential columns aside, and fails
// on each column holding one of the secrets.
func scanTables(t *testing.T, db *models.DB, secrets []string) {
	t.Helper()
	tables, err := db.Gorm.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tables, "connections") || !slices.Contains(tables, "orders") {
		t.Fatalf("tables %v", tables)
	}
	sealed := map[string]bool{"connections.marketplace_credentials": true, "connections.store_credentials": true}
	scanned := 0
	for _, table := range tables {
		rows, err := db.Gorm.Raw(`SELECT * FROM "` + table + `"`).Rows()
		if err != nil {
			t.Fatalf("reading %s: %v", table, err)
		}
		columns, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			values := make([]any, len(columns))
			pointers := make([]any, len(columns))
			for i := range values {
				pointers[i] = &values[i]
			}
			if err := rows.Scan(pointers...); err != nil {
				t.Fatalf("reading %s: %v", table, err)
			}
			for i, column := range columns {
				if sealed[table+"."+column] {
					continue
				}
				text := fmt.Sprint(values[i])
				if raw, ok := values[i].([]byte); ok {
					text = string(raw)
				}
				scanned++
				for _, secret := range secrets {
					if strings.Contains(text, secret) || strings.Contains(text, url.QueryEscape(secret)) {
						t.Errorf("%s.%s holds the secret %q: %s", table, column, secret, text)
					}
				}
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if scanned == 0 {
		t.Fatal("no column was scanned")
	}
}

// secretValues are the credentials of a kind that are secrets (not ids or user names).
func secretValues(kind string, creds models.Credentials, kinds []jobs.Kind) []string {
	k, _ := jobs.FindKind(kinds, kind)
	var out []string
	for _, field := range k.Credentials {
		if isSecretField(field.Name) && creds[field.Name] != "" {
			out = append(out, creds[field.Name])
		}
	}
	return out
}

func isSecretField(name string) bool {
	for _, word := range []string{"key", "secret", "token", "password"} {
		if strings.Contains(name, word) {
			return true
		}
	}
	return false
}

// wrongCredentials are creds with every secret replaced by one the fake refuses.
func wrongCredentials(creds models.Credentials, kind string, kinds []jobs.Kind) models.Credentials {
	k, _ := jobs.FindKind(kinds, kind)
	out := models.Credentials{}
	for name, value := range creds {
		out[name] = value
	}
	for _, field := range k.Credentials {
		if value := out[field.Name]; isSecretField(field.Name) && len(value) >= 8 {
			// Same shape (prefix, length), so the connector sends it and the fake refuses it.
			wrong := value[:len(value)-4] + "Q7Q7"
			if wrong == value {
				wrong = value[:len(value)-4] + "R8R8"
			}
			out[field.Name] = wrong
		}
	}
	return out
}

// withoutSecretSettings keeps a store's secrets in its credentials only: the shared store
// fixtures put the fake's whole configuration in both, as the registry merges them.
func withoutSecretSettings(t *testing.T, s *shop) *shop {
	t.Helper()
	var settings map[string]any
	if err := json.Unmarshal([]byte(s.settings), &settings); err != nil {
		t.Fatal(err)
	}
	for name := range settings {
		if isSecretField(name) {
			delete(settings, name)
		}
	}
	raw, err := json.Marshal(settings)
	if err != nil {
		t.Fatal(err)
	}
	s.settings = string(raw)
	return s
}

func (f *flow) newRunnerLogging(logger *slog.Logger) *jobs.Runner {
	f.t.Helper()
	runner, err := jobs.New(f.db, jobs.Options{
		Logger:       logger,
		Connectors:   jobs.NewRegistry(f.sealer),
		Now:          f.clock.Now,
		PollInterval: 100 * time.Millisecond, DispatchInterval: time.Second, SweepInterval: time.Second,
		CreateSettle: 2 * time.Second,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return runner
}

// lockedBuffer is a log destination the jobs write to concurrently.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
