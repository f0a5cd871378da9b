// Package migrations holds orderhub's versioned SQL migrations, one folder per database
// dialect, and applies them together with River's own migrations.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// advisoryLockKey serialises migrations between processes sharing one PostgreSQL database.
const advisoryLockKey = 7_320_117_001

// Up applies River's migrations, then orderhub's. On PostgreSQL it holds an advisory lock so
// that two processes starting at once migrate one after the other.
func Up(ctx context.Context, db *sql.DB, dialect string) error {
	unlock, err := lock(ctx, db, dialect)
	if err != nil {
		return err
	}
	defer unlock()

	if err := riverUp(ctx, db, dialect); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	provider, err := newProvider(db, dialect)
	if err != nil {
		return err
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("orderhub migrations: %w", err)
	}
	return nil
}

// Pending reports whether any migration, River's or orderhub's, is not applied yet.
func Pending(ctx context.Context, db *sql.DB, dialect string) (bool, error) {
	pending, err := riverPending(ctx, db, dialect)
	if err != nil || pending {
		return pending, err
	}
	provider, err := newProvider(db, dialect)
	if err != nil {
		return false, err
	}
	return provider.HasPending(ctx)
}

func newProvider(db *sql.DB, dialect string) (*goose.Provider, error) {
	sub, err := fs.Sub(files, dialect)
	if err != nil {
		return nil, err
	}
	gooseDialect := goose.DialectPostgres
	if dialect == "sqlite" {
		gooseDialect = goose.DialectSQLite3
	}
	return goose.NewProvider(gooseDialect, db, sub)
}

func riverUp(ctx context.Context, db *sql.DB, dialect string) error {
	if dialect == "sqlite" {
		return migrateRiver(ctx, riversqlite.New(db))
	}
	return migrateRiver(ctx, riverdatabasesql.New(db))
}

func migrateRiver[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	_, err = migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

func riverPending(ctx context.Context, db *sql.DB, dialect string) (bool, error) {
	if dialect == "sqlite" {
		return riverHasPending(ctx, riversqlite.New(db))
	}
	return riverHasPending(ctx, riverdatabasesql.New(db))
}

func riverHasPending[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) (bool, error) {
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		return false, err
	}
	existing, err := migrator.ExistingVersions(ctx)
	if err != nil {
		return true, nil // no migration table yet
	}
	return len(existing) < len(migrator.AllVersions()), nil
}

// lock takes PostgreSQL's session-level advisory lock on a dedicated connection. SQLite needs
// none: its single writer already serialises the migrations.
func lock(ctx context.Context, db *sql.DB, dialect string) (func(), error) {
	if dialect == "sqlite" {
		return func() {}, nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", advisoryLockKey); err != nil {
		conn.Close()
		return nil, fmt.Errorf("waiting for the migration lock: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", advisoryLockKey)
		conn.Close()
	}, nil
}
