package magento

import "github.com/orderhub/orderhub/models"

// parseMinor reads a decimal ("29.35", "12.9", "1500", "-3", "1.5E+2" is refused) into minor
// units with the given exponent, rounding extra decimals half away from zero. "" is zero.
func parseMinor(value string, exponent int) (int64, error) {
	return models.ParseDecimal(value, exponent)
}

func formatDecimal(amount int64, exponent int) string { return models.FormatDecimal(amount, exponent) }
