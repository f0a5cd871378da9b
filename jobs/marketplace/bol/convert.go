package bol

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// Raw statuses this connector gives an order, from its items' quantities: bol keeps status
// per item, not per order.
const (
	rawOpen      = "OPEN"
	rawShipped   = "SHIPPED"
	rawCancelled = "CANCELLED"
	rawPartial   = "PARTIALLY_HANDLED"
)

// toOrder converts an order's detail. bol has no acceptance step, so an order with open
// items is waiting for its shipment from the start.
func toOrder(w order) (models.Order, error) {
	o := models.Order{
		MarketplaceOrderID: w.OrderID,
		Currency:           "EUR", // bol sells in euros only (the Netherlands and Belgium)
		ShippingMethod:     FulfilmentFBR,
	}
	var err error
	if w.OrderPlacedDateTime != "" {
		if o.PlacedAt, err = parseTime(w.OrderPlacedDateTime); err != nil {
			return models.Order{}, fmt.Errorf("bol order %s: orderPlacedDateTime: %w", w.OrderID, err)
		}
	}
	o.Shipping = shippingAddress(w.ShipmentDetails)
	o.Billing = o.Shipping
	if w.BillingDetails != nil {
		o.Billing = billingAddress(*w.BillingDetails)
		o.MarketplaceReference = w.BillingDetails.OrderReference
	}
	o.MarketplaceUpdatedAt = o.PlacedAt
	var open, shipped, cancelled, quantity int
	for _, item := range w.OrderItems {
		line, err := toLine(item)
		if err != nil {
			return models.Order{}, fmt.Errorf("bol order %s: %w", w.OrderID, err)
		}
		o.Lines = append(o.Lines, line)
		total := line.UnitPrice * int64(item.Quantity)
		if item.TotalPrice != "" {
			if total, err = cents(item.TotalPrice); err != nil {
				return models.Order{}, fmt.Errorf("bol order %s item %s: totalPrice: %w", w.OrderID, item.OrderItemID, err)
			}
		}
		o.TotalAmount += total
		if item.LatestChangedDateTime != "" {
			changed, err := parseTime(item.LatestChangedDateTime)
			if err != nil {
				return models.Order{}, fmt.Errorf("bol order %s item %s: latestChangedDateTime: %w", w.OrderID, item.OrderItemID, err)
			}
			if changed.After(o.MarketplaceUpdatedAt) {
				o.MarketplaceUpdatedAt = changed
			}
		}
		if shipBy, ok := parseDate(item.Fulfilment.LatestDeliveryDate); ok && (o.ShipBy == nil || shipBy.Before(*o.ShipBy)) {
			o.ShipBy = &shipBy
		}
		if item.Fulfilment.Method != "" {
			o.ShippingMethod = item.Fulfilment.Method
		}
		if item.Fulfilment.Method == FulfilmentFBB {
			o.FulfilledByMarketplace = true // bol ships it from its own warehouse
		}
		quantity += item.Quantity
		shipped += item.QuantityShipped
		cancelled += item.QuantityCancelled
		open += openQuantity(item)
	}
	o.RawStatus, o.Status = orderStatus(quantity, open, shipped, cancelled)
	return o, nil
}

// orderStatus sums the items up: all cancelled, all handled with something shipped, or open.
func orderStatus(quantity, open, shipped, cancelled int) (raw, status string) {
	switch {
	case quantity > 0 && cancelled >= quantity:
		return rawCancelled, models.StatusCancelled
	case open == 0 && shipped > 0:
		return rawShipped, models.StatusShipped
	case shipped > 0 || cancelled > 0:
		return rawPartial, models.StatusWaitingShipment
	default:
		return rawOpen, models.StatusWaitingShipment
	}
}

// openQuantity is what of an item is neither shipped nor cancelled.
func openQuantity(item orderOrderItem) int {
	if open := item.Quantity - item.QuantityShipped - item.QuantityCancelled; open > 0 {
		return open
	}
	return 0
}

// toLine converts an order item. The offer reference is the seller's own SKU; it is
// optional, and the EAN is there to match the product when it is missing.
func toLine(item orderOrderItem) (models.OrderLine, error) {
	price, err := cents(item.UnitPrice)
	if err != nil {
		return models.OrderLine{}, fmt.Errorf("item %s: unitPrice: %w", item.OrderItemID, err)
	}
	status := rawOpen
	switch {
	case item.Quantity > 0 && item.QuantityCancelled >= item.Quantity:
		status = rawCancelled
	case openQuantity(item) == 0 && item.QuantityShipped > 0:
		status = rawShipped
	case item.CancellationRequest:
		status = "CANCELLATION_REQUESTED"
	}
	return models.OrderLine{
		MarketplaceLineID: item.OrderItemID,
		SKU:               strings.TrimSpace(item.Offer.Reference),
		EAN:               item.Product.EAN,
		Title:             item.Product.Title,
		Quantity:          item.Quantity,
		UnitPrice:         price,
		RawStatus:         status,
	}, nil
}

func shippingAddress(d shipmentDetails) models.Address {
	a := models.Address{
		FirstName:  d.FirstName,
		LastName:   d.Surname,
		Company:    d.Company,
		Street1:    street(d.StreetName, d.HouseNumber, d.HouseNumberExtension),
		Street2:    d.ExtraAddressInformation,
		PostalCode: d.ZipCode,
		City:       d.City,
		Country:    strings.ToUpper(d.CountryCode),
		Phone:      d.DeliveryPhoneNumber,
		Email:      d.Email,
	}
	if d.PickupPointName != "" {
		// Delivered to a pick-up point: the address is the point's, its name says which.
		a.Street2 = strings.TrimSpace(strings.Join([]string{d.PickupPointName, d.ExtraAddressInformation}, " "))
	}
	return a
}

func billingAddress(d billingDetails) models.Address {
	return models.Address{
		FirstName:  d.FirstName,
		LastName:   d.Surname,
		Company:    d.Company,
		Street1:    street(d.StreetName, d.HouseNumber, d.HouseNumberExtension),
		Street2:    d.ExtraAddressInformation,
		PostalCode: d.ZipCode,
		City:       d.City,
		Country:    strings.ToUpper(d.CountryCode),
		Email:      d.Email,
	}
}

// street joins what bol sends split: street name, house number and its extension.
func street(name, number, extension string) string {
	return strings.Join(strings.Fields(name+" "+number+" "+extension), " ")
}

// parseTime reads bol's timestamps, which carry a local offset (+01:00, +02:00).
func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339, strings.TrimSpace(s))
}

// parseDate reads a plain YYYY-MM-DD date as the end of that day in the Netherlands.
func parseDate(s string) (time.Time, bool) {
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), dutchTime)
	if err != nil {
		return time.Time{}, false
	}
	return day.Add(24*time.Hour - time.Second), true
}

// cents converts a decimal amount in euros ("19.99", 32.98) to cents without going
// through floating point.
func cents(n json.Number) (int64, error) {
	s := strings.TrimSpace(n.String())
	if s == "" {
		return 0, nil
	}
	negative := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, fraction, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	fraction = strings.TrimRight(fraction, "0")
	if len(fraction) > 2 {
		return 0, fmt.Errorf("%q has more than two decimals", n.String())
	}
	fraction = (fraction + "00")[:2]
	units, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", n.String())
	}
	minor, err := strconv.ParseInt(fraction, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", n.String())
	}
	amount := units*100 + minor
	if negative {
		amount = -amount
	}
	return amount, nil
}

// formatMoney writes cents as bol's decimal euros, for the fake.
func formatMoney(amount int64) json.Number {
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	return json.Number(fmt.Sprintf("%s%d.%02d", sign, amount/100, amount%100))
}
