package woocommerce

import (
	"testing"

	"github.com/orderhub/orderhub/models"
)

func TestParseMinor(t *testing.T) {
	for _, tc := range []struct {
		text     string
		exponent int
		want     int64
	}{
		{"29.35", 2, 2935},
		{"29.3", 2, 2930},
		{"29", 2, 2900},
		{".5", 2, 50},
		{"-3.10", 2, -310},
		{"+3.10", 2, 310},
		{"", 2, 0},
		{" 4.20 ", 2, 420},
		{"0.005", 2, 1}, // half rounds away from zero
		{"0.0049", 2, 0},
		{"-0.005", 2, -1},
		{"1500", 0, 1500},
		{"1500.00", 0, 1500}, // a shop set to two decimals selling in yen
		{"1500.50", 0, 1501},
		{"12.345", 3, 12345},
		{"12.3", 3, 12300},
		{"0.001", 3, 1},
		{"29.350000", 6, 29350000},
	} {
		got, err := parseMinor(tc.text, tc.exponent)
		if err != nil || got != tc.want {
			t.Errorf("parseMinor(%q, %d) = %d, %v; want %d", tc.text, tc.exponent, got, err, tc.want)
		}
	}
	for _, bad := range []string{"abc", "1.2.3", "-", ".", "1,50", "1e3", "--1", "99999999999999999999"} {
		if got, err := parseMinor(bad, 2); err == nil {
			t.Errorf("parseMinor(%q) = %d, want an error", bad, got)
		}
	}
}

func TestMoneyRoundTripsThroughStrings(t *testing.T) {
	for _, exponent := range []int{0, 2, 3} {
		for _, amount := range []int64{0, 1, 9, 10, 99, 100, 101, 123456789, -1, -100, -123456} {
			text := models.FormatDecimal(amount, exponent)
			back, err := parseMinor(text, exponent)
			if err != nil || back != amount {
				t.Errorf("exponent %d: %d → %q → %d, %v", exponent, amount, text, back, err)
			}
		}
	}
}
