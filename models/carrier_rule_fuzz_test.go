package models_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/orderhub/orderhub/models"
)

var fuzzMatchKinds = []string{models.MatchStartsWith, models.MatchEndsWith, models.MatchContains, models.MatchRegex, models.MatchLength}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lettersAndDigits is a carrier name as the catalogue lookup compares it.
func lettersAndDigits(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FuzzCarrierRule tries a rule as a merchant may type it (any pattern, any carrier name)
// against any tracking number: a rule that validation accepts matches as its kind says,
// strips only what it matched, and decides the carrier when nothing else does.
func FuzzCarrierRule(f *testing.F) {
	f.Add(uint8(0), "1Z", "UPS", "1Z999AA10123456784", false, int16(0), int16(0))
	f.Add(uint8(1), "FR", "Colissimo", "6A12345678901FR", true, int16(0), int16(0))
	f.Add(uint8(2), "dhl", "DHL Express", "JJD0099999999DHL123", true, int16(0), int16(0))
	f.Add(uint8(3), `^(JJD|JVGL)\d{10,}`, "DHL", " JJD000390007827471 ", true, int16(0), int16(0))
	f.Add(uint8(3), `(a*)*$`, "Slow Carrier", strings.Repeat("a", 64)+"!", false, int16(0), int16(0))
	f.Add(uint8(3), `\b`, "Empty match", "ABC 123", true, int16(0), int16(0))
	f.Add(uint8(4), "", "PostNL", "3SABCD0123456789", false, int16(13), int16(16))
	f.Add(uint8(2), "K", "Kelvin", "\u212a123", true, int16(0), int16(0))
	f.Fuzz(func(t *testing.T, kind uint8, pattern, carrierName, tracking string, strip bool, minLength, maxLength int16) {
		rule := models.CarrierRule{
			MatchKind: fuzzMatchKinds[int(kind)%len(fuzzMatchKinds)], Pattern: pattern,
			MinLength: int(minLength), MaxLength: int(maxLength), StripMatch: strip,
			CarrierCode: "CODE", CarrierName: carrierName,
		}
		if err := rule.Validate(); err != nil {
			var refusal *models.UserError
			if !errors.As(err, &refusal) || refusal.English == "" {
				t.Fatalf("validation refused %+v without a message for the merchant: %v", rule, err)
			}
			return
		}
		trimmed := strings.TrimSpace(tracking)
		ok, sent := rule.Match(tracking)
		switch {
		case !ok || !strip:
			if sent != trimmed {
				t.Fatalf("rule %+v changed %q into %q without stripping a match", rule, tracking, sent)
			}
		case len(sent) > len(trimmed):
			t.Fatalf("stripping made %q longer: %q", trimmed, sent)
		}
		p := strings.TrimSpace(pattern)
		lowerTracking, lowerPattern := strings.ToLower(trimmed), strings.ToLower(p)
		if isASCII(trimmed) && isASCII(p) {
			var want bool
			switch rule.MatchKind {
			case models.MatchStartsWith:
				want = strings.HasPrefix(lowerTracking, lowerPattern)
			case models.MatchEndsWith:
				want = strings.HasSuffix(lowerTracking, lowerPattern)
			case models.MatchContains:
				want = strings.Contains(lowerTracking, lowerPattern)
			}
			if rule.MatchKind != models.MatchRegex && rule.MatchKind != models.MatchLength && ok != want {
				t.Fatalf("%s %q on %q: match %v, want %v", rule.MatchKind, p, trimmed, ok, want)
			}
		}
		if rule.MatchKind == models.MatchRegex && ok != regexp.MustCompile(pattern).MatchString(trimmed) {
			t.Fatalf("regex %q on %q: match %v", pattern, trimmed, ok)
		}

		// The store's carrier wins when the marketplace knows it (by letters and digits,
		// ignoring case); else the rule decides if it matches; else nothing does.
		decision, err := models.MapCarrier(models.CarrierInput{
			StoreCarrier: carrierName, TrackingNumber: tracking,
			Catalogue: []models.Carrier{{Code: "UPS", Name: "United Parcel Service", StandardCode: "UPS"}},
			Rules:     []models.CarrierRule{rule},
		})
		switch {
		case lettersAndDigits(carrierName) == "ups":
			if err != nil || decision.CarrierCode != "UPS" {
				t.Fatalf("the store's carrier %q is the marketplace's UPS, yet the decision is %+v, %v", carrierName, decision, err)
			}
		case ok && trimmed != "":
			if err != nil || decision.CarrierCode != "CODE" || decision.TrackingNumber != sent {
				t.Fatalf("a matching rule did not decide: %+v, %v", decision, err)
			}
		case !errors.Is(err, models.ErrCarrierUnmapped):
			t.Fatalf("nothing matches %q, yet the decision is %+v, %v", tracking, decision, err)
		}
		if err == nil && decision.TrackingNumber == "" && decision.TrackingURL != "" {
			t.Fatalf("a tracking URL without a tracking number: %+v", decision)
		}
	})
}
