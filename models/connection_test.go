package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func sealer(t *testing.T, key string) *models.Sealer {
	t.Helper()
	s, err := models.NewSealer([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCredentialsAreSealedAndBoundToTheirPlace(t *testing.T) {
	s := sealer(t, "0123456789abcdef0123456789abcdef")
	c := models.NewConnection(7, "Fnac", "mirakl")
	if err := c.SetMarketplaceCredentials(s, models.Credentials{"api_key": "mk-live-5f3a9c"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.MarketplaceCredentials, "mk-live-5f3a9c") || !strings.HasPrefix(c.MarketplaceCredentials, "v2:") {
		t.Fatalf("stored value %q", c.MarketplaceCredentials)
	}
	creds, err := c.MarketplaceCredentialsOpen(s)
	if err != nil || creds["api_key"] != "mk-live-5f3a9c" {
		t.Fatalf("opened %v, %v", creds, err)
	}
	// The same sealed value moved to the store side, or another merchant, does not open.
	c.StoreCredentials = c.MarketplaceCredentials
	if _, err := c.StoreCredentialsOpen(s); !errors.Is(err, models.ErrUnsealable) {
		t.Fatalf("moved to the store side: %v", err)
	}
	other := *c
	other.MerchantID = 8
	if _, err := other.MarketplaceCredentialsOpen(s); !errors.Is(err, models.ErrUnsealable) {
		t.Fatalf("moved to another merchant: %v", err)
	}
	if _, err := c.MarketplaceCredentialsOpen(sealer(t, "another key, another key, 32 byt")); !errors.Is(err, models.ErrUnsealable) {
		t.Fatalf("other key: %v", err)
	}
	if got := models.Mask("ck_4f9a8b7c6d5e"); got != "ck_…6d5e" {
		t.Fatalf("mask %q", got)
	}
	if got := models.Mask("short"); strings.Contains(got, "short") {
		t.Fatalf("a short secret is shown: %q", got)
	}
}

func TestActivation(t *testing.T) {
	s := sealer(t, "0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	c := models.NewConnection(1, "Fnac", "mirakl")
	err := c.Activate(now, now)
	if err == nil || !strings.Contains(err.Error(), "marketplace credentials") || !strings.Contains(err.Error(), "default carrier") {
		t.Fatalf("activating an empty draft: %v", err)
	}
	_ = c.SetMarketplaceCredentials(s, models.Credentials{"api_key": "k"})
	c.StoreKind = "woocommerce"
	_ = c.SetStoreCredentials(s, models.Credentials{"consumer_key": "ck", "consumer_secret": "cs"})
	c.DefaultCarrierName = "Colissimo"
	if err := c.Activate(now.Add(-31*24*time.Hour), now); err == nil {
		t.Fatal("an activation date 31 days back was accepted")
	}
	if err := c.Activate(now.Add(time.Hour), now); err == nil {
		t.Fatal("a future activation date was accepted")
	}
	back := now.Add(-30 * 24 * time.Hour)
	if err := c.Activate(back, now); err != nil {
		t.Fatal(err)
	}
	if c.State != models.ConnectionActive || !c.ActivationDate.Equal(back) || c.NextPollAt == nil {
		t.Fatalf("after activation: %+v", c)
	}
	if err := c.Activate(now, now); !errors.Is(err, models.ErrInvalidTransition) {
		t.Fatalf("activating twice: %v", err)
	}
	if err := c.Pause(); err != nil || c.State != models.ConnectionPaused {
		t.Fatalf("pause: %v", err)
	}
	if err := c.Pause(); !errors.Is(err, models.ErrInvalidTransition) {
		t.Fatalf("pausing twice: %v", err)
	}
	if err := c.Resume(now); err != nil || c.State != models.ConnectionActive {
		t.Fatalf("resume: %v", err)
	}

	api := models.NewConnection(1, "Custom shop", "mirakl")
	_ = api.SetMarketplaceCredentials(s, models.Credentials{"api_key": "k"})
	api.StoreKind, api.DefaultCarrierName = models.StoreKindAPI, "GLS"
	if problems := api.ActivationProblems(); len(problems) != 0 {
		t.Fatalf("an API store needs no store credentials, got %v", problems)
	}
}

func TestCountriesAndRequiredFields(t *testing.T) {
	c := models.NewConnection(1, "x", "mirakl")
	if !c.CountryActive("BE") {
		t.Fatal("with no list every country is active")
	}
	c.ActiveCountries = "fr, de"
	if !c.CountryActive("FR") || !c.CountryActive("de") || c.CountryActive("BE") {
		t.Fatalf("countries %v", c.Countries())
	}
	c.ActivateCountry("be")
	if !c.CountryActive("BE") || c.ActiveCountries != "FR,DE,BE" {
		t.Fatalf("after activating BE: %q", c.ActiveCountries)
	}
	if !c.Requires("postcode") || c.Requires("phone") {
		t.Fatalf("default required fields %q", c.RequiredFields)
	}
	c.RequiredFields = "Phone, email"
	if !c.Requires("phone") || !c.Requires("email") || c.Requires("postcode") {
		t.Fatalf("required fields %q", c.RequiredFields)
	}
}

func TestConnectionsAreStoredSealedAndScoped(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	s := sealer(t, "0123456789abcdef0123456789abcdef")
	a, _, _ := models.SignUp(ctx, db.Gorm, "A", "", "a@a.test", "long enough password")
	b, _, _ := models.SignUp(ctx, db.Gorm, "B", "", "b@b.test", "long enough password")

	c := models.NewConnection(a.ID, "Fnac FR", "mirakl")
	if err := c.SetMarketplaceCredentials(s, models.Credentials{"api_key": "mk-secret-value-1"}); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveConnection(ctx, db.Gorm, c); err != nil {
		t.Fatal(err)
	}
	var raw string
	if err := db.Gorm.Raw("SELECT marketplace_credentials FROM connections WHERE id = ?", c.ID).Scan(&raw).Error; err != nil {
		t.Fatal(err)
	}
	if raw == "" || strings.Contains(raw, "mk-secret-value-1") {
		t.Fatalf("the column holds %q", raw)
	}
	loaded, err := models.MerchantConnection(ctx, db.Gorm, a.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if creds, err := loaded.MarketplaceCredentialsOpen(s); err != nil || creds["api_key"] != "mk-secret-value-1" {
		t.Fatalf("reloaded credentials %v %v", creds, err)
	}
	if loaded.PollIntervalSeconds != 60 || loaded.TrackingWaitSeconds != 10800 || !loaded.AutoAccept {
		t.Fatalf("defaults not kept: %+v", loaded)
	}
	if _, err := models.MerchantConnection(ctx, db.Gorm, b.ID, c.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("merchant B reading A's connection: %v", err)
	}
	if list, _ := models.MerchantConnections(ctx, db.Gorm, b.ID); len(list) != 0 {
		t.Fatalf("merchant B lists %d connections", len(list))
	}
}
