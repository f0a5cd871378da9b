package woocommerce

import "github.com/orderhub/orderhub/models"

// parseMinor reads a decimal string ("29.35", "1500.00", "-3", "") into minor units with the
// given exponent. Extra decimals are rounded half away from zero, as a shop set to more
// decimals than the currency has would show them. "" is zero: WooCommerce sends it for
// amounts that are not set.
func parseMinor(value string, exponent int) (int64, error) {
	return models.ParseDecimal(value, exponent)
}
