// Package web is orderhub's HTTP side: the Fiber app, its middleware, and one file per page
// or API area.
package web

import (
	"cmp"
	"crypto/hkdf"
	"crypto/sha256"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
)

// Server holds what the handlers share.
type Server struct {
	cfg      models.Config
	db       *models.DB
	jobs     *jobs.Runner
	sessions *dbStore
	sealer   *models.Sealer // credentials typed in the connection pages
	mailer   jobs.Mailer    // invitations and password resets; nil: no SMTP_URL, no e-mail
	logger   *slog.Logger
	version  string

	apiLimiter *tokenLimiter
}

// Option changes how New builds the app.
type Option func(*Server)

// WithMailer sends the e-mails of the pages (invitations, password resets) through m.
func WithMailer(m jobs.Mailer) Option {
	return func(s *Server) { s.mailer = m }
}

// New builds the Fiber app with every route.
func New(cfg models.Config, db *models.DB, runner *jobs.Runner, logger *slog.Logger, version string, opts ...Option) (*fiber.App, error) {
	// Cookies are made with the current key; those made with a previous key still open, so a
	// key rotation logs nobody out.
	var sessionKeys [][]byte
	for _, secretKey := range append([][]byte{cfg.SecretKey}, cfg.PreviousSecretKeys...) {
		hashKey, err := hkdf.Key(sha256.New, secretKey, nil, "orderhub session signing", 32)
		if err != nil {
			return nil, err
		}
		blockKey, err := hkdf.Key(sha256.New, secretKey, nil, "orderhub session encryption", 32)
		if err != nil {
			return nil, err
		}
		sessionKeys = append(sessionKeys, hashKey, blockKey)
	}
	sealer, err := models.NewSealer(cfg.SecretKey, cfg.PreviousSecretKeys...)
	if err != nil {
		return nil, err
	}
	s := &Server{
		sealer:   sealer,
		cfg:      cfg,
		db:       db,
		jobs:     runner,
		sessions: newDBStore(db.Gorm, cfg.SecureCookies(), sessionKeys...),
		logger:   logger,
		version:  version,

		apiLimiter: newTokenLimiter(cmp.Or(cfg.APIRate, 10)),
	}
	for _, opt := range opts {
		opt(s)
	}
	app := fiber.New(fiber.Config{
		AppName:               "orderhub",
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		BodyLimit:             readLimit, // limitBody refuses more than maxBody with a clear answer
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Only the configured proxies may name the client in X-Forwarded-For.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
		EnableIPValidation:      true,
	})
	s.routes(app)
	return app, nil
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}
