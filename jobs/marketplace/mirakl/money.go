package mirakl

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// currencyExponents lists the ISO 4217 currencies whose minor unit is not the cent.
var currencyExponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// currencyExponent is how many decimal digits a currency's minor unit has (2 by default).
func currencyExponent(currency string) int {
	if exponent, ok := currencyExponents[strings.ToUpper(currency)]; ok {
		return exponent
	}
	return 2
}

// minorUnits converts a JSON decimal amount to integer minor units of currency, on the
// decimal digits themselves (never through a float, where 19.99 is not 19.99). A null
// amount is zero; digits beyond the currency's precision round half away from zero.
func minorUnits(amount json.Number, currency string) (int64, error) {
	text := strings.TrimSpace(amount.String())
	if text == "" {
		return 0, nil
	}
	units, err := decimalToMinor(text, currencyExponent(currency))
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
