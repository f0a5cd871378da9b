package views

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
)

func inLanguage(code string) context.Context { return WithLanguage(context.Background(), code) }

func TestMoneyIsWrittenTheWayEachLanguageWritesNumbers(t *testing.T) {
	const nnbsp = "\u202f"
	tests := []struct {
		minor    int64
		currency string
		en, fr   string
		it       string
	}{
		{1999, "EUR", "19.99 EUR", "19,99 EUR", "19,99 EUR"},
		{5, "EUR", "0.05 EUR", "0,05 EUR", "0,05 EUR"},
		{123456, "EUR", "1234.56 EUR", "1" + nnbsp + "234,56 EUR", "1.234,56 EUR"},
		{123456789, "EUR", "1234567.89 EUR", "1" + nnbsp + "234" + nnbsp + "567,89 EUR", "1.234.567,89 EUR"},
		{-123456, "EUR", "-1234.56 EUR", "-1" + nnbsp + "234,56 EUR", "-1.234,56 EUR"},
		{1500, "JPY", "1500 JPY", "1" + nnbsp + "500 JPY", "1.500 JPY"},
		{999, "JPY", "999 JPY", "999 JPY", "999 JPY"},
		{1234567, "BHD", "1234.567 BHD", "1" + nnbsp + "234,567 BHD", "1.234,567 BHD"},
	}
	for _, tt := range tests {
		for lang, want := range map[string]string{"en": tt.en, "fr": tt.fr, "it": tt.it} {
			if got := FormatMoney(inLanguage(lang), tt.minor, tt.currency); got != want {
				t.Errorf("%s: FormatMoney(%d, %s) = %q, want %q", lang, tt.minor, tt.currency, got, want)
			}
		}
	}
	// English is what Money has always shown, so the order pages read the same either way.
	if got, want := FormatMoney(context.Background(), 123456, "EUR"), Money(123456, "EUR"); got != want {
		t.Errorf("without a language: %q, Money says %q", got, want)
	}
}

func TestDatesNameMonthsAndDaysInThePagesLanguage(t *testing.T) {
	at := time.Date(2026, time.February, 3, 9, 5, 7, 0, time.UTC) // a Tuesday
	tests := []struct {
		lang                          string
		date, dateTime, long, weekday string
	}{
		{"en", "3 Feb 2026", "3 Feb 09:05", "Tuesday 3 February 2026", "Tue 3 Feb"},
		{"fr", "3 févr. 2026", "3 févr. 09:05", "mardi 3 février 2026", "mar. 3 févr."},
		{"it", "3 feb 2026", "3 feb 09:05", "martedì 3 febbraio 2026", "mar 3 feb"},
	}
	for _, tt := range tests {
		ctx := inLanguage(tt.lang)
		if got := FormatDate(ctx, at); got != tt.date {
			t.Errorf("%s: FormatDate = %q, want %q", tt.lang, got, tt.date)
		}
		if got := FormatDateTime(ctx, at); got != tt.dateTime {
			t.Errorf("%s: FormatDateTime = %q, want %q", tt.lang, got, tt.dateTime)
		}
		if got := FormatTime(ctx, at, "Monday 2 January 2006"); got != tt.long {
			t.Errorf("%s: long date %q, want %q", tt.lang, got, tt.long)
		}
		if got := FormatTime(ctx, at, "Mon 2 Jan"); got != tt.weekday {
			t.Errorf("%s: day %q, want %q", tt.lang, got, tt.weekday)
		}
	}
	// Numbers, times and text without names pass through time.Format untouched.
	for _, layout := range []string{"2 Jan 2006 15:04:05", "2006-01-02", "15:04 MST", "Mon Jan _2 15:04:05 2006"} {
		if got, want := FormatTime(context.Background(), at, layout), at.Format(layout); got != want {
			t.Errorf("English %q: %q, time.Format says %q", layout, got, want)
		}
	}
}

func TestEveryMonthAndWeekdayHasItsNameInEveryLanguage(t *testing.T) {
	for _, l := range Languages {
		ctx := inLanguage(l.Code)
		for month := time.January; month <= time.December; month++ {
			day := time.Date(2026, month, 1, 0, 0, 0, 0, time.UTC)
			for _, layout := range []string{"Jan", "January"} {
				if got := FormatTime(ctx, day, layout); got == "" || strings.Contains(got, "month.") {
					t.Errorf("%s: %s of %s is %q", l.Code, layout, month, got)
				}
			}
		}
		for day := 0; day < 7; day++ {
			date := time.Date(2026, time.March, 1+day, 0, 0, 0, 0, time.UTC)
			for _, layout := range []string{"Mon", "Monday"} {
				want := date.Format(layout)
				got := FormatTime(ctx, date, layout)
				if got == "" || strings.Contains(got, "weekday.") || (l.Code == "en" && got != want) {
					t.Errorf("%s: %s of %s is %q", l.Code, layout, date.Weekday(), got)
				}
			}
		}
	}
}

func TestPluralsFollowTheLanguagesRules(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 orders"}, {"en", 1, "1 order"}, {"en", 2, "2 orders"},
		{"fr", 0, "0 commande"}, {"fr", 1, "1 commande"}, {"fr", 2, "2 commandes"},
		{"it", 0, "0 ordini"}, {"it", 1, "1 ordine"}, {"it", 12, "12 ordini"},
	}
	for _, tt := range tests {
		if got := TCount(inLanguage(tt.lang), "common.orders", tt.n); got != tt.want {
			t.Errorf("%s, %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

// Every state and reason an order can be in has its words, and in English they are the ones
// StateLabel gives the pages not translated yet.
func TestEveryOrderStateHasItsText(t *testing.T) {
	codes := []string{
		models.StatusCreated, models.StatusWaitingAcceptance, models.StatusWaitingShipment, models.StatusShipped,
		models.StatusDelivered, models.StatusRefused, models.StatusCancelled, models.StatusRefunded,
		models.StorePending, models.StoreImported, models.StoreBlocked, models.StoreCancelled,
		models.ShipmentNone, models.ShipmentAwaitingTracking, models.ShipmentReady, models.ShipmentSent,
		models.ShipmentConfirmed, models.ShipmentBlocked,
	}
	codes = append(codes, blockedReasons...)
	for _, code := range codes {
		if got, want := StateText(inLanguage("en"), code), StateLabel(code); got != want {
			t.Errorf("English %s: %q, StateLabel says %q", code, got, want)
		}
		for _, lang := range []string{"fr", "it"} {
			if T(inLanguage(lang), "state."+code) == StateLabel(code) {
				t.Errorf("%s: %s has no translation", lang, code)
			}
		}
	}
	if got := StateText(inLanguage("fr"), ""); got != "—" {
		t.Errorf("no state: %q", got)
	}
}

// Some words come from models and connectors; their English texts must stay the same as the
// source's, and every one of them needs its text.
func TestTextsFromModelsAndConnectorsMatchTheirSource(t *testing.T) {
	en := inLanguage("en")
	for _, step := range models.SetupSteps {
		if got := T(en, "setup.step."+step.Key); got != step.Label {
			t.Errorf("setup step %s: %q, the model says %q", step.Key, got, step.Label)
		}
	}
	for _, key := range []string{"to_accept", "blocked", "to_ship", "shipping"} {
		if got, want := T(en, "dashboard.count."+key), models.OrderTabByKey(key).Label; got != want {
			t.Errorf("tab %s: %q, the model says %q", key, got, want)
		}
	}
	for _, seconds := range models.PollIntervals {
		if got, want := pollIntervalLabel(en, seconds), models.PollIntervalLabel(seconds); got != want {
			t.Errorf("poll interval %d: %q, the model says %q", seconds, got, want)
		}
	}
	for _, c := range []models.Connection{{}, {StoreKind: "woocommerce"}} {
		for _, problem := range c.ActivationProblems() {
			id, ok := activationProblems[problem]
			if !ok || T(en, id) != problem {
				t.Errorf("activation problem %q has no text", problem)
			}
		}
	}
	for _, k := range append(jobs.MarketplaceKindList(), jobs.StoreKindList()...) {
		if got := T(en, "setup.connector."+k.Kind); got != k.Label {
			t.Errorf("connector %s: %q, the connector says %q", k.Kind, got, k.Label)
		}
		for _, f := range append(k.Settings, k.Credentials...) {
			if got := fieldLabel(en, k, f); got != f.Label || T(en, "setup.connector."+k.Kind+"."+f.Name) != f.Label {
				t.Errorf("%s field %s: %q, the connector says %q", k.Kind, f.Name, got, f.Label)
			}
			if got := T(en, "setup.connector."+k.Kind+"."+f.Name+".hint"); f.Hint != "" && got != f.Hint {
				t.Errorf("%s field %s hint: %q, the connector says %q", k.Kind, f.Name, got, f.Hint)
			}
		}
	}
	for _, f := range models.BuyerFields {
		if T(inLanguage("fr"), "settings.buyer."+f) == "settings.buyer."+f {
			t.Errorf("buyer field %s has no text", f)
		}
	}
}

func TestCountriesAreListedInTheLanguagesAlphabeticalOrder(t *testing.T) {
	for lang, first := range map[string]string{"en": "Austria", "fr": "Allemagne", "it": "Austria"} {
		options := countryOptions(inLanguage(lang))
		if len(options) != len(countries)+1 || options[0].Value != "" || options[1].Label != first {
			t.Errorf("%s: %d options, first %+v, want %s", lang, len(options), options[1], first)
		}
	}
	fr := countryOptions(inLanguage("fr"))
	for i := 2; i < len(fr); i++ {
		if fr[i].Label == "États-Unis" && fr[i-1].Label != "Espagne" {
			t.Errorf("French order puts États-Unis after %q", fr[i-1].Label)
		}
	}
}
