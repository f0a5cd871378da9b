package models_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/models"
)

func env(values map[string]string) func(string) string {
	return func(key string) string { return values[key] }
}

func TestEmbeddedModeGeneratesTheSecretKeyOnceAndKeepsIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, err := models.LoadConfig(env(map[string]string{"ORDERHUB_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if !first.Embedded() || len(first.SecretKey) != 32 {
		t.Fatalf("embedded %v, key %d bytes", first.Embedded(), len(first.SecretKey))
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret.key: %v, mode %v", err, info.Mode())
	}
	second, err := models.LoadConfig(env(map[string]string{"ORDERHUB_DATA_DIR": dir}))
	if err != nil || !bytes.Equal(first.SecretKey, second.SecretKey) {
		t.Fatalf("second start got another key (%v)", err)
	}
	if first.ListenAddr != "127.0.0.1:8080" || first.BaseURL != "http://127.0.0.1:8080" || first.SQLitePath() != filepath.Join(dir, "orderhub.db") {
		t.Fatalf("defaults: %+v", first)
	}
}

func TestConfigProblemsAreReportedTogetherWithWhatToDo(t *testing.T) {
	_, err := models.LoadConfig(env(map[string]string{
		"DATABASE_URL":      "mysql://localhost/orderhub",
		"LISTEN_ADDR":       "8080",
		"BASE_URL":          "orderhub.example.com",
		"LOG_LEVEL":         "loud",
		"ORDERHUB_SIGNUP":   "maybe",
		"TRUSTED_PROXIES":   "10.0.0.1, not-an-address",
		"ORDERHUB_API_RATE": "fast",
	}))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"DATABASE_URL must be a PostgreSQL URL", "LISTEN_ADDR", "BASE_URL", "LOG_LEVEL", "ORDERHUB_SIGNUP", "not-an-address", "ORDERHUB_API_RATE", "ORDERHUB_SECRET_KEY is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not mention %q:\n%v", want, err)
		}
	}
}

func TestSecretKeyMustBe32HexBytes(t *testing.T) {
	base := map[string]string{"DATABASE_URL": "postgres://localhost/orderhub"}
	base["ORDERHUB_SECRET_KEY"] = "too-short"
	if _, err := models.LoadConfig(env(base)); err == nil || !strings.Contains(err.Error(), "64 hexadecimal") {
		t.Fatalf("short key: %v", err)
	}
	base["ORDERHUB_SECRET_KEY"] = strings.Repeat("0f", 32)
	cfg, err := models.LoadConfig(env(base))
	if err != nil || cfg.Embedded() || len(cfg.SecretKey) != 32 {
		t.Fatalf("valid key: %v %+v", err, cfg)
	}
}

func TestHTTPSBaseURLMakesCookiesSecure(t *testing.T) {
	cfg, err := models.LoadConfig(env(map[string]string{"ORDERHUB_DATA_DIR": t.TempDir(), "BASE_URL": "https://orderhub.example.com/"}))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.SecureCookies() || cfg.BaseURL != "https://orderhub.example.com" {
		t.Fatalf("%+v", cfg)
	}
}

func TestSMTPSettingsAreCheckedWithWhatToDo(t *testing.T) {
	for _, c := range []struct{ name, url, from, problem string }{
		{"unset: no e-mail", "", "", ""},
		{"STARTTLS", "smtp://user:pa%2Fss@mail.example.com:587", "orderhub@example.com", ""},
		{"TLS from the start", "smtps://mail.example.com", "orderhub <orderhub@example.com>", ""},
		{"another scheme", "https://user:secret@mail.example.com", "orderhub@example.com", `SMTP_URL "https://user:xxxxx@mail.example.com" must start with smtp:// or smtps://`},
		{"no scheme", "mail.example.com:587", "orderhub@example.com", "must start with smtp:// or smtps://"},
		{"unreadable", "smtp://user:secret@mail.example.com:5 87", "orderhub@example.com", "SMTP_URL cannot be read"},
		{"no server", "smtp:///", "orderhub@example.com", "SMTP_URL names no server"},
		{"port out of range", "smtp://mail.example.com:99999", "orderhub@example.com", `SMTP_URL port "99999" must be a number from 1 to 65535`},
		{"no sender", "smtp://mail.example.com", "", "SMTP_FROM is required with SMTP_URL"},
		{"sender not an address", "smtp://mail.example.com", "orderhub", `SMTP_FROM "orderhub" must be an e-mail address`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := models.LoadConfig(env(map[string]string{"ORDERHUB_DATA_DIR": t.TempDir(), "SMTP_URL": c.url, "SMTP_FROM": c.from}))
			if c.problem == "" {
				if err != nil || cfg.SMTPURL != c.url || cfg.SMTPFrom != c.from {
					t.Fatalf("%v, %q from %q", err, cfg.SMTPURL, cfg.SMTPFrom)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.problem) {
				t.Fatalf("the error does not say %q:\n%v", c.problem, err)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the password:\n%v", err)
			}
		})
	}
}
