package models_test

import (
	"testing"

	"github.com/orderhub/orderhub/models"
)

func TestFormatDecimal(t *testing.T) {
	for _, tc := range []struct {
		amount   int64
		exponent int
		want     string
	}{
		{2935, 2, "29.35"},
		{5, 2, "0.05"},
		{-5, 2, "-0.05"},
		{0, 2, "0.00"},
		{100000, 2, "1000.00"},
		{1500, 0, "1500"},
		{-1500, 0, "-1500"},
		{12345, 3, "12.345"},
		{7, 3, "0.007"},
		{0, 3, "0.000"},
	} {
		if got := models.FormatDecimal(tc.amount, tc.exponent); got != tc.want {
			t.Errorf("models.FormatDecimal(%d, %d) = %q, want %q", tc.amount, tc.exponent, got, tc.want)
		}
	}
}

func TestCurrencyExponent(t *testing.T) {
	for currency, want := range map[string]int{
		"EUR": 2, "USD": 2, "GBP": 2, "XYZ": 2,
		"JPY": 0, "jpy": 0, "KRW": 0, "CLP": 0, "ISK": 0,
		"BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3,
		"CLF": 4,
	} {
		if got := models.CurrencyExponent(currency); got != want {
			t.Errorf("CurrencyExponent(%s) = %d, want %d", currency, got, want)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		text     string
		exponent int
		want     int64
		bad      bool
	}{
		{"29.35", 2, 2935, false}, {"1500", 0, 1500, false}, {"12.9", 2, 1290, false}, {"", 2, 0, false},
		{"-3", 2, -300, false}, {"+4.5", 2, 450, false}, {"12.905", 2, 1291, false}, {"-12.905", 2, -1291, false},
		{"12.900000", 2, 1290, false}, {"0.004", 2, 0, false}, {".", 2, 0, true}, {"1,50", 2, 0, true}, {"1.5E+2", 2, 0, true},
	} {
		got, err := models.ParseDecimal(tc.text, tc.exponent)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseDecimal(%q, %d) = %d, %v", tc.text, tc.exponent, got, err)
		}
	}
}
