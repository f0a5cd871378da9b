// Package bench measures orderhub end to end: fake marketplaces and stores on loopback, real
// orderhub processes on PostgreSQL, orders fed at a chosen rate and shipped by a simulated
// merchant, and every order followed from the marketplace to the store and back. The soak
// (Options.Soak) adds faults and kills processes, then checks that nothing was lost or done
// twice.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/orderhub/orderhub/migrations"
	"github.com/orderhub/orderhub/models"
)

// Options describe a run. Zero values take the defaults shown.
type Options struct {
	DatabaseURL  string        // a PostgreSQL server; the run uses a scratch database on it
	Orders       int           // orders fed (10 000)
	Rate         float64       // orders per second fed, over all connections (500)
	Connections  int           // connections, each with its own marketplace and store fakes (10)
	Merchants    int           // merchants owning them (2)
	Processes    int           // orderhub processes sharing the work (1; the soak: 2)
	PollInterval time.Duration // the connections' poll interval (1 s)
	ShipAfter    time.Duration // how long the merchant takes to ship a store order (0)
	Command      []string      // how to start an orderhub process (this executable, "serve")
	Timeout      time.Duration // how long to wait for every order to be shipped (10 min + 3 × the feeding time)
	PGBench      time.Duration // how long pgbench runs for the database's own figure (15 s; <0: skip)
	Soak         *SoakOptions  // faults and restarts; nil for a clean run
	Keep         bool          // keep the scratch database and logs
	Out          io.Writer     // progress and the table
	JSON         io.Writer     // the report as JSON (nil: none)
}

func (o *Options) defaults() error {
	if o.DatabaseURL == "" {
		o.DatabaseURL = os.Getenv("DATABASE_URL")
	}
	if o.Orders <= 0 {
		o.Orders = 10_000
	}
	if o.Rate <= 0 {
		o.Rate = 500
	}
	if o.Connections <= 0 {
		o.Connections = 10
	}
	if o.Merchants <= 0 {
		o.Merchants = 2
	}
	if o.Merchants > o.Connections {
		return fmt.Errorf("%d merchants need at least as many connections (got %d)", o.Merchants, o.Connections)
	}
	if o.Processes <= 0 {
		o.Processes = 1
		if o.Soak != nil {
			o.Processes = 2
		}
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Timeout <= 0 {
		// Three times the feeding time, and ten minutes more: a run far below its rate still
		// ends with its checks rather than cut short.
		o.Timeout = 10*time.Minute + 3*time.Duration(float64(o.Orders)/o.Rate*float64(time.Second))
	}
	if o.PGBench == 0 {
		o.PGBench = 15 * time.Second
	}
	if len(o.Command) == 0 {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		o.Command = []string{self, "serve"}
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Soak != nil {
		o.Soak.defaults()
	}
	return nil
}

// Run carries out a benchmark (or a soak) and reports it. The error says why it could not run,
// or, for the soak, which invariant failed.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	dbURL, drop, err := scratchDatabase(ctx, opts.DatabaseURL, "orderhub_bench")
	if err != nil {
		return nil, err
	}
	if !opts.Keep {
		defer drop()
	}
	db, err := models.Open(ctx, dbURL, "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.SQL, db.Dialect); err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	sealer, err := models.NewSealer(key)
	if err != nil {
		return nil, err
	}
	logDir, err := os.MkdirTemp("", "orderhub-bench-")
	if err != nil {
		return nil, err
	}
	if !opts.Keep {
		defer os.RemoveAll(logDir)
	}

	r := &run{opts: opts, db: db, sealer: sealer, logDir: logDir,
		env: []string{"DATABASE_URL=" + dbURL, "ORDERHUB_SECRET_KEY=" + hex.EncodeToString(key), "LOG_LEVEL=warn"}}
	defer r.close()
	report, err := r.execute(ctx)
	if opts.Keep {
		fmt.Fprintf(opts.Out, "kept: database %s, process logs in %s\n", dbURL, logDir)
	}
	if report != nil {
		report.print(opts.Out)
		if opts.JSON != nil {
			if jsonErr := report.writeJSON(opts.JSON); jsonErr != nil && err == nil {
				err = jsonErr
			}
		}
	}
	return report, err
}
