package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestCarrierRulesAddMoveDelete(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	c := activeConnection(t, db, "acme")
	other := activeConnection(t, db, "other")
	names := func(conn *models.Connection) string {
		rules, err := models.ConnectionCarrierRules(ctx, db.Gorm, conn.MerchantID, conn.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, r := range rules {
			out += r.CarrierName + " "
		}
		return out
	}
	var ids []int64
	for _, name := range []string{"Colissimo", "UPS", "DHL"} {
		r := &models.CarrierRule{MatchKind: models.MatchContains, Pattern: name[:2], CarrierName: name}
		if err := models.AddCarrierRule(ctx, db.Gorm, c, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if err := models.AddCarrierRule(ctx, db.Gorm, c, &models.CarrierRule{MatchKind: models.MatchRegex, Pattern: "(", CarrierName: "X"}); err == nil {
		t.Fatal("an invalid rule was added")
	}
	if err := models.MoveCarrierRule(ctx, db.Gorm, c, ids[2], true); err != nil {
		t.Fatal(err)
	}
	if got := names(c); got != "Colissimo DHL UPS " {
		t.Fatalf("after moving DHL up: %q", got)
	}
	if err := models.MoveCarrierRule(ctx, db.Gorm, c, ids[0], true); err == nil {
		t.Fatal("the first rule moved up")
	}
	// Another merchant's connection cannot reach these rules.
	if err := models.DeleteCarrierRule(ctx, db.Gorm, other, ids[1]); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("delete through another connection: %v", err)
	}
	if err := models.MoveCarrierRule(ctx, db.Gorm, other, ids[1], true); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("move through another connection: %v", err)
	}
	if err := models.DeleteCarrierRule(ctx, db.Gorm, c, ids[1]); err != nil {
		t.Fatal(err)
	}
	if got := names(c); got != "Colissimo DHL " {
		t.Fatalf("after deleting UPS: %q", got)
	}
}

func TestConnectionSetupSteps(t *testing.T) {
	c := models.NewConnection(1, "Fnac", "mirakl")
	if c.NextSetupStep() != models.StepMarketplace {
		t.Fatalf("a connection without country starts at %s", c.NextSetupStep())
	}
	c.Country = "FR"
	if c.NextSetupStep() != models.StepCredentials {
		t.Fatalf("next %s", c.NextSetupStep())
	}
	c.MarketplaceCredentials, c.StoreKind = "sealed", models.StoreKindAPI
	if c.NextSetupStep() != models.StepCarriers {
		t.Fatalf("an API store needs no credentials: next %s", c.NextSetupStep())
	}
	c.DefaultCarrierName = "GLS"
	if c.NextSetupStep() != models.StepActivate || c.StepDone(models.StepActivate) {
		t.Fatalf("next %s", c.NextSetupStep())
	}
	settings := models.EncodeSettings(map[string]string{"base_url": " https://x.example ", "shop_id": ""})
	if settings != `{"base_url":"https://x.example"}` || models.Settings(settings)["base_url"] != "https://x.example" {
		t.Fatalf("settings %s", settings)
	}
}
