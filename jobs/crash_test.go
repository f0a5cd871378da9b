package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/models"
)

// TestWorkerProcess is not a test: the crash test starts the test binary again with
// ORDERHUB_TEST_WORKER set, and this runs orderhub's jobs in that child process until killed.
func TestWorkerProcess(t *testing.T) {
	if os.Getenv("ORDERHUB_TEST_WORKER") != "1" {
		t.Skip("runs only as the crash test's child process")
	}
	ctx := context.Background()
	db, err := models.Open(ctx, os.Getenv("ORDERHUB_TEST_WORKER_DB_URL"), os.Getenv("ORDERHUB_TEST_WORKER_DB_PATH"))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := models.NewSealer([]byte(testSecretKey))
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(db, jobs.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Connectors: jobs.NewRegistry(sealer),
		PollInterval: 100 * time.Millisecond, DispatchInterval: time.Second, SweepInterval: time.Second,
		CreateSettle: 2 * time.Second,
		SweepIdle:    2 * time.Second, SyncLease: 2 * time.Second, OrderLease: 3 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	select {} // until killed
}

// startWorker runs orderhub's jobs in a child process.
func (f *flow) startWorker() *exec.Cmd {
	f.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ORDERHUB_TEST_WORKER=1",
		"ORDERHUB_TEST_WORKER_DB_URL="+f.postgresURL, "ORDERHUB_TEST_WORKER_DB_PATH="+f.sqlitePath)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd
}

func TestKilledMidRunAndRestartedEverythingCompletes(t *testing.T) {
	f := newFlow(t)
	f.store.Faults().SetLatency(100 * time.Millisecond) // keep calls in flight when the kill comes
	f.enqueue(jobs.SyncCatalogueArgs{ConnectionID: f.conn.ID})
	first := f.startWorker()

	var ids []string
	for i := 0; i < 10; i++ {
		ids = append(ids, f.mirakl.AddOrder(mirakl.SampleOrder(i*2)))
	}
	f.waitForOrder(ids[0], "in the store", imported)
	if err := first.Process.Kill(); err != nil { // SIGKILL: no cleanup, leases and jobs left behind
		t.Fatal(err)
	}
	_ = first.Wait()

	f.store.Faults().SetLatency(0)
	f.startWorker()
	f.shipAll(ids)
	f.expectEachOnce(ids)
}
