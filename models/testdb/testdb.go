// Package testdb gives each test a fresh, migrated database of its own: PostgreSQL when
// TEST_DATABASE_URL is set, else an SQLite file in the test's temporary folder.
//
// Migrations run once per test process into a template; each test gets a copy of it
// (CREATE DATABASE ... TEMPLATE on PostgreSQL, a file copy on SQLite).
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/orderhub/orderhub/migrations"
	"github.com/orderhub/orderhub/models"
)

// Main runs a package's tests and then drops the template database. Call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if template.name != "" {
		if err := dropDatabase(template.name); err != nil {
			fmt.Fprintln(os.Stderr, "testdb:", err)
		}
	}
	if template.dir != "" {
		os.RemoveAll(template.dir)
	}
	return code
}

// URL is the PostgreSQL server tests use, or "" for SQLite.
func URL() string { return os.Getenv("TEST_DATABASE_URL") }

// Open returns a new migrated database, closed and removed when the test ends.
func Open(t testing.TB) *models.DB {
	t.Helper()
	db, _, _ := OpenSource(t)
	return db
}

// OpenSource is Open, also telling where the database is (a PostgreSQL URL, or an SQLite
// path) so that another process can open it.
func OpenSource(t testing.TB) (db *models.DB, postgresURL, sqlitePath string) {
	t.Helper()
	if err := prepareTemplate(); err != nil {
		t.Fatalf("preparing the test database template: %v", err)
	}
	ctx := context.Background()
	if URL() == "" {
		path := filepath.Join(t.TempDir(), "orderhub.db")
		if err := copyFile(template.path, path); err != nil {
			t.Fatal(err)
		}
		db, err := models.Open(ctx, "", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, "", path
	}
	name := "orderhub_test_" + randomSuffix()
	if err := adminExec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template.name)); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	db, err := models.Open(ctx, databaseURL(name), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if err := dropDatabase(name); err != nil {
			t.Logf("dropping %s: %v", name, err)
		}
	})
	return db, databaseURL(name), ""
}

// Empty returns a new database with no migrations applied: a PostgreSQL URL, or "" and an
// SQLite file path in the test's temporary folder. PostgreSQL's is dropped when the test ends.
func Empty(t testing.TB) (postgresURL, sqlitePath string) {
	t.Helper()
	if URL() == "" {
		return "", filepath.Join(t.TempDir(), "orderhub.db")
	}
	name := "orderhub_test_" + randomSuffix()
	if err := adminExec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(name); err != nil {
			t.Logf("dropping %s: %v", name, err)
		}
	})
	return databaseURL(name), ""
}

var template struct {
	once sync.Once
	err  error
	name string // PostgreSQL template database
	dir  string // SQLite template folder
	path string // SQLite template file
}

func prepareTemplate() error {
	template.once.Do(func() { template.err = buildTemplate() })
	return template.err
}

func buildTemplate() error {
	ctx := context.Background()
	if URL() == "" {
		dir, err := os.MkdirTemp("", "orderhub-testdb-")
		if err != nil {
			return err
		}
		template.dir = dir
		template.path = filepath.Join(dir, "template.db")
		db, err := models.Open(ctx, "", template.path)
		if err != nil {
			return err
		}
		if err := migrations.Up(ctx, db.SQL, db.Dialect); err != nil {
			db.Close()
			return err
		}
		// Closing checkpoints the write-ahead log into the file, which is then copied whole.
		return db.Close()
	}
	name := "orderhub_template_" + randomSuffix()
	if err := adminExec("CREATE DATABASE " + name); err != nil {
		return err
	}
	template.name = name
	db, err := models.Open(ctx, databaseURL(name), "")
	if err != nil {
		return err
	}
	defer db.Close()
	return migrations.Up(ctx, db.SQL, db.Dialect)
}

func databaseURL(name string) string {
	u, err := url.Parse(URL())
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func adminExec(statement string) error {
	db, err := sql.Open("pgx", URL())
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(statement)
	return err
}

func dropDatabase(name string) error {
	return adminExec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
