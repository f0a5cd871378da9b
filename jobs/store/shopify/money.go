package shopify

import (
	"fmt"
	"strconv"
	"strings"
)

// parseMinor reads a decimal string ("29.35", "1500", "-3") into minor units with the given
// exponent, rounding extra decimals half away from zero.
func parseMinor(value string, exponent int) (int64, error) {
	text := strings.TrimSpace(value)
	negative := false
	if strings.HasPrefix(text, "-") {
		negative, text = true, text[1:]
	}
	whole, fraction, _ := strings.Cut(text, ".")
	if whole == "" || !allDigits(whole) || !allDigits(fraction) {
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
