package shopify

import (
	"fmt"
	"strings"

	"github.com/orderhub/orderhub/models"
)

// parseMinor reads a decimal string ("29.35", "1500", "-3") into minor units with the given
// exponent, rounding extra decimals half away from zero.
func parseMinor(value string, exponent int) (int64, error) {
	if strings.TrimSpace(value) == "" {
		return 0, fmt.Errorf("%q is not a decimal amount", value)
	}
	return models.ParseDecimal(value, exponent)
}
