package models_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// rotationConnection saves a connection whose credentials are sealed under s.
func rotationConnection(t *testing.T, db *models.DB, s *models.Sealer, merchant, name string) *models.Connection {
	t.Helper()
	ctx := context.Background()
	m, _, err := models.SignUp(ctx, db.Gorm, merchant, "", strings.ToLower(merchant)+"@rotate.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	c := models.NewConnection(m.ID, name, "mirakl")
	if err := c.SetMarketplaceCredentials(s, models.Credentials{"api_key": "mk-" + merchant}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetStoreCredentials(s, models.Credentials{"consumer_secret": "cs-" + merchant}); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveConnection(ctx, db.Gorm, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func openedCredentials(t *testing.T, db *models.DB, s *models.Sealer, c *models.Connection) (marketplace, store models.Credentials, err error) {
	t.Helper()
	loaded, loadErr := models.MerchantConnection(context.Background(), db.Gorm, c.MerchantID, c.ID)
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	if marketplace, err = loaded.MarketplaceCredentialsOpen(s); err != nil {
		return nil, nil, err
	}
	store, err = loaded.StoreCredentialsOpen(s)
	return marketplace, store, err
}

func TestRotationReSealsEveryCredentialUnderTheNewKeyOnce(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	a, b, onlyB := sealerWith(t, keyA), sealerWith(t, keyB, keyA), sealerWith(t, keyB)
	first := rotationConnection(t, db, a, "Alpha", "Fnac FR")
	second := rotationConnection(t, db, a, "Beta", "Darty")
	draft := models.NewConnection(first.MerchantID, "No credentials yet", "mirakl")
	if err := models.SaveConnection(ctx, db.Gorm, draft); err != nil {
		t.Fatal(err)
	}
	beforeMarketplace, beforeStore := rawCredentials(t, db, first.ID)

	// During the rotation's first step, processes with B and previous A read A's values.
	if marketplace, store, err := openedCredentials(t, db, b, first); err != nil || marketplace["api_key"] != "mk-Alpha" || store["consumer_secret"] != "cs-Alpha" {
		t.Fatalf("B with previous A before rotating: %v %v %v", marketplace, store, err)
	}

	report, err := models.RotateSealedValues(ctx, db.Gorm, b)
	if err != nil {
		t.Fatal(err)
	}
	if report.Resealed != 4 || report.Current != 0 || report.Empty != 2 || len(report.Failures) != 0 {
		t.Fatalf("first rotation: %+v", report)
	}
	afterMarketplace, afterStore := rawCredentials(t, db, first.ID)
	if afterMarketplace == beforeMarketplace || afterStore == beforeStore || !strings.HasPrefix(afterMarketplace, "v2:"+b.KeyID()+":") {
		t.Fatalf("columns not re-sealed: %q → %q", beforeMarketplace, afterMarketplace)
	}
	for _, c := range []*models.Connection{first, second} {
		if _, _, err := openedCredentials(t, db, a, c); err == nil {
			t.Fatalf("connection %d still opens under A alone", c.ID)
		}
		marketplace, store, err := openedCredentials(t, db, onlyB, c)
		if err != nil || !strings.HasPrefix(marketplace["api_key"], "mk-") || !strings.HasPrefix(store["consumer_secret"], "cs-") {
			t.Fatalf("connection %d under B alone: %v %v %v", c.ID, marketplace, store, err)
		}
	}

	again, err := models.RotateSealedValues(ctx, db.Gorm, b)
	if err != nil {
		t.Fatal(err)
	}
	if again.Resealed != 0 || again.Current != 4 || len(again.Failures) != 0 {
		t.Fatalf("second rotation: %+v", again)
	}
	if m, s := rawCredentials(t, db, first.ID); m != afterMarketplace || s != afterStore {
		t.Fatal("the second rotation changed a value")
	}
}

func TestRotationNamesConnectionsNoKeyOpensAndLeavesThemAlone(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	lost := rotationConnection(t, db, sealerWith(t, keyC), "Gamma", "Sealed under a forgotten key")
	kept := rotationConnection(t, db, sealerWith(t, keyA), "Delta", "Sealed under A")
	beforeMarketplace, _ := rawCredentials(t, db, lost.ID)

	report, err := models.RotateSealedValues(ctx, db.Gorm, sealerWith(t, keyB, keyA))
	if err != nil {
		t.Fatal(err)
	}
	if report.Resealed != 2 || len(report.Failures) != 2 {
		t.Fatalf("report %+v", report)
	}
	for _, failure := range report.Failures {
		if failure.ConnectionID != lost.ID || !strings.Contains(failure.String(), "Sealed under a forgotten key") {
			t.Fatalf("failure %s, want connection %d", failure, lost.ID)
		}
	}
	if after, _ := rawCredentials(t, db, lost.ID); after != beforeMarketplace {
		t.Fatal("an unopenable value was changed")
	}
	if _, _, err := openedCredentials(t, db, sealerWith(t, keyB), kept); err != nil {
		t.Fatalf("the openable connection was not rotated: %v", err)
	}
}

func TestRotationWithoutPreviousKeysMovesVersionOneValuesToVersionTwo(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	c := rotationConnection(t, db, sealerWith(t, keyA), "Epsilon", "Old format")
	v1 := sealV1(t, keyA, []byte(`{"api_key":"mk-v1"}`), "merchant:"+strconv.FormatInt(c.MerchantID, 10)+":marketplace")
	if err := db.Gorm.Exec("UPDATE connections SET marketplace_credentials = ? WHERE id = ?", v1, c.ID).Error; err != nil {
		t.Fatal(err)
	}
	report, err := models.RotateSealedValues(ctx, db.Gorm, sealerWith(t, keyA))
	if err != nil || report.Resealed != 1 || report.Current != 1 {
		t.Fatalf("report %+v, %v", report, err)
	}
	marketplace, _, err := openedCredentials(t, db, sealerWith(t, keyA), c)
	if raw, _ := rawCredentials(t, db, c.ID); err != nil || marketplace["api_key"] != "mk-v1" || !strings.HasPrefix(raw, "v2:") {
		t.Fatalf("after rotating: %q %v %v", raw, marketplace, err)
	}
}

// A process already running with the new key saves credentials between the rotation's read and
// its update: the rotation must not overwrite them with the re-sealed old ones.
func TestRotationDoesNotOverwriteCredentialsChangedMeanwhile(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	b := sealerWith(t, keyB, keyA)
	c := rotationConnection(t, db, sealerWith(t, keyA), "Zeta", "Changed meanwhile")

	changed := *c
	if err := changed.SetStoreCredentials(b, models.Credentials{"consumer_secret": "cs-typed-meanwhile"}); err != nil {
		t.Fatal(err)
	}
	interfered := false
	err := db.Gorm.Callback().Raw().Before("gorm:raw").Register("test:change_meanwhile", func(tx *gorm.DB) {
		if interfered || !strings.Contains(tx.Statement.SQL.String(), "SET store_credentials") {
			return
		}
		interfered = true
		if err := db.Gorm.Exec("UPDATE connections SET store_credentials = ? WHERE id = ?", changed.StoreCredentials, c.ID).Error; err != nil {
			t.Error(err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	report, err := models.RotateSealedValues(ctx, db.Gorm, b)
	if err != nil {
		t.Fatal(err)
	}
	if !interfered {
		t.Fatal("the store credentials were never updated")
	}
	if report.Resealed != 1 || report.Current != 1 || len(report.Failures) != 0 {
		t.Fatalf("report %+v: want the marketplace side re-sealed and the changed store side found current", report)
	}
	if _, raw := rawCredentials(t, db, c.ID); raw != changed.StoreCredentials {
		t.Fatalf("the credentials saved meanwhile were overwritten: %q", raw)
	}
	_, store, err := openedCredentials(t, db, sealerWith(t, keyB), c)
	if err != nil || store["consumer_secret"] != "cs-typed-meanwhile" {
		t.Fatalf("store credentials %v %v", store, err)
	}
}
