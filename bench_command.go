package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/orderhub/orderhub/jobs/bench"
)

// benchFlow runs `orderhub bench` (soak false) or `orderhub soak` (soak true).
func benchFlow(ctx context.Context, args []string, soak bool) error {
	name := "bench"
	if soak {
		name = "soak"
	}
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	opts := bench.Options{Out: os.Stdout}
	flags.StringVar(&opts.DatabaseURL, "database-url", os.Getenv("DATABASE_URL"), "PostgreSQL server to run on (a scratch database is created and dropped)")
	flags.IntVar(&opts.Orders, "orders", 10_000, "orders to feed")
	flags.Float64Var(&opts.Rate, "rate", 500, "orders per second fed, over all connections")
	flags.IntVar(&opts.Connections, "connections", 10, "connections, each with its own fake marketplace and store")
	flags.IntVar(&opts.Merchants, "merchants", 2, "merchants owning the connections")
	flags.IntVar(&opts.Processes, "processes", 0, "orderhub processes (default 1; soak 2)")
	poll := time.Second
	if soak {
		poll = 30 * time.Second // two of them is the time every order has to settle once faults stop
	}
	flags.DurationVar(&opts.PollInterval, "poll", poll, "the connections' poll interval")
	flags.DurationVar(&opts.ShipAfter, "ship-after", 0, "how long the merchant takes to ship a store order")
	flags.DurationVar(&opts.Timeout, "timeout", 0, "how long to wait for every order to be shipped (default 10 min + 3 × orders/rate)")
	flags.DurationVar(&opts.PGBench, "pgbench", 15*time.Second, "how long pgbench measures the server (0: skip)")
	flags.BoolVar(&opts.Keep, "keep", false, "keep the scratch database and the process logs")
	jsonPath := flags.String("json", "", "also write the report as JSON to this file")
	cpuProfile := flags.String("cpuprofile", "", "write the benchmark process's CPU profile (the fakes) to this file")
	var soakOpts bench.SoakOptions
	if soak {
		flags.Float64Var(&soakOpts.FaultRate, "faults", 0.1, "share of API calls that fail")
		flags.DurationVar(&soakOpts.KillEvery, "kill-every", 30*time.Second, "how often an orderhub process is killed and restarted")
		opts.Soak = &soakOpts
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if opts.PGBench == 0 {
		opts.PGBench = -1
	}
	if *jsonPath != "" {
		f, err := os.Create(*jsonPath)
		if err != nil {
			return err
		}
		defer f.Close()
		opts.JSON = f
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if opts.DatabaseURL == "" {
		return fmt.Errorf("%s needs PostgreSQL: set DATABASE_URL or --database-url", name)
	}
	_, err := bench.Run(ctx, opts)
	return err
}
