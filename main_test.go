package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// useFreshDatabase points the environment at an empty database: a data folder for SQLite, or
// DATABASE_URL for PostgreSQL when TEST_DATABASE_URL is set.
func useFreshDatabase(t *testing.T) string {
	postgresURL, sqlitePath := testdb.Empty(t)
	dataDir := t.TempDir()
	t.Setenv("ORDERHUB_DATA_DIR", dataDir)
	t.Setenv("DATABASE_URL", postgresURL)
	t.Setenv("LOG_LEVEL", "warn")
	if postgresURL != "" {
		t.Setenv("ORDERHUB_SECRET_KEY", strings.Repeat("ab", 32))
	} else {
		t.Setenv("ORDERHUB_SECRET_KEY", "")
		_ = sqlitePath // serve creates its own file under the data folder
	}
	return dataDir
}

func TestServeStartsMigratesAndStopsGracefully(t *testing.T) {
	dataDir := useFreshDatabase(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	t.Setenv("LISTEN_ADDR", addr)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}) }()

	base := "http://" + addr
	waitReady(t, base+"/readyz", done)

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signup" {
		t.Fatalf("a first visit got %d to %q, want 303 to /signup", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = client.Get(base + "/signup")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "Create your account") {
		t.Fatalf("sign-up page: %s", body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after being asked to stop", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s")
	}
	if os.Getenv("DATABASE_URL") == "" {
		for _, name := range []string{"orderhub.db", "secret.key"} {
			if _, err := os.Stat(filepath.Join(dataDir, name)); err != nil {
				t.Errorf("embedded mode did not create %s: %v", name, err)
			}
		}
	}
}

func waitReady(t *testing.T, url string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve stopped before it was ready: %v", err)
		default:
		}
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("not ready after 30 s")
}

func TestUserCreate(t *testing.T) {
	useFreshDatabase(t)
	ctx := context.Background()
	steps := [][]string{
		{"user", "create", "--email", "ada@acme.test", "--role", "admin", "--merchant", "Acme", "--password", "long enough password"},
		{"user", "create", "--email", "bob@acme.test", "--role", "staff", "--merchant", "Acme"},
		{"user", "create", "--email", "agent@orderhub.test", "--role", "support"},
	}
	for _, args := range steps {
		if err := run(ctx, args); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	refused := [][]string{
		{"user", "create", "--email", "eve@nowhere.test", "--role", "staff", "--merchant", "Nowhere"},
		{"user", "create", "--email", "eve@acme.test", "--role", "support", "--merchant", "Acme"},
		{"user", "create", "--email", "eve@acme.test", "--role", "owner", "--merchant", "Acme"},
		{"user", "create", "--email", "ada@acme.test", "--role", "staff", "--merchant", "Acme"},
		{"user", "create", "--role", "staff"},
	}
	for _, args := range refused {
		if err := run(ctx, args); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}

	cfg, err := models.LoadConfig(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	db, err := models.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	merchant, err := models.FindMerchantByName(ctx, db.Gorm, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	users, _ := models.MerchantUsers(ctx, db.Gorm, merchant.ID)
	if len(users) != 2 || users[0].Role != models.RoleAdmin || users[1].Role != models.RoleStaff {
		t.Fatalf("Acme's users: %+v", users)
	}
	if _, err := models.Authenticate(ctx, db.Gorm, "ada@acme.test", "long enough password"); err != nil {
		t.Fatalf("the admin cannot log in with the given password: %v", err)
	}
	agent, err := models.Authenticate(ctx, db.Gorm, "agent@orderhub.test", "wrong")
	if !errors.Is(err, models.ErrInvalidLogin) || agent != nil {
		t.Fatalf("support agent with a wrong password: %v", err)
	}
}

func TestUnknownCommandIsAnError(t *testing.T) {
	if err := run(context.Background(), []string{"frobnicate"}); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("err = %v", err)
	}
}
