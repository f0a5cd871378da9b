package mirakl

import "testing"

func TestAlpha3TableIsCompleteAndConsistent(t *testing.T) {
	if len(alpha3ToAlpha2) != 249 {
		t.Errorf("the table has %d countries, ISO 3166-1 has 249", len(alpha3ToAlpha2))
	}
	seen := map[string]string{}
	for alpha3, alpha2 := range alpha3ToAlpha2 {
		if len(alpha3) != 3 || len(alpha2) != 2 {
			t.Errorf("%s → %s: wrong length", alpha3, alpha2)
		}
		if other, twice := seen[alpha2]; twice {
			t.Errorf("%s and %s both map to %s", other, alpha3, alpha2)
		}
		seen[alpha2] = alpha3
	}
}

func TestCountryAlpha2(t *testing.T) {
	iso := func(s string) *string { return &s }
	tests := []struct {
		isoCode  *string
		freeText string
		want     string
	}{
		{iso("FRA"), "France", "FR"},
		{iso("DEU"), "", "DE"},
		{iso("GBR"), "United Kingdom", "GB"},
		{iso("CHE"), "Suisse", "CH"},
		{iso("USA"), "USA", "US"},
		{iso("AUT"), "", "AT"},
		{iso("NLD"), "", "NL"},
		{iso("GLP"), "Guadeloupe", "GP"},
		{iso("usa"), "", "US"},
		{iso("XXX"), "France", "FR"}, // unknown code: the text still says it
		{nil, "France", "FR"},
		{nil, "France (métropolitaine)", "FR"},
		{nil, "FRANCE METROPOLITAINE", "FR"},
		{nil, "  germany ", "DE"},
		{nil, "Deutschland", "DE"},
		{nil, "Österreich", "AT"},
		{nil, "España", "ES"},
		{nil, "Pays-Bas", "NL"},
		{nil, "The Netherlands", "NL"},
		{nil, "Belgique", "BE"},
		{nil, "Royaume-Uni", "GB"},
		{nil, "UK", "GB"},
		{nil, "U.S.A.", "US"},
		{nil, "United States of America", "US"},
		{nil, "Switzerland", "CH"},
		{nil, "Norway", "NO"},
		{nil, "Iceland", "IS"},
		{nil, "Liechtenstein", "LI"},
		{nil, "Czech Republic", "CZ"},
		{nil, "Polska", ""}, // not a name we know: blocked for a missing field, not guessed
		{nil, "ITA", "IT"},
		{nil, "pt", "PT"},
		{nil, "Atlantis", ""},
		{nil, "", ""},
	}
	for _, tt := range tests {
		code := "null"
		if tt.isoCode != nil {
			code = *tt.isoCode
		}
		if got := countryAlpha2(tt.isoCode, tt.freeText); got != tt.want {
			t.Errorf("countryAlpha2(%s, %q) = %q, want %q", code, tt.freeText, got, tt.want)
		}
	}
}

// Every EU/EEA country, the UK, Switzerland and the US are recognised by English name.
func TestCountryNamesCoverEuropeAndUS(t *testing.T) {
	names := map[string]string{
		"Austria": "AT", "Belgium": "BE", "Bulgaria": "BG", "Croatia": "HR", "Cyprus": "CY",
		"Czechia": "CZ", "Denmark": "DK", "Estonia": "EE", "Finland": "FI", "France": "FR",
		"Germany": "DE", "Greece": "GR", "Hungary": "HU", "Ireland": "IE", "Italy": "IT",
		"Latvia": "LV", "Lithuania": "LT", "Luxembourg": "LU", "Malta": "MT", "Netherlands": "NL",
		"Poland": "PL", "Portugal": "PT", "Romania": "RO", "Slovakia": "SK", "Slovenia": "SI",
		"Spain": "ES", "Sweden": "SE", "Iceland": "IS", "Liechtenstein": "LI", "Norway": "NO",
		"United Kingdom": "GB", "Switzerland": "CH", "United States": "US",
	}
	for name, want := range names {
		if got := countryAlpha2(nil, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
