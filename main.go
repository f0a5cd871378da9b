// Command orderhub brings marketplace orders into a merchant's store and shipments back.
//
//	orderhub [serve]                         web server and background jobs (the default)
//	orderhub demo                            the same, with a fake marketplace, store and orders
//	orderhub migrate                         apply database migrations and exit
//	orderhub bench [flags]                   measure orders/s and latency end to end (PostgreSQL)
//	orderhub soak [flags]                    the same under faults and restarts, checking nothing is lost
//	orderhub seed [flags]                    add a million realistic orders (PostgreSQL), for page timings
//	orderhub bench pages [flags]             time the busiest pages on a seeded database
//	orderhub user create --email E --role R  add a user (admin or staff of a merchant, or support)
//	orderhub rotate-key [--new-key]          re-seal stored credentials under the current secret key
//	orderhub version                         print the version
//
// Configuration comes from environment variables only; see README.md.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/demo"
	"github.com/orderhub/orderhub/migrations"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/web"
)

// version is set at build time with -ldflags "-X main.version=..."; otherwise the VCS
// revision is used.
var version = ""

const usage = `orderhub: marketplace orders into your store, shipments back.

Usage:
  orderhub [serve]          run the web server and background jobs (default)
  orderhub demo             the same, with a fake marketplace and store and orders flowing
                            (also: go run . --demo); log in as demo@orderhub.test / demo-password
  orderhub migrate          apply database migrations and exit
  orderhub bench [flags]    measure orders/s and latency end to end on PostgreSQL (-h: flags)
  orderhub soak [flags]     the same with faults and killed processes; checks nothing is lost
  orderhub seed [flags]     add a million realistic orders to DATABASE_URL (for page timings)
  orderhub bench pages      time the busiest pages on a seeded database (-h: flags)
  orderhub user create --email EMAIL --role admin|staff|support [--merchant NAME] [--name NAME] [--password PASSWORD]
  orderhub rotate-key       re-seal stored credentials under ORDERHUB_SECRET_KEY after a key change
                            (--new-key: print a fresh key); see README.md, "Rotating the secret key"
  orderhub version          print the version

Configuration is read from the environment: DATABASE_URL, LISTEN_ADDR, BASE_URL,
ORDERHUB_SECRET_KEY, ORDERHUB_PREVIOUS_SECRET_KEYS, ORDERHUB_DATA_DIR, ORDERHUB_SIGNUP, LOG_LEVEL (see README.md).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "orderhub:", err)
		os.Exit(1)
	}
}

// run carries out one command; cancelling ctx stops `serve` gracefully.
func run(ctx context.Context, args []string) error {
	command := "serve"
	if len(args) > 0 {
		command, args = args[0], args[1:]
	}
	switch command {
	case "serve":
		return serve(ctx, false)
	case "demo", "--demo":
		return serve(ctx, true)
	case "migrate":
		return migrate(ctx)
	case "bench":
		if len(args) > 0 && args[0] == "pages" {
			return benchPages(ctx, args[1:])
		}
		return benchFlow(ctx, args, false)
	case "seed":
		return seed(ctx, args)
	case "soak":
		return benchFlow(ctx, args, true)
	case "user":
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: orderhub user create --email EMAIL --role admin|staff|support [--merchant NAME]")
		}
		return userCreate(ctx, args[1:])
	case "rotate-key":
		return rotateKey(ctx, args)
	case "version", "--version", "-v":
		fmt.Println("orderhub", buildVersion())
		return nil
	case "help", "--help", "-h":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", command)
}

// setup loads the configuration, sets up logging and opens the database.
func setup(ctx context.Context) (models.Config, *models.DB, *slog.Logger, error) {
	cfg, err := models.LoadConfig(os.Getenv)
	if err != nil {
		return cfg, nil, nil, err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	slog.SetDefault(logger)
	db, err := models.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		return cfg, nil, nil, err
	}
	return cfg, db, logger, nil
}

// serve runs the web server and the jobs; with demo, also a fake marketplace and store with
// orders flowing between them.
func serve(ctx context.Context, withDemo bool) error {
	if withDemo && os.Getenv("DATABASE_URL") == "" && os.Getenv("ORDERHUB_DATA_DIR") == "" {
		// Keep the demo's data apart from a real embedded database.
		os.Setenv("ORDERHUB_DATA_DIR", filepath.Join("data", "demo"))
	}
	cfg, db, logger, err := setup(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.SQL, db.Dialect); err != nil {
		return err
	}
	sealer, err := models.NewSealer(cfg.SecretKey, cfg.PreviousSecretKeys...)
	if err != nil {
		return err
	}
	opts := jobs.Options{Logger: logger, Connectors: jobs.NewRegistry(sealer), BaseURL: cfg.BaseURL}
	if cfg.SMTPURL != "" {
		if opts.Mailer, err = jobs.NewSMTPMailer(cfg.SMTPURL, cfg.SMTPFrom); err != nil {
			return err
		}
	}
	runner, err := jobs.New(db, opts)
	if err != nil {
		return err
	}
	var webOpts []web.Option
	if opts.Mailer != nil {
		webOpts = append(webOpts, web.WithMailer(opts.Mailer))
	}
	app, err := web.New(cfg, db, runner, logger, buildVersion(), webOpts...)
	if err != nil {
		return err
	}
	if withDemo {
		d, err := demo.Start(ctx, db, sealer, demo.Options{Logger: logger})
		if err != nil {
			return fmt.Errorf("starting the demo: %w", err)
		}
		defer d.Stop()
	}
	if err := runner.Start(ctx); err != nil {
		return err
	}

	listenErr := make(chan error, 1)
	go func() { listenErr <- app.Listen(cfg.ListenAddr) }()
	if cfg.MetricsAddr != "" {
		metrics := web.MetricsServer(cfg.MetricsAddr)
		go func() {
			if err := metrics.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				listenErr <- fmt.Errorf("metrics on METRICS_ADDR: %w", err)
			}
		}()
		defer metrics.Close()
	}
	database := "PostgreSQL"
	if cfg.Embedded() {
		database = "SQLite " + cfg.SQLitePath()
	}
	logger.Info("orderhub is running", "url", cfg.BaseURL, "listen", cfg.ListenAddr, "database", database, "version", buildVersion())

	select {
	case err := <-listenErr:
		_ = runner.Stop(30 * time.Second)
		return fmt.Errorf("cannot serve on %s: %w (set LISTEN_ADDR to a free address)", cfg.ListenAddr, err)
	case <-ctx.Done():
	}
	logger.Info("stopping: finishing requests and running jobs")
	if err := app.ShutdownWithTimeout(15 * time.Second); err != nil {
		logger.Warn("web server shutdown", "err", err)
	}
	if err := runner.Stop(30 * time.Second); err != nil {
		logger.Warn("jobs shutdown", "err", err)
	}
	logger.Info("stopped")
	return nil
}

func migrate(ctx context.Context) error {
	_, db, logger, err := setup(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.SQL, db.Dialect); err != nil {
		return err
	}
	logger.Info("migrations applied", "database", db.Dialect)
	return nil
}

func userCreate(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := flags.String("email", "", "email address (required)")
	role := flags.String("role", "", "admin or staff (of --merchant), or support (across merchants)")
	merchantName := flags.String("merchant", "", "merchant name; an admin's merchant is created if it does not exist yet")
	name := flags.String("name", "", "the person's name")
	password := flags.String("password", "", "password; generated and printed when empty")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		return errors.New("--email and --role are required")
	}
	if !models.ValidRole(*role) {
		return fmt.Errorf("--role %q is unknown: use admin, staff or support", *role)
	}
	if *role == models.RoleSupport && *merchantName != "" {
		return errors.New("support agents work across merchants: leave out --merchant")
	}
	if *role != models.RoleSupport && *merchantName == "" {
		return fmt.Errorf("an %s belongs to a merchant: add --merchant NAME", *role)
	}

	_, db, _, err := setup(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.SQL, db.Dialect); err != nil {
		return err
	}

	generated := *password == ""
	if generated {
		*password = randomPassword()
	}
	in := models.NewUser{Email: *email, Role: *role, Name: *name, Password: *password}
	var user *models.User
	if *role == models.RoleSupport {
		user, err = models.CreateUser(ctx, db.Gorm, in)
	} else {
		merchant, findErr := models.FindMerchantByName(ctx, db.Gorm, *merchantName)
		switch {
		case errors.Is(findErr, models.ErrNotFound) && *role == models.RoleAdmin:
			_, user, err = models.SignUp(ctx, db.Gorm, *merchantName, *name, *email, *password)
		case errors.Is(findErr, models.ErrNotFound):
			return fmt.Errorf("no merchant is named %q; create it with its first admin (--role admin) first", *merchantName)
		case findErr != nil:
			return findErr
		default:
			in.MerchantID = &merchant.ID
			user, err = models.CreateUser(ctx, db.Gorm, in)
		}
	}
	if err != nil {
		return err
	}
	fmt.Printf("created %s %s (id %d)\n", user.Role, user.Email, user.ID)
	if generated {
		fmt.Printf("password: %s\n(shown once: pass it on, the person can log in with it now)\n", *password)
	}
	return nil
}

func randomPassword() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return s.Value[:12]
			}
		}
		if info.Main.Version != "" && info.Main.Version != "(devel)" {
			return info.Main.Version
		}
	}
	return "dev"
}
