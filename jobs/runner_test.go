package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

type testBundle struct {
	db     *models.DB
	runner *jobs.Runner
}

func setup(t *testing.T, opts jobs.Options) testBundle {
	t.Helper()
	db := testdb.Open(t)
	opts.PollInterval = 200 * time.Millisecond
	runner, err := jobs.New(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	return testBundle{db: db, runner: runner}
}

func countJobs(t *testing.T, db *models.DB, kind string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Raw("SELECT count(*) FROM river_job WHERE kind = ?", kind).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEnqueueInRolledBackTransactionLeavesNoJob(t *testing.T) {
	b := setup(t, jobs.Options{NoPeriodic: true})
	ctx := context.Background()
	rollback := errors.New("rollback")
	err := b.db.Gorm.Transaction(func(tx *gorm.DB) error {
		if _, err := b.runner.Enqueue(ctx, tx, jobs.HousekeepingArgs{}, nil); err != nil {
			return err
		}
		if n := countJobs(t, &models.DB{Gorm: tx}, "housekeeping"); n != 1 {
			t.Errorf("inside the transaction the job is not visible: %d rows", n)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("transaction: %v", err)
	}
	if n := countJobs(t, b.db, "housekeeping"); n != 0 {
		t.Fatalf("%d housekeeping jobs after rollback, want 0", n)
	}
}

func TestEnqueueOutsideTransactionIsRefused(t *testing.T) {
	b := setup(t, jobs.Options{NoPeriodic: true})
	if _, err := b.runner.Enqueue(context.Background(), b.db.Gorm, jobs.HousekeepingArgs{}, nil); err == nil {
		t.Fatal("enqueue on the pool was accepted; it must join a transaction")
	}
}

func TestCommittedJobIsWorked(t *testing.T) {
	b := setup(t, jobs.Options{NoPeriodic: true})
	ctx := context.Background()
	expired := &models.Session{ID: "expired", Data: []byte("{}"), ExpiresAt: time.Now().Add(-time.Minute)}
	live := &models.Session{ID: "live", Data: []byte("{}"), ExpiresAt: time.Now().Add(time.Hour)}
	for _, s := range []*models.Session{expired, live} {
		if err := models.SaveSession(ctx, b.db.Gorm, s); err != nil {
			t.Fatal(err)
		}
	}
	err := b.db.Gorm.Transaction(func(tx *gorm.DB) error {
		_, err := b.runner.Enqueue(ctx, tx, jobs.HousekeepingArgs{}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	startRunner(t, b)
	waitForCompleted(t, b.db, "housekeeping", 1)

	if _, err := models.FindSession(ctx, b.db.Gorm, "live"); err != nil {
		t.Fatalf("live session: %v", err)
	}
	var rows int64
	b.db.Gorm.Model(&models.Session{}).Where("id = ?", "expired").Count(&rows)
	if rows != 0 {
		t.Fatal("the expired session is still stored after housekeeping")
	}
}

func TestPeriodicHousekeepingRunsOnStart(t *testing.T) {
	b := setup(t, jobs.Options{})
	startRunner(t, b)
	waitForCompleted(t, b.db, "housekeeping", 1)
}

func startRunner(t *testing.T, b testBundle) {
	t.Helper()
	if err := b.runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.runner.Stop(5 * time.Second); err != nil {
			t.Errorf("stopping the runner: %v", err)
		}
	})
}

// waitForCompleted polls until want jobs of kind are completed; it fails the test after 20 s.
func waitForCompleted(t *testing.T, db *models.DB, kind string, want int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int64
		if err := db.Gorm.Raw("SELECT count(*) FROM river_job WHERE kind = ? AND state = 'completed'", kind).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n >= want {
			return
		}
		if time.Now().After(deadline) {
			var states []string
			db.Gorm.Raw("SELECT state || ': ' || COALESCE(CAST(errors AS TEXT), '') FROM river_job WHERE kind = ?", kind).Scan(&states)
			t.Fatalf("%d %s jobs completed after 20 s, want %d; jobs: %v", n, kind, want, states)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A process killed while a periodic job runs leaves that job "running" until River rescues
// it, minutes later. The schedule must go on meanwhile: polls and the sweep depend on it.
func TestPeriodicJobsGoOnPastAJobLeftRunning(t *testing.T) {
	opts := jobs.Options{DispatchInterval: time.Second, SweepInterval: time.Second}
	first := setup(t, opts)
	if err := first.runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitForCompleted(t, first.db, "sweep", 1)
	if err := first.runner.Stop(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	// What a killed process leaves behind: the last sweep and dispatch still running.
	for _, kind := range []string{"sweep", "dispatch"} {
		err := first.db.Gorm.Transaction(func(tx *gorm.DB) error {
			var last int64
			if err := tx.Raw("SELECT max(id) FROM river_job WHERE kind = ?", kind).Scan(&last).Error; err != nil {
				return err
			}
			if err := tx.Exec("DELETE FROM river_job WHERE kind = ? AND id <> ?", kind, last).Error; err != nil {
				return err
			}
			return tx.Exec("UPDATE river_job SET state = 'running', finalized_at = NULL WHERE id = ?", last).Error
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	runner, err := jobs.New(first.db, jobs.Options{PollInterval: 200 * time.Millisecond, DispatchInterval: time.Second, SweepInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	startRunner(t, testBundle{db: first.db, runner: runner})
	waitForCompleted(t, first.db, "sweep", 1)
	waitForCompleted(t, first.db, "dispatch", 1)
}
