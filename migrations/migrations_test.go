package migrations_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/orderhub/orderhub/migrations"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

func TestUpAppliesEverythingAndIsRepeatable(t *testing.T) {
	ctx := context.Background()
	databaseURL, sqlitePath := testdb.Empty(t)
	db, err := models.Open(ctx, databaseURL, sqlitePath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	if pending, err := migrations.Pending(ctx, db.SQL, db.Dialect); err != nil || !pending {
		t.Fatalf("on an empty database Pending = %v, %v; want true", pending, err)
	}
	for i := 0; i < 2; i++ {
		if err := migrations.Up(ctx, db.SQL, db.Dialect); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	if pending, err := migrations.Pending(ctx, db.SQL, db.Dialect); err != nil || pending {
		t.Fatalf("after Up, Pending = %v, %v; want false", pending, err)
	}
	for _, table := range []string{"merchants", "users", "sessions", "login_failures", "river_job"} {
		if err := db.Gorm.Exec("SELECT count(*) FROM " + table).Error; err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
}

// Several processes starting at once on one PostgreSQL database must not trip over each
// other's migrations.
func TestConcurrentUpOnPostgreSQL(t *testing.T) {
	if testdb.URL() == "" {
		t.Skip("PostgreSQL only (set TEST_DATABASE_URL): SQLite has one process per file")
	}
	ctx := context.Background()
	databaseURL, _ := testdb.Empty(t)
	const processes = 4
	var wg sync.WaitGroup
	errs := make(chan error, processes)
	for i := 0; i < processes; i++ {
		db, err := models.Open(ctx, databaseURL, "")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- migrations.Up(ctx, db.SQL, db.Dialect)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent migration failed: %v", err)
		}
	}
	db, err := models.Open(ctx, databaseURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if pending, err := migrations.Pending(ctx, db.SQL, db.Dialect); err != nil || pending {
		t.Fatalf("after concurrent Up, Pending = %v, %v", pending, err)
	}
}
