package models

import (
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
