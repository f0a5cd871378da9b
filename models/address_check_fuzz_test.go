package models_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/models"
)

// FuzzNormalisePostcode reads any postcode as typed for any country: an accepted postcode
// is on one line and reads the same again; a refusal says what to type.
func FuzzNormalisePostcode(f *testing.F) {
	f.Add("75002", "FR")
	f.Add("d-10115", "DE")
	f.Add("1012ab", "NL")
	f.Add("NL-1012 AB", "NL")
	f.Add("sw1a1aa", "GB")
	f.Add("LT-01100", "LT")
	f.Add("lv 1050", "LV")
	f.Add("100011234", "US")
	f.Add("K1A 0B1", "CA")
	f.Add("", "IE")
	f.Add("", "HK")
	f.Fuzz(func(t *testing.T, postcode, country string) {
		out, err := models.NormalisePostcode(postcode, country)
		if err != nil {
			var refusal *models.UserError
			if !errors.As(err, &refusal) || refusal.English == "" {
				t.Fatalf("%q (%s) refused without a message: %v", postcode, country, err)
			}
			return
		}
		if out != strings.TrimSpace(out) || strings.ContainsAny(out, "\n\r\t") {
			t.Fatalf("%q (%s) became %q, not on one line", postcode, country, out)
		}
		again, err := models.NormalisePostcode(out, country)
		if err != nil || again != out {
			t.Fatalf("%q (%s) became %q, then %q, %v", postcode, country, out, again, err)
		}
	})
}

// FuzzNormalisePhone reads any number as typed for any country: accepted numbers are in
// E.164, read the same again, with or without the country.
func FuzzNormalisePhone(f *testing.F) {
	f.Add("06 12 34 56 78", "FR")
	f.Add("+33 1 00 00 00 00", "")
	f.Add("030 1234567", "DE")
	f.Add("(212) 555-0100", "US")
	f.Add("0044 20 7946 0958", "GB")
	f.Add("+1 242 357 1234", "BS")
	f.Add("+800 1234 5678", "XX")
	f.Add("tel:+39-06-1234-5678;ext=12", "IT")
	f.Fuzz(func(t *testing.T, phone, country string) {
		out, err := models.NormalisePhone(phone, country)
		if err != nil {
			var refusal *models.UserError
			if !errors.As(err, &refusal) || refusal.English == "" {
				t.Fatalf("%q refused without a message: %v", phone, err)
			}
			return
		}
		if out == "" {
			if strings.TrimSpace(phone) != "" {
				t.Fatalf("%q became empty", phone)
			}
			return
		}
		if !strings.HasPrefix(out, "+") {
			t.Fatalf("%q became %q, not E.164", phone, out)
		}
		for _, region := range []string{country, ""} {
			again, err := models.NormalisePhone(out, region)
			if err != nil || again != out {
				t.Fatalf("%q (from %q, %s) read again with country %q: %q, %v", out, phone, country, region, again, err)
			}
		}
	})
}
