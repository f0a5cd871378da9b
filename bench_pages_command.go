package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/orderhub/orderhub/migrations"
	"github.com/orderhub/orderhub/web/pagebench"
)

// seed runs `orderhub seed`: realistic orders in bulk, for the page benchmark.
func seed(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("seed", flag.ContinueOnError)
	opts := pagebench.SeedOptions{Out: os.Stdout}
	flags.IntVar(&opts.Orders, "orders", 1_000_000, "orders to add")
	flags.IntVar(&opts.Connections, "connections", 50, "connections, spread over the merchants")
	flags.IntVar(&opts.Merchants, "merchants", 2, "merchants")
	flags.Float64Var(&opts.BlockedShare, "blocked", 0.02, "share of blocked orders")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if os.Getenv("DATABASE_URL") == "" {
		return errors.New("seeding needs PostgreSQL: set DATABASE_URL (use a database of its own: it adds a million orders)")
	}
	_, db, _, err := setup(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.SQL, db.Dialect); err != nil {
		return err
	}
	res, err := pagebench.Seed(ctx, db, opts)
	if err != nil {
		return err
	}
	for _, m := range res.Merchants {
		fmt.Printf("merchant %d: log in as %s / %s\n", m.ID, m.Email, m.Password)
	}
	return nil
}

// benchPages runs `orderhub bench pages`: server time of the busiest pages on a seeded database.
func benchPages(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("bench pages", flag.ContinueOnError)
	opts := pagebench.Options{Out: os.Stdout}
	flags.IntVar(&opts.Requests, "requests", 200, "timed requests per page")
	flags.StringVar(&opts.Email, "email", "", "log in as (default: the first seeded merchant's administrator)")
	flags.StringVar(&opts.Password, "password", "", "that user's password")
	jsonPath := flags.String("json", "", "also write the report as JSON to this file")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if os.Getenv("DATABASE_URL") == "" {
		return errors.New("the page benchmark needs a seeded PostgreSQL: set DATABASE_URL and run `orderhub seed` first")
	}
	if *jsonPath != "" {
		f, err := os.Create(*jsonPath)
		if err != nil {
			return err
		}
		defer f.Close()
		opts.JSON = f
	}
	cfg, db, _, err := setup(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = pagebench.Run(ctx, cfg, db, opts)
	return err
}
