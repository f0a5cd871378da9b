package prestashop

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// parseMinor reads a PrestaShop decimal ("12.900000", "-3", "") into minor units with the
// given exponent, rounding half away from zero; "" is zero.
func parseMinor(value string, exponent int) (int64, error) {
	text := strings.TrimSpace(value)
	if text == "" {
		return 0, nil
	}
	negative := strings.HasPrefix(text, "-")
	text = strings.TrimLeft(text, "+-")
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

// taxExcluded converts a tax-included amount in minor units to a decimal with six places,
// the precision PrestaShop keeps for prices, so that adding the tax back lands on the
// marketplace's price.
func taxExcluded(amount int64, exponent int, ratePercent float64) string {
	value := float64(amount) / math.Pow10(exponent) / (1 + ratePercent/100)
	return strconv.FormatFloat(value, 'f', 6, 64)
}
