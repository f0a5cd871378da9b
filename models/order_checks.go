package models

import (
	"fmt"
	"slices"
	"strings"
)

// Block is why an order cannot go to the store, and what to do about it.
type Block struct {
	Reason  string
	Cause   string // what exactly: the country, the missing fields, the SKUs
	Message string
}

// countriesWithoutPostcodes are shipping countries where an empty postcode is normal.
var countriesWithoutPostcodes = []string{"AE", "AG", "AO", "BS", "BZ", "HK", "IE", "JM", "MO", "QA"}

// CheckOrder runs the checks before the store in a fixed order: the connection's countries,
// the buyer fields, the products, then stock. The first that fails blocks the order. An order
// the marketplace shipped from its own warehouse skips the country and stock checks: the
// goods have left already, the store only records the sale.
func CheckOrder(o *Order, c *Connection, catalogue *CatalogueView) *Block {
	if country := o.Shipping.Country; country != "" && !c.CountryActive(country) && !o.FulfilledByMarketplace {
		return &Block{BlockedCountryInactive, country, fmt.Sprintf(
			"Shipping country %s is not active on connection %q. Activate it on the connection to take this order, or refuse the order.", country, c.Name)}
	}
	if missing := missingFields(o, c); len(missing) > 0 {
		var labels []string
		for _, m := range missing {
			labels = append(labels, fieldLabels[m])
		}
		return &Block{BlockedMissingField, strings.Join(missing, ","), fmt.Sprintf(
			"The buyer's %s %s missing and the store requires %s. Complete the order's address, then retry.",
			joinWords(labels), plural(len(missing), "is", "are"), plural(len(missing), "it", "them"))}
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
		return &Block{BlockedUnknownProduct, strings.Join(unknown, ","), fmt.Sprintf(
			"SKU %s %s no active product of the store. Link %s to a store product, or add %s to the store and refresh the catalogue, then retry.",
			joinWords(unknown), plural(len(unknown), "matches", "match"), plural(len(unknown), "it", "them"), plural(len(unknown), "it", "them"))}
	}
	if c.BlockOutOfStock && !o.SkipStockCheck && !o.FulfilledByMarketplace {
		if short, skus := shortages(o, catalogue); short != "" {
			return &Block{BlockedOutOfStock, strings.Join(skus, ","), short + " Restock and refresh the stock, or import this order anyway."}
		}
	}
	return nil
}

// fieldLabels names the buyer fields in the blocked message.
var fieldLabels = map[string]string{"name": "name", "street": "street", "postcode": "postcode", "city": "city",
	"country": "country", "phone": "phone number", "email": "email address"}

func missingFields(o *Order, c *Connection) []string {
	s := o.Shipping
	checks := []struct {
		field string
		empty bool
	}{
		{"name", strings.TrimSpace(s.LastName+s.FirstName+s.Company) == ""},
		{"street", strings.TrimSpace(s.Street1) == ""},
		{"postcode", strings.TrimSpace(s.PostalCode) == "" && !slices.Contains(countriesWithoutPostcodes, s.Country)},
		{"city", strings.TrimSpace(s.City) == ""},
		{"country", strings.TrimSpace(s.Country) == ""},
		{"phone", strings.TrimSpace(s.Phone) == "" && strings.TrimSpace(o.Billing.Phone) == ""},
		{"email", strings.TrimSpace(o.Billing.Email) == "" && strings.TrimSpace(s.Email) == ""},
	}
	var missing []string
	for _, check := range checks {
		if check.empty && c.Requires(check.field) {
			missing = append(missing, check.field)
		}
	}
	return missing
}

// shortages describes the store SKUs with less stock than the order needs, counting every
// line of the same product, and lists them.
func shortages(o *Order, catalogue *CatalogueView) (string, []string) {
	need := map[string]int{}
	var order []string
	for _, line := range o.Lines {
		sku := catalogue.StoreSKU(line.SKU)
		if _, seen := need[sku]; !seen {
			order = append(order, sku)
		}
		need[sku] += line.Quantity
	}
	var parts, short []string
	for _, sku := range order {
		p, _ := catalogue.Product(sku)
		if p.ManageStock && p.Stock < need[sku] {
			parts = append(parts, fmt.Sprintf("the store has %d of SKU %s and the order needs %d", max(p.Stock, 0), sku, need[sku]))
			short = append(short, sku)
		}
	}
	if len(parts) == 0 {
		return "", nil
	}
	text := strings.Join(parts, "; ")
	return strings.ToUpper(text[:1]) + text[1:] + ".", short
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
