package models

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Config is everything orderhub reads from its environment. Nothing else configures it.
type Config struct {
	DatabaseURL string // empty: embedded SQLite under DataDir
	DataDir     string
	ListenAddr  string
	BaseURL     string
	SecretKey   []byte // 32 bytes
	// PreviousSecretKeys still open credentials and sessions made before a key rotation
	// (ORDERHUB_PREVIOUS_SECRET_KEYS); nothing new is sealed or signed with them.
	PreviousSecretKeys [][]byte
	LogLevel           slog.Level
	// Signup is "first" (only while no account exists) or "open" (anyone may create a merchant).
	Signup string
	// APIRate is how many Store API requests per second one token may make (bursts of twice).
	APIRate float64
	// TrustedProxies are the reverse proxies (IPs or CIDR ranges) whose X-Forwarded-For names
	// the client; without them every client would share the proxy's address.
	TrustedProxies []string
	// SMTPURL is the server the digest e-mails go through (smtp:// with STARTTLS when the
	// server offers it, smtps:// for implicit TLS); empty: orderhub sends no e-mail.
	SMTPURL string
	// SMTPFrom is the sender address of those e-mails.
	SMTPFrom string
	// MetricsAddr is where Prometheus metrics are served (empty: nowhere). Keep it on a
	// private address: the metrics are not behind a login.
	MetricsAddr string
}

// Embedded reports whether orderhub runs on its embedded SQLite database.
func (c Config) Embedded() bool { return c.DatabaseURL == "" }

// SecureCookies is true when orderhub is served over https.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// SQLitePath is the database file used in embedded mode.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "orderhub.db") }

// LoadConfig reads and validates the configuration. Every problem is reported at once, each
// with what to do about it. In embedded mode a missing secret key is generated once and kept in
// the data folder, so that sessions and encrypted credentials survive a restart.
func LoadConfig(getenv func(string) string) (Config, error) {
	cfg := Config{
		DatabaseURL: strings.TrimSpace(getenv("DATABASE_URL")),
		DataDir:     orDefault(getenv("ORDERHUB_DATA_DIR"), "data"),
		ListenAddr:  orDefault(getenv("LISTEN_ADDR"), "127.0.0.1:8080"),
		Signup:      orDefault(getenv("ORDERHUB_SIGNUP"), "first"),
		MetricsAddr: strings.TrimSpace(getenv("METRICS_ADDR")),
	}
	var problems []string

	if cfg.DatabaseURL != "" {
		u, err := url.Parse(cfg.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			problems = append(problems, "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/orderhub (leave it unset to use the embedded SQLite database)")
		}
	}
	if _, _, err := net.SplitHostPort(cfg.ListenAddr); err != nil {
		problems = append(problems, fmt.Sprintf("LISTEN_ADDR %q must be host:port, for example 127.0.0.1:8080 or :8080", cfg.ListenAddr))
	}

	cfg.BaseURL = strings.TrimRight(getenv("BASE_URL"), "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + displayHost(cfg.ListenAddr)
	} else if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("BASE_URL %q must be the address users open, for example https://orderhub.example.com", cfg.BaseURL))
	}

	level := strings.ToLower(orDefault(getenv("LOG_LEVEL"), "info"))
	if err := cfg.LogLevel.UnmarshalText([]byte(level)); err != nil {
		problems = append(problems, fmt.Sprintf("LOG_LEVEL %q must be one of debug, info, warn, error", level))
	}

	if cfg.Signup != "first" && cfg.Signup != "open" {
		problems = append(problems, fmt.Sprintf("ORDERHUB_SIGNUP %q must be \"first\" (only the first account may sign up) or \"open\" (anyone may create a merchant)", cfg.Signup))
	}

	cfg.APIRate = 10
	if v := strings.TrimSpace(getenv("ORDERHUB_API_RATE")); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n <= 0 {
			problems = append(problems, fmt.Sprintf("ORDERHUB_API_RATE %q must be a positive number of requests per second per token, such as 10", v))
		}
		cfg.APIRate = n
	}

	for _, proxy := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		proxy = strings.TrimSpace(proxy)
		if proxy == "" {
			continue
		}
		if net.ParseIP(proxy) == nil {
			if _, _, err := net.ParseCIDR(proxy); err != nil {
				problems = append(problems, fmt.Sprintf("TRUSTED_PROXIES: %q is neither an IP address nor a CIDR range such as 10.0.0.0/8", proxy))
				continue
			}
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, proxy)
	}

	cfg.SMTPURL = strings.TrimSpace(getenv("SMTP_URL"))
	cfg.SMTPFrom = strings.TrimSpace(getenv("SMTP_FROM"))
	problems = append(problems, smtpProblems(cfg.SMTPURL, cfg.SMTPFrom)...)

	key, err := secretKey(getenv("ORDERHUB_SECRET_KEY"), cfg)
	if err != nil {
		problems = append(problems, err.Error())
	}
	cfg.SecretKey = key
	previous, previousProblems := previousSecretKeys(getenv("ORDERHUB_PREVIOUS_SECRET_KEYS"))
	cfg.PreviousSecretKeys = previous
	problems = append(problems, previousProblems...)

	if len(problems) > 0 {
		return cfg, errors.New("configuration problems:\n  - " + strings.Join(problems, "\n  - "))
	}
	return cfg, nil
}

// smtpProblems checks the e-mail settings. The URL is never repeated whole in a problem: it
// may hold the server's password.
func smtpProblems(smtpURL, from string) []string {
	if smtpURL == "" {
		return nil
	}
	var problems []string
	const example = "such as smtp://user:password@mail.example.com:587 (STARTTLS when the server offers it) or smtps://user:password@mail.example.com:465 (TLS from the start); leave it unset to send no e-mail"
	u, err := url.Parse(smtpURL)
	switch {
	case err != nil:
		problems = append(problems, "SMTP_URL cannot be read: it must be a URL "+example)
	case u.Scheme != "smtp" && u.Scheme != "smtps":
		problems = append(problems, fmt.Sprintf("SMTP_URL %q must start with smtp:// or smtps://: a URL %s", u.Redacted(), example))
	case u.Hostname() == "":
		problems = append(problems, "SMTP_URL names no server: it must be a URL "+example)
	case u.Port() != "":
		if port, err := strconv.Atoi(u.Port()); err != nil || port < 1 || port > 65535 {
			problems = append(problems, fmt.Sprintf("SMTP_URL port %q must be a number from 1 to 65535, usually 587 for smtp:// or 465 for smtps://", u.Port()))
		}
	}
	if from == "" {
		problems = append(problems, "SMTP_FROM is required with SMTP_URL: the address e-mails are sent from, such as orderhub@example.com (one your SMTP server may send as)")
	} else if _, err := mail.ParseAddress(from); err != nil {
		problems = append(problems, fmt.Sprintf("SMTP_FROM %q must be an e-mail address such as orderhub@example.com or \"orderhub <orderhub@example.com>\"", from))
	}
	return problems
}

const secretKeyHint = "generate one with: head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n'"

func secretKey(value string, cfg Config) ([]byte, error) {
	value = strings.TrimSpace(value)
	if value != "" {
		key, err := hex.DecodeString(value)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("ORDERHUB_SECRET_KEY must be 64 hexadecimal characters (32 bytes); %s", secretKeyHint)
		}
		return key, nil
	}
	if !cfg.Embedded() {
		return nil, fmt.Errorf("ORDERHUB_SECRET_KEY is required with DATABASE_URL (it encrypts credentials and signs sessions); %s", secretKeyHint)
	}
	return embeddedSecretKey(cfg.DataDir)
}

// previousSecretKeys reads the comma-separated keys a rotation replaced. A bad entry is named
// by its position, never quoted: it may be a real key.
func previousSecretKeys(value string) ([][]byte, []string) {
	var keys [][]byte
	var problems []string
	for i, entry := range strings.Split(value, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		key, err := hex.DecodeString(entry)
		if err != nil || len(key) != 32 {
			problems = append(problems, fmt.Sprintf("ORDERHUB_PREVIOUS_SECRET_KEYS entry %d (of %d characters) must be 64 hexadecimal characters (32 bytes), the former ORDERHUB_SECRET_KEY; separate several with commas", i+1, len(entry)))
			continue
		}
		keys = append(keys, key)
	}
	return keys, problems
}

// embeddedSecretKey reads the key kept in the data folder, creating it on first start.
func embeddedSecretKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, "secret.key")
	if raw, err := os.ReadFile(path); err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("%s is damaged: it must hold 64 hexadecimal characters; restore it from a backup (deleting it logs everyone out and makes stored credentials unreadable)", path)
		}
		return key, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the data folder %s: %v (set ORDERHUB_DATA_DIR to a writable folder)", dataDir, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	// Written aside, then linked into place: when two processes start at once, the second
	// link fails and that process reads the first one's key.
	tmp, err := os.CreateTemp(dataDir, ".secret-*.key")
	if err != nil {
		return nil, fmt.Errorf("cannot write in the data folder %s: %v (set ORDERHUB_DATA_DIR to a writable folder)", dataDir, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(key) + "\n")
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %v", tmp.Name(), err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		return embeddedSecretKey(dataDir)
	} else if err != nil {
		return nil, fmt.Errorf("cannot create %s: %v", path, err)
	}
	return key, nil
}

func displayHost(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func orDefault(value, fallback string) string {
	if v := strings.TrimSpace(value); v != "" {
		return v
	}
	return fallback
}
