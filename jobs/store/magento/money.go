package magento

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/orderhub/orderhub/models"
)

// parseMinor reads a decimal ("29.35", "12.9", "1500", "-3", "1.5E+2" is refused) into minor
// units with the given exponent, rounding extra decimals half away from zero. "" is zero.
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

func formatDecimal(amount int64, exponent int) string { return models.FormatDecimal(amount, exponent) }

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
