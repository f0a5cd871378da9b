package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// scratchDatabase creates an empty database beside the one serverURL names, and returns its
// URL and a function that drops it. The benchmark never touches existing data.
func scratchDatabase(ctx context.Context, serverURL, prefix string) (string, func(), error) {
	u, err := url.Parse(serverURL)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		return "", nil, fmt.Errorf("the benchmark needs PostgreSQL: set DATABASE_URL (or --database-url) to a postgres:// URL of a role that may create databases")
	}
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("creating the benchmark's database %s: %w (the role in DATABASE_URL needs CREATEDB)", name, err)
	}
	u.Path = "/" + name
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}
	return u.String(), drop, nil
}

// commits returns how many transactions the database has committed so far (the server's own
// count, every client included). The server publishes its counters about once a second.
func commits(ctx context.Context, db *sql.DB) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").Scan(&n)
	return n, err
}

// autovacuumOff reports whether the server runs without autovacuum. Every order is updated
// several times on its way; without vacuum the dead rows pile up (eight for each live order
// after a 100 000-order soak) and every query slows down as the run goes on.
func autovacuumOff(ctx context.Context, db *sql.DB) (bool, error) {
	var setting string
	err := db.QueryRowContext(ctx, "SHOW autovacuum").Scan(&setting)
	return setting == "off", err
}
