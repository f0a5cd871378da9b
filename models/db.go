package models

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

// DB is the one database orderhub runs on. GORM, the migrations and River all share SQL, so
// a job inserted inside a GORM transaction commits or rolls back with it.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Pool    *pgxpool.Pool // PostgreSQL only: River's workers use it for LISTEN/NOTIFY
	Dialect string
}

// Open connects to PostgreSQL when databaseURL is set, else to the SQLite file at sqlitePath.
func Open(ctx context.Context, databaseURL, sqlitePath string) (*DB, error) {
	if databaseURL != "" {
		return openPostgres(ctx, databaseURL)
	}
	return openSQLite(sqlitePath)
}

func openPostgres(ctx context.Context, databaseURL string) (*DB, error) {
	poolConfig, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	poolConfig.ConnConfig.Tracer = statementCounter{}
	if !strings.Contains(databaseURL, "pool_max_conns") {
		// pgx's default (4 on a small machine) would leave most of the job workers waiting for
		// a connection; the URL's pool_max_conns overrides this.
		poolConfig.MaxConns = defaultPoolSize
	}
	pool, err := pgxpool.NewWithConfig(ctx, poolConfig)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w (is the server running and DATABASE_URL right?)", redactURL(databaseURL), err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	sqlDB.SetMaxIdleConns(int(poolConfig.MaxConns)) // keep them: the pool holds them anyway
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig())
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{Gorm: gdb, SQL: sqlDB, Pool: pool, Dialect: DialectPostgres}, nil
}

// defaultPoolSize is the PostgreSQL connections one process keeps: enough for the job workers
// (20) and the pages at once.
const defaultPoolSize = 30

func openSQLite(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the data folder for %s: %w (set ORDERHUB_DATA_DIR to a writable folder)", path, err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// River's SQLite driver wants a single connection; every query inside a transaction must
	// therefore use the transaction's handle.
	sqlDB.SetMaxOpenConns(1)
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("cannot open the SQLite database %s: %w", path, err)
	}
	gdb, err := gorm.Open(sqlite.Dialector{Conn: sqlDB}, gormConfig())
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	return &DB{Gorm: gdb, SQL: sqlDB, Dialect: DialectSQLite}, nil
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger: logger.New(slogWriter{}, logger.Config{
			SlowThreshold:             500 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true, // values (password hashes, credentials) never reach the log
		}),
		NowFunc:        func() time.Time { return time.Now().UTC() },
		TranslateError: true,
	}
}

// Close releases the connections.
func (db *DB) Close() error {
	err := db.SQL.Close()
	if db.Pool != nil {
		db.Pool.Close()
	}
	return err
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.SQL.PingContext(ctx) }

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
