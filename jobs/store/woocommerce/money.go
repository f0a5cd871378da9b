package woocommerce

import (
	"fmt"
	"strconv"
	"strings"
)

// parseMinor reads a decimal string ("29.35", "1500.00", "-3", "") into minor units with the
// given exponent. Extra decimals are rounded half away from zero, as a shop set to more
// decimals than the currency has would show them. "" is zero: WooCommerce sends it for
// amounts that are not set.
func parseMinor(value string, exponent int) (int64, error) {
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
