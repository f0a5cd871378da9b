package models

import (
	"fmt"
	"strconv"
	"strings"
)

// currencyExponents lists the ISO 4217 currencies whose minor unit is not the hundredth;
// every other code has two decimals.
var currencyExponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// CurrencyExponent is how many decimal digits a currency's minor unit has (2 by default).
func CurrencyExponent(currency string) int {
	if exponent, ok := currencyExponents[strings.ToUpper(currency)]; ok {
		return exponent
	}
	return 2
}

// FormatDecimal writes an amount in minor units as a decimal string with exponent decimals:
// 2935 with exponent 2 → "29.35", 1500 with exponent 0 → "1500". Connectors parse amounts
// themselves, each the way its wire format writes them.
func FormatDecimal(amount int64, exponent int) string {
	sign := ""
	magnitude := uint64(amount)
	if amount < 0 {
		sign, magnitude = "-", uint64(-amount)
	}
	digits := strconv.FormatUint(magnitude, 10)
	if exponent <= 0 {
		return sign + digits
	}
	if len(digits) <= exponent {
		digits = strings.Repeat("0", exponent-len(digits)+1) + digits
	}
	cut := len(digits) - exponent
	return sign + digits[:cut] + "." + digits[cut:]
}

// ParseDecimal reads a decimal string ("29.35", "1500.00", "-3", "") into minor units with the
// given exponent. Extra decimals are rounded half away from zero, as a shop set to more
// decimals than the currency has would show them. "" is zero: stores send it for amounts
// that are not set.
func ParseDecimal(value string, exponent int) (int64, error) {
	text := strings.TrimSpace(value)
	if text == "" {
		return 0, nil
	}
	negative := false
	switch text[0] {
	case '-':
		negative, text = true, text[1:]
	case '+':
		text = text[1:]
	}
	whole, fraction, _ := strings.Cut(text, ".")
	if whole == "" && fraction == "" || !allDigits(whole) || !allDigits(fraction) {
		return 0, fmt.Errorf("%q is not a decimal amount", value)
	}
	roundUp := false
	if len(fraction) > exponent {
		roundUp = fraction[exponent] >= '5'
		fraction = fraction[:exponent]
	}
	fraction += strings.Repeat("0", exponent-len(fraction))
	digits := strings.TrimLeft(whole+fraction, "0")
	if digits == "" {
		digits = "0"
	}
	amount, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is out of range", value)
	}
	if roundUp {
		amount++
	}
	if negative {
		amount = -amount
	}
	return amount, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
