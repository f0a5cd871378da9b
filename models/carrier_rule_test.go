package models_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/models"
)

func TestCarrierRuleMatch(t *testing.T) {
	cases := []struct {
		name     string
		rule     models.CarrierRule
		tracking string
		match    bool
		sent     string
	}{
		{"starts with, any case", models.CarrierRule{MatchKind: models.MatchStartsWith, Pattern: "6a"}, "6A12345678901", true, "6A12345678901"},
		{"starts with, stripped", models.CarrierRule{MatchKind: models.MatchStartsWith, Pattern: "COL-", StripMatch: true}, "col-8L123", true, "8L123"},
		{"starts with, no match", models.CarrierRule{MatchKind: models.MatchStartsWith, Pattern: "6A"}, "XX6A", false, "XX6A"},
		{"ends with", models.CarrierRule{MatchKind: models.MatchEndsWith, Pattern: "FR"}, "LX123456789FR", true, "LX123456789FR"},
		{"ends with, stripped", models.CarrierRule{MatchKind: models.MatchEndsWith, Pattern: "-dpd", StripMatch: true}, "0987-DPD", true, "0987"},
		{"ends with, pattern longer than number", models.CarrierRule{MatchKind: models.MatchEndsWith, Pattern: "LONGER"}, "ER", false, "ER"},
		{"contains", models.CarrierRule{MatchKind: models.MatchContains, Pattern: "gls"}, "12GLS34", true, "12GLS34"},
		{"contains, stripped", models.CarrierRule{MatchKind: models.MatchContains, Pattern: "/", StripMatch: true}, "12/34", true, "1234"},
		{"contains, non-ASCII around", models.CarrierRule{MatchKind: models.MatchContains, Pattern: "ups", StripMatch: true}, "ßUPS1", true, "ß1"},
		{"regex", models.CarrierRule{MatchKind: models.MatchRegex, Pattern: `^1Z[0-9A-Z]{16}$`}, "1Z999AA10123456784", true, "1Z999AA10123456784"},
		{"regex, stripped", models.CarrierRule{MatchKind: models.MatchRegex, Pattern: `^TRK:\s*`, StripMatch: true}, "TRK: 00340434", true, "00340434"},
		{"regex, no match", models.CarrierRule{MatchKind: models.MatchRegex, Pattern: `^1Z`}, "2Z", false, "2Z"},
		{"length in range", models.CarrierRule{MatchKind: models.MatchLength, MinLength: 13, MaxLength: 13}, "LX123456789FR", true, "LX123456789FR"},
		{"length too short", models.CarrierRule{MatchKind: models.MatchLength, MinLength: 14}, "LX123456789FR", false, "LX123456789FR"},
		{"length open-ended", models.CarrierRule{MatchKind: models.MatchLength, MinLength: 10}, "12345678901234567890", true, "12345678901234567890"},
		{"surrounding spaces ignored", models.CarrierRule{MatchKind: models.MatchStartsWith, Pattern: "6A"}, "  6A1 ", true, "6A1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			match, sent := tc.rule.Match(tc.tracking)
			if match != tc.match || sent != tc.sent {
				t.Fatalf("Match(%q) = %v, %q; want %v, %q", tc.tracking, match, sent, tc.match, tc.sent)
			}
		})
	}
}

func TestCarrierRuleValidate(t *testing.T) {
	valid := models.CarrierRule{MatchKind: models.MatchStartsWith, Pattern: "6A", CarrierName: "Colissimo", TrackingURLTemplate: "https://www.laposte.fr/outils/suivre-vos-envois?code={tracking}"}
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid rule refused: %v", err)
	}
	invalid := map[string]models.CarrierRule{
		"empty pattern":       {MatchKind: models.MatchContains, CarrierName: "X"},
		"bad regex":           {MatchKind: models.MatchRegex, Pattern: "([", CarrierName: "X"},
		"inverted range":      {MatchKind: models.MatchLength, MinLength: 14, MaxLength: 10, CarrierName: "X"},
		"no range":            {MatchKind: models.MatchLength, CarrierName: "X"},
		"unknown kind":        {MatchKind: "sounds_like", Pattern: "x", CarrierName: "X"},
		"no carrier":          {MatchKind: models.MatchContains, Pattern: "x"},
		"template not a URL":  {MatchKind: models.MatchContains, Pattern: "x", CarrierName: "X", TrackingURLTemplate: "track {tracking}"},
		"template javascript": {MatchKind: models.MatchContains, Pattern: "x", CarrierName: "X", TrackingURLTemplate: "javascript:alert({tracking})"},
	}
	for name, rule := range invalid {
		if err := rule.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestMapCarrier(t *testing.T) {
	catalogue := []models.Carrier{
		{Code: "COLISSIMO", Name: "Colissimo", TrackingURLTemplate: "https://laposte.example/track/{tracking}"},
		{Code: "DHL", Name: "DHL Express", StandardCode: "DHL_EXPRESS", TrackingURLTemplate: "https://dhl.example/?n={tracking}"},
	}
	rules := []models.CarrierRule{
		{MatchKind: models.MatchStartsWith, Pattern: "1Z", CarrierCode: "UPS", CarrierName: "UPS", TrackingURLTemplate: "https://ups.example/{tracking}"},
		{MatchKind: models.MatchLength, MinLength: 13, MaxLength: 13, CarrierCode: "COLISSIMO", CarrierName: "Colissimo"},
		{MatchKind: models.MatchStartsWith, Pattern: "1Z9", CarrierCode: "NEVER", CarrierName: "Never reached"},
	}
	base := models.CarrierInput{Catalogue: catalogue, Rules: rules, DefaultCode: "GLS", DefaultName: "GLS", DefaultURL: "https://gls.example/{tracking}"}

	cases := []struct {
		name                 string
		storeCarrier, number string
		code, sent, url, why string
	}{
		{"store carrier known by name", "colissimo", "8L00000000001", "COLISSIMO", "8L00000000001", "https://laposte.example/track/8L00000000001", "store's carrier"},
		{"store carrier known by standard code", "dhl-express", "JD01", "DHL", "JD01", "https://dhl.example/?n=JD01", "store's carrier"},
		{"first matching rule wins", "Transporteur local", "1Z999AA10123456784", "UPS", "1Z999AA10123456784", "https://ups.example/1Z999AA10123456784", "rule 1"},
		{"second rule", "", "LX123456789FR", "COLISSIMO", "LX123456789FR", "", "rule 2"},
		{"default when nothing matches", "Unknown", "ABC", "GLS", "ABC", "https://gls.example/ABC", "default"},
		{"default without tracking has no URL", "", "", "GLS", "", "", "default"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			in.StoreCarrier, in.TrackingNumber = tc.storeCarrier, tc.number
			d, err := models.MapCarrier(in)
			if err != nil {
				t.Fatal(err)
			}
			if d.CarrierCode != tc.code || d.TrackingNumber != tc.sent || d.TrackingURL != tc.url || !strings.Contains(d.Why, tc.why) {
				t.Fatalf("got %+v; want code %s, number %q, url %q, why ~%q", d, tc.code, tc.sent, tc.url, tc.why)
			}
		})
	}

	t.Run("no default and no match is unmapped", func(t *testing.T) {
		in := models.CarrierInput{Catalogue: catalogue, Rules: rules, StoreCarrier: "Bike courier", TrackingNumber: "XYZ"}
		if _, err := models.MapCarrier(in); !errors.Is(err, models.ErrCarrierUnmapped) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("store URL kept when the carrier has no template", func(t *testing.T) {
		in := models.CarrierInput{StoreCarrier: "x", TrackingNumber: "123", TrackingURL: "https://store.example/t/123", DefaultName: "Other carrier"}
		d, err := models.MapCarrier(in)
		if err != nil || d.TrackingURL != "https://store.example/t/123" {
			t.Fatalf("%+v %v", d, err)
		}
	})
}
