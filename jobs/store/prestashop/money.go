package prestashop

import (
	"math"
	"strconv"

	"github.com/orderhub/orderhub/models"
)

// parseMinor reads a PrestaShop decimal ("12.900000", "-3", "") into minor units with the
// given exponent, rounding half away from zero; "" is zero.
func parseMinor(value string, exponent int) (int64, error) {
	return models.ParseDecimal(value, exponent)
}

// taxExcluded converts a tax-included amount in minor units to a decimal with six places,
// the precision PrestaShop keeps for prices, so that adding the tax back lands on the
// marketplace's price.
func taxExcluded(amount int64, exponent int, ratePercent float64) string {
	value := float64(amount) / math.Pow10(exponent) / (1 + ratePercent/100)
	return strconv.FormatFloat(value, 'f', 6, 64)
}
