package amazon

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// statuses maps fulfillment.fulfillmentStatus to orderhub's status. Amazon has no acceptance
// step: an order waits for payment (PENDING), then is to be shipped (UNSHIPPED).
var statuses = map[string]string{
	"PENDING_AVAILABILITY": models.StatusCreated,
	"PENDING":              models.StatusCreated,
	"UNSHIPPED":            models.StatusWaitingShipment,
	"PARTIALLY_SHIPPED":    models.StatusWaitingShipment,
	"SHIPPED":              models.StatusShipped,
	"CANCELLED":            models.StatusCancelled,
	"UNFULFILLABLE":        models.StatusCancelled,
}

func orderStatus(raw string) string {
	if status, ok := statuses[strings.ToUpper(raw)]; ok {
		return status
	}
	return models.StatusCreated
}

// toOrder converts one 2026-01-01 order. Amazon gives no billing address: the delivery
// address stands for both, with the buyer's e-mail.
func toOrder(w wireOrder) (models.Order, error) {
	placed, err := parseTime(w.CreatedTime)
	if err != nil {
		return models.Order{}, fmt.Errorf("amazon order %s: createdTime: %w", w.OrderID, err)
	}
	updated, err := parseTime(w.LastUpdatedTime)
	if err != nil {
		return models.Order{}, fmt.Errorf("amazon order %s: lastUpdatedTime: %w", w.OrderID, err)
	}
	order := models.Order{
		MarketplaceOrderID:   w.OrderID,
		PlacedAt:             placed,
		MarketplaceUpdatedAt: updated,
	}
	for _, alias := range w.OrderAliases {
		if alias.AliasType == "SELLER_ORDER_ID" && alias.AliasID != w.OrderID {
			order.MarketplaceReference = alias.AliasID
		}
	}
	if f := w.Fulfillment; f != nil {
		order.RawStatus = f.FulfillmentStatus
		order.ShippingMethod = f.FulfillmentServiceLevel
		order.FulfilledByMarketplace = strings.EqualFold(f.FulfilledBy, "AMAZON") // Fulfilment by Amazon
		if f.ShipByWindow != nil && f.ShipByWindow.LatestDateTime != "" {
			if at, err := parseTime(f.ShipByWindow.LatestDateTime); err == nil {
				order.ShipBy = &at
			}
		}
	}
	order.Status = orderStatus(order.RawStatus)
	if r := w.Recipient; r != nil && r.DeliveryAddress != nil {
		order.Shipping = toAddress(*r.DeliveryAddress)
	}
	if b := w.Buyer; b != nil {
		order.Shipping.Email = b.BuyerEmail
	}
	order.Billing = order.Shipping
	if b := w.Buyer; b != nil && b.BuyerName != "" {
		order.Billing.FirstName, order.Billing.LastName = splitName(b.BuyerName)
		if b.BuyerCompanyName != "" {
			order.Billing.Company = b.BuyerCompanyName
		}
	}

	var linesTotal int64
	for _, item := range w.OrderItems {
		line, currency, err := toLine(item)
		if err != nil {
			return models.Order{}, fmt.Errorf("amazon order %s: %w", w.OrderID, err)
		}
		if order.Currency == "" {
			order.Currency = currency
		}
		order.ShippingAmount += line.ShippingAmount
		linesTotal += line.UnitPrice*int64(line.Quantity) + line.ShippingAmount
		order.Lines = append(order.Lines, line)
	}
	order.TotalAmount = linesTotal
	if p := w.Proceeds; p != nil && p.GrandTotal != nil && p.GrandTotal.Amount != "" {
		total, err := minorUnits(p.GrandTotal.Amount, p.GrandTotal.CurrencyCode)
		if err != nil {
			return models.Order{}, fmt.Errorf("amazon order %s: grandTotal: %w", w.OrderID, err)
		}
		order.TotalAmount, order.Currency = total, p.GrandTotal.CurrencyCode
	}
	return order, nil
}

// toLine converts one item. Prices are absent while an order is pending: they count as 0.
func toLine(item wireOrderItem) (models.OrderLine, string, error) {
	line := models.OrderLine{
		MarketplaceLineID: item.OrderItemID,
		SKU:               item.Product.SellerSKU,
		Title:             item.Product.Title,
		Quantity:          item.QuantityOrdered,
	}
	var currency string
	if p := item.Product.Price; p != nil && p.UnitPrice != nil && p.UnitPrice.Amount != "" {
		amount, err := minorUnits(p.UnitPrice.Amount, p.UnitPrice.CurrencyCode)
		if err != nil {
			return line, "", fmt.Errorf("item %s unitPrice: %w", item.OrderItemID, err)
		}
		line.UnitPrice, currency = amount, p.UnitPrice.CurrencyCode
	}
	if p := item.Proceeds; p != nil {
		for _, b := range p.Breakdowns {
			if b.Type != "SHIPPING" || b.Subtotal == nil {
				continue
			}
			amount, err := minorUnits(b.Subtotal.Amount, b.Subtotal.CurrencyCode)
			if err != nil {
				return line, "", fmt.Errorf("item %s shipping: %w", item.OrderItemID, err)
			}
			line.ShippingAmount += amount
		}
	}
	if c := item.Cancellation; c != nil && c.CancellationRequest != nil {
		line.RawStatus = "CANCELLATION_REQUESTED"
	}
	return line, currency, nil
}

func toAddress(a wireAddress) models.Address {
	first, last := splitName(a.Name)
	street2 := strings.TrimSpace(strings.Join([]string{a.AddressLine2, a.AddressLine3}, " "))
	state := a.StateOrRegion
	if state == "" {
		state = a.DistrictOrCounty
	}
	return models.Address{
		FirstName:  first,
		LastName:   last,
		Company:    a.CompanyName,
		Street1:    a.AddressLine1,
		Street2:    street2,
		PostalCode: a.PostalCode,
		City:       a.City,
		State:      state,
		Country:    strings.ToUpper(a.CountryCode),
		Phone:      a.Phone,
	}
}

// splitName splits Amazon's single name field at its last space: the family name is last in
// most marketplaces, and a single word becomes the last name.
func splitName(name string) (first, last string) {
	name = strings.Join(strings.Fields(name), " ")
	i := strings.LastIndex(name, " ")
	if i < 0 {
		return "", name
	}
	return name[:i], name[i+1:]
}

// parseTime reads the models' ISO 8601 date-times.
func parseTime(text string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05"} {
		if at, err := time.Parse(layout, text); err == nil {
			// An offset can carry a year-9999 date past the years a cursor (JSON) can hold.
			if year := at.UTC().Year(); year < 1 || year > 9999 {
				break
			}
			return at.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date-time", text)
}

func formatTime(at time.Time) string { return at.UTC().Format(time.RFC3339) }

// zeroDecimalCurrencies and threeDecimalCurrencies have minor units other than cents.
var (
	zeroDecimalCurrencies  = map[string]bool{"JPY": true, "KRW": true, "CLP": true, "VND": true, "ISK": true}
	threeDecimalCurrencies = map[string]bool{"BHD": true, "KWD": true, "OMR": true, "JOD": true, "TND": true}
)

// minorUnits converts a decimal string ("11.01", "19940") into minor units of currency,
// rounding half away from zero beyond the currency's decimals.
func minorUnits(amount, currency string) (int64, error) {
	exponent := 2
	switch currency = strings.ToUpper(currency); {
	case zeroDecimalCurrencies[currency]:
		exponent = 0
	case threeDecimalCurrencies[currency]:
		exponent = 3
	}
	text := strings.TrimSpace(amount)
	negative := strings.HasPrefix(text, "-")
	text = strings.TrimPrefix(strings.TrimPrefix(text, "-"), "+")
	whole, fraction, _ := strings.Cut(text, ".")
	if whole == "" {
		whole = "0"
	}
	if !digits(whole) || (fraction != "" && !digits(fraction)) {
		return 0, fmt.Errorf("%q is not a decimal amount", amount)
	}
	roundUp := false
	if len(fraction) > exponent {
		roundUp = fraction[exponent] >= '5'
		fraction = fraction[:exponent]
	}
	fraction += strings.Repeat("0", exponent-len(fraction))
	value, err := strconv.ParseInt(whole+fraction, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is out of range", amount)
	}
	if roundUp {
		value++
	}
	if negative {
		value = -value
	}
	return value, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
