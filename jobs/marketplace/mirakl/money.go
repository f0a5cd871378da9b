package mirakl

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/orderhub/orderhub/models"
)

// minorUnits converts a JSON decimal amount to integer minor units of currency, on the
// decimal digits themselves (never through a float, where 19.99 is not 19.99). A null
// amount is zero; digits beyond the currency's precision round half away from zero.
func minorUnits(amount json.Number, currency string) (int64, error) {
	text := strings.TrimSpace(amount.String())
	if text == "" {
		return 0, nil
	}
	units, err := decimalToMinor(text, models.CurrencyExponent(currency))
	if err != nil {
		return 0, fmt.Errorf("amount %q in %s: %w", text, currency, err)
	}
	return units, nil
}

// decimalToMinor shifts the decimal point of a JSON number by exponent places and rounds
// what is left after the point.
func decimalToMinor(text string, exponent int) (int64, error) {
	negative := false
	switch {
	case strings.HasPrefix(text, "-"):
		negative, text = true, text[1:]
	case strings.HasPrefix(text, "+"):
		text = text[1:]
	}
	mantissa, powerText, hasPower := strings.Cut(strings.ToLower(text), "e")
	power := 0
	if hasPower {
		var err error
		if power, err = strconv.Atoi(powerText); err != nil || power > 30 || power < -30 {
			return 0, fmt.Errorf("not a decimal number")
		}
	}
	whole, fraction, _ := strings.Cut(mantissa, ".")
	if whole == "" && fraction == "" || !allDigits(whole) || !allDigits(fraction) {
		return 0, fmt.Errorf("not a decimal number")
	}
	digits := whole + fraction
	shift := exponent + power - len(fraction) // places the digits move left
	roundUp := false
	if shift >= 0 {
		digits += strings.Repeat("0", shift)
	} else {
		drop := -shift
		if drop > len(digits) {
			digits = strings.Repeat("0", drop-len(digits)) + digits
		}
		roundUp = digits[len(digits)-drop] >= '5'
		digits = digits[:len(digits)-drop]
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		digits = "0"
	}
	if len(digits) > 18 {
		return 0, fmt.Errorf("too large")
	}
	units, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, err
	}
	if roundUp {
		units++
	}
	if negative {
		units = -units
	}
	return units, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
