package mirakl

import (
	"encoding/json"
	"math/big"
	"strings"
)

// The fake computes line and order totals exactly, on rationals: Mirakl's amounts are
// decimals, and the fake must not introduce the float errors the client guards against.

func mustDecimal(text string) {
	if text == "" {
		return
	}
	if _, ok := new(big.Rat).SetString(text); !ok || strings.ContainsAny(text, "/") {
		panic("mirakl fake: " + text + " is not a decimal amount")
	}
}

// decimal parses an amount ("" is zero) and says how many decimals it was written with.
func decimal(text string) (*big.Rat, int) {
	if text == "" {
		return new(big.Rat), 0
	}
	value, _ := new(big.Rat).SetString(text) // checked by mustDecimal when added
	places := 0
	if _, fraction, ok := strings.Cut(text, "."); ok {
		places = len(strings.TrimRight(strings.SplitN(strings.ToLower(fraction), "e", 2)[0], "0"))
	}
	return value, places
}

// jsonDecimal writes a rational as the shortest JSON number with at most places decimals,
// like Mirakl's 165, 21.3 or 19.99.
func jsonDecimal(value *big.Rat, places int) json.Number {
	text := value.FloatString(places)
	if strings.Contains(text, ".") {
		text = strings.TrimRight(strings.TrimRight(text, "0"), ".")
	}
	if text == "-0" {
		text = "0"
	}
	return json.Number(text)
}
