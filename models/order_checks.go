package models

import (
	"fmt"
	"slices"
	"strings"
)

// Block is why an order cannot go to the store, and what to do about it.
type Block struct {
	Reason  string
	Message string
}

// countriesWithoutPostcodes are shipping countries where an empty postcode is normal.
var countriesWithoutPostcodes = []string{"AE", "AG", "AO", "BS", "BZ", "HK", "IE", "JM", "MO", "QA"}

// CheckOrder runs the checks before the store in a fixed order: the connection's countries,
// the buyer fields, the products, then stock. The first that fails blocks the order.
func CheckOrder(o *Order, c *Connection, catalogue *CatalogueView) *Block {
	if country := o.Shipping.Country; country != "" && !c.CountryActive(country) {
		return &Block{BlockedCountryInactive, fmt.Sprintf(
			"Shipping country %s is not active on connection %q. Activate it on the connection to take this order, or refuse the order.", country, c.Name)}
	}
	if missing := missingFields(o, c); len(missing) > 0 {
		return &Block{BlockedMissingField, fmt.Sprintf(
			"The buyer's %s %s missing and the store requires %s. Complete the order's address, then retry.",
			joinWords(missing), plural(len(missing), "is", "are"), plural(len(missing), "it", "them"))}
	}
	if c.StoreKind == StoreKindAPI {
		// orderhub holds no catalogue of a shop that pulls its orders: the shop checks its
		// products itself and rejects an order through its acknowledgement.
		return nil
	}
	var unknown []string
	for _, line := range o.Lines {
		if _, ok := catalogue.Product(catalogue.StoreSKU(line.SKU)); !ok && !slices.Contains(unknown, line.SKU) {
			unknown = append(unknown, line.SKU)
		}
	}
	if len(unknown) > 0 {
		return &Block{BlockedUnknownProduct, fmt.Sprintf(
			"SKU %s %s no active product of the store. Link %s to a store product, or add %s to the store and refresh the catalogue, then retry.",
			joinWords(unknown), plural(len(unknown), "matches", "match"), plural(len(unknown), "it", "them"), plural(len(unknown), "it", "them"))}
	}
	if c.BlockOutOfStock {
		if short := shortages(o, catalogue); short != "" {
			return &Block{BlockedOutOfStock, short + " Restock and refresh the stock, or import this order anyway."}
		}
	}
	return nil
}

func missingFields(o *Order, c *Connection) []string {
	s := o.Shipping
	checks := []struct {
		field, label string
		empty        bool
	}{
		{"name", "name", strings.TrimSpace(s.LastName+s.FirstName+s.Company) == ""},
		{"street", "street", strings.TrimSpace(s.Street1) == ""},
		{"postcode", "postcode", strings.TrimSpace(s.PostalCode) == "" && !slices.Contains(countriesWithoutPostcodes, s.Country)},
		{"city", "city", strings.TrimSpace(s.City) == ""},
		{"country", "country", strings.TrimSpace(s.Country) == ""},
		{"phone", "phone number", strings.TrimSpace(s.Phone) == "" && strings.TrimSpace(o.Billing.Phone) == ""},
		{"email", "email address", strings.TrimSpace(o.Billing.Email) == "" && strings.TrimSpace(s.Email) == ""},
	}
	var missing []string
	for _, check := range checks {
		if check.empty && c.Requires(check.field) {
			missing = append(missing, check.label)
		}
	}
	return missing
}

// shortages describes the store SKUs with less stock than the order needs, counting every
// line of the same product.
func shortages(o *Order, catalogue *CatalogueView) string {
	need := map[string]int{}
	var order []string
	for _, line := range o.Lines {
		sku := catalogue.StoreSKU(line.SKU)
		if _, seen := need[sku]; !seen {
			order = append(order, sku)
		}
		need[sku] += line.Quantity
	}
	var parts []string
	for _, sku := range order {
		p, _ := catalogue.Product(sku)
		if p.ManageStock && p.Stock < need[sku] {
			parts = append(parts, fmt.Sprintf("the store has %d of SKU %s and the order needs %d", max(p.Stock, 0), sku, need[sku]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	text := strings.Join(parts, "; ")
	return strings.ToUpper(text[:1]) + text[1:] + "."
}

func joinWords(words []string) string {
	switch len(words) {
	case 1:
		return words[0]
	case 2:
		return words[0] + " and " + words[1]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
