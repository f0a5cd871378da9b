package vendure

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/orderhub/orderhub/models"
)

// customerInput is CreateCustomerInput: Vendure requires an email address and both names.
// Marketplaces often hide the buyer's email; a stable address under the reserved .invalid
// domain then stands in, so repeated orders of one marketplace order reuse one customer.
func customerInput(order *models.Order) map[string]any {
	buyer := order.Billing
	if buyer.FirstName == "" && buyer.LastName == "" {
		buyer = order.Shipping
	}
	first, last := strings.TrimSpace(buyer.FirstName), strings.TrimSpace(buyer.LastName)
	if last == "" {
		first, last = "", first
	}
	if last == "" {
		last = "Marketplace buyer"
	}
	email := firstNonEmpty(order.Billing.Email, order.Shipping.Email)
	if email == "" {
		email = "order-" + strings.ToLower(unsafeEmailChars.ReplaceAllString(order.MarketplaceOrderID, "-")) + "@marketplace.invalid"
	}
	input := map[string]any{"emailAddress": email, "firstName": first, "lastName": last}
	if phone := firstNonEmpty(order.Billing.Phone, order.Shipping.Phone); phone != "" {
		input["phoneNumber"] = phone
	}
	return input
}

var unsafeEmailChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// addressInput is CreateAddressInput; countryCode is ISO 3166-1 alpha-2, as orderhub keeps it.
func addressInput(a models.Address) map[string]any {
	input := map[string]any{
		"fullName":    strings.TrimSpace(a.FirstName + " " + a.LastName),
		"streetLine1": a.Street1,
		"city":        a.City,
		"postalCode":  a.PostalCode,
		"countryCode": strings.ToUpper(a.Country),
	}
	for key, value := range map[string]string{"company": a.Company, "streetLine2": a.Street2, "province": a.State, "phoneNumber": a.Phone} {
		if value != "" {
			input[key] = value
		}
	}
	return input
}

// priceNote lists where Vendure's prices differ from what the buyer paid on the marketplace,
// for the merchant's accounting; "" when they agree.
func priceNote(order *models.Order, lines []wireLine, shippingWithTax, totalWithTax int64) string {
	exponent := models.CurrencyExponent(order.Currency)
	money := func(amount int64) string { return models.FormatDecimal(amount, exponent) + " " + order.Currency }
	storePrice := map[string]int64{}
	for _, line := range lines {
		storePrice[line.ProductVariant.SKU] = line.UnitPriceWithTax
	}
	var differences []string
	var marketplaceTotal int64
	for _, line := range order.Lines {
		marketplaceTotal += line.UnitPrice * int64(line.Quantity)
		if price, ok := storePrice[line.SKU]; ok && price != line.UnitPrice {
			differences = append(differences, fmt.Sprintf("%s: marketplace %s a unit, Vendure %s", line.SKU, money(line.UnitPrice), money(price)))
		}
	}
	marketplaceTotal += order.ShippingAmount
	if shippingWithTax != order.ShippingAmount {
		differences = append(differences, fmt.Sprintf("shipping: marketplace %s, Vendure %s", money(order.ShippingAmount), money(shippingWithTax)))
	}
	if len(differences) == 0 {
		return ""
	}
	return fmt.Sprintf("Marketplace order %s: the buyer paid %s on the marketplace; Vendure prices it at %s (its catalogue and shipping prices cannot be overridden on a draft order).\n%s",
		order.MarketplaceOrderID, money(marketplaceTotal), money(totalWithTax), strings.Join(differences, "\n"))
}

// shipmentFromWire reads an order's shipment state from its state and fulfilments. The
// latest fulfilment that is not cancelled names the carrier (method) and tracking code.
func (c *Client) shipmentFromWire(o wireOrder) models.StoreShipment {
	shipment := models.StoreShipment{
		StoreOrderID: o.ID,
		RawStatus:    o.State,
		Cancelled:    o.State == "Cancelled",
		UpdatedAt:    o.UpdatedAt.UTC(),
	}
	for _, state := range c.cfg.ShippedStates {
		if o.State == state {
			shipment.Shipped = true
		}
	}
	var latest *wireFulfillment
	for i, f := range o.Fulfillments {
		if f.UpdatedAt.After(shipment.UpdatedAt) {
			// Vendure does not move Order.updatedAt for fulfilments; their own date does.
			shipment.UpdatedAt = f.UpdatedAt.UTC()
		}
		if f.State == "Cancelled" {
			continue
		}
		if latest == nil || f.CreatedAt.After(latest.CreatedAt) || (f.CreatedAt.Equal(latest.CreatedAt) && f.ID > latest.ID) {
			latest = &o.Fulfillments[i]
		}
	}
	if latest != nil {
		shipment.Carrier = latest.Method
		shipment.TrackingNumber = latest.TrackingCode
		if shipment.Shipped || latest.State == "Shipped" || latest.State == "Delivered" {
			shippedAt := latest.CreatedAt.UTC()
			shipment.ShippedAt = &shippedAt
		}
	}
	return shipment
}

func firstNonEmpty(values ...string) string {
	for _, value := range values {
		if strings.TrimSpace(value) != "" {
			return value
		}
	}
	return ""
}
