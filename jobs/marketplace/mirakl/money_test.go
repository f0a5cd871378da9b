package mirakl

import (
	"encoding/json"
	"testing"
)

func TestMinorUnitsConvertsDecimalsWithoutFloat(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             int64
	}{
		{"19.99", "EUR", 1999},
		{"165", "USD", 16500},
		{"21.3", "EUR", 2130},
		{"0", "EUR", 0},
		{"", "EUR", 0}, // null amount
		{"0.1", "EUR", 10},
		{"0.2", "EUR", 20},
		{"0.30000000000000004", "EUR", 30}, // 0.1+0.2 as a float-minded system writes it
		{"0.3", "EUR", 30},
		{"1.005", "EUR", 101}, // a float says 100.49999...
		{"2.675", "EUR", 268}, // a float says 267.49999...
		{"-1.005", "EUR", -101},
		{"-0.004", "EUR", 0},
		{"1000", "JPY", 1000},
		{"1000.5", "JPY", 1001},
		{"999.4", "KRW", 999},
		{"1500", "ISK", 1500},
		{"12.345", "KWD", 12345},
		{"12.3455", "BHD", 12346},
		{"7.1", "TND", 7100},
		{"5", "JOD", 5000},
		{"19.99", "eur", 1999},
		{"1e2", "EUR", 10000},
		{"1.5E-1", "EUR", 15},
		{"123456789012.34", "EUR", 12345678901234},
	}
	for _, tt := range tests {
		got, err := minorUnits(json.Number(tt.amount), tt.currency)
		if err != nil {
			t.Errorf("minorUnits(%q, %s): %v", tt.amount, tt.currency, err)
			continue
		}
		if got != tt.want {
			t.Errorf("minorUnits(%q, %s) = %d, want %d", tt.amount, tt.currency, got, tt.want)
		}
	}
}

func TestMinorUnitsRejectsWhatIsNotADecimal(t *testing.T) {
	for _, amount := range []string{"abc", "1.2.3", "--1", ".", "1e", "1e999", "12,50", "99999999999999999999"} {
		if got, err := minorUnits(json.Number(amount), "EUR"); err == nil {
			t.Errorf("minorUnits(%q) = %d, want an error", amount, got)
		}
	}
}
