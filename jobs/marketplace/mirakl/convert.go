package mirakl

import (
	"fmt"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// statuses maps Mirakl's order_state to orderhub's status. A state not listed (Mirakl adds
// enum values over time) reads as created, with the raw state kept for support.
var statuses = map[string]string{
	"STAGING":               models.StatusCreated,
	"WAITING_DEBIT":         models.StatusCreated,
	"WAITING_DEBIT_PAYMENT": models.StatusCreated,
	"WAITING_ACCEPTANCE":    models.StatusWaitingAcceptance,
	"SHIPPING":              models.StatusWaitingShipment,
	"SHIPPED":               models.StatusShipped,
	"TO_COLLECT":            models.StatusShipped,
	"RECEIVED":              models.StatusDelivered,
	"CLOSED":                models.StatusDelivered,
	"REFUSED":               models.StatusRefused,
	"CANCELED":              models.StatusCancelled,
}

func orderStatus(state string) string {
	if status, ok := statuses[strings.ToUpper(state)]; ok {
		return status
	}
	return models.StatusCreated
}

// toOrder converts one OR11 order. Only the marketplace fields are filled.
func toOrder(w wireOrder) (models.Order, error) {
	fail := func(field string, err error) (models.Order, error) {
		return models.Order{}, fmt.Errorf("mirakl order %s: %s: %w", w.OrderID, field, err)
	}
	placedAt, err := parseTime(w.CreatedDate)
	if err != nil {
		return fail("created_date", err)
	}
	updatedAt, err := parseTime(w.LastUpdatedDate)
	if err != nil {
		return fail("last_updated_date", err)
	}
	var shipBy *time.Time
	if w.ShippingDeadline != "" {
		deadline, err := parseTime(w.ShippingDeadline)
		if err != nil {
			return fail("shipping_deadline", err)
		}
		shipBy = &deadline
	}
	currency := strings.ToUpper(w.CurrencyISOCode)
	total, err := minorUnits(w.TotalPrice, currency)
	if err != nil {
		return fail("total_price", err)
	}
	shipping, err := minorUnits(w.ShippingPrice, currency)
	if err != nil {
		return fail("shipping_price", err)
	}
	order := models.Order{
		MarketplaceOrderID:   w.OrderID,
		MarketplaceReference: w.CommercialID,
		Status:               orderStatus(w.OrderState),
		RawStatus:            w.OrderState,
		PlacedAt:             placedAt,
		MarketplaceUpdatedAt: updatedAt,
		ShipBy:               shipBy,
		ShippingMethod:       w.ShippingTypeCode,
		Currency:             currency,
		TotalAmount:          total,
		ShippingAmount:       shipping,
	}
	if c := w.Customer; c != nil {
		order.Billing = toAddress(c.BillingAddress, c, w.CustomerNotificationEmail)
		order.Shipping = toAddress(c.ShippingAddress, c, w.CustomerNotificationEmail)
	}
	for _, wl := range w.OrderLines {
		line, err := toLine(wl, currency)
		if err != nil {
			return fail("order line "+wl.OrderLineID, err)
		}
		order.Lines = append(order.Lines, line)
	}
	return order, nil
}

func toLine(w wireOrderLine, currency string) (models.OrderLine, error) {
	unitPrice, err := minorUnits(w.PriceUnit, currency)
	if err != nil {
		return models.OrderLine{}, fmt.Errorf("price_unit: %w", err)
	}
	shipping, err := minorUnits(w.ShippingPrice, currency)
	if err != nil {
		return models.OrderLine{}, fmt.Errorf("shipping_price: %w", err)
	}
	return models.OrderLine{
		MarketplaceLineID: w.OrderLineID,
		SKU:               w.OfferSKU,
		Title:             w.ProductTitle,
		Quantity:          w.Quantity,
		UnitPrice:         unitPrice,
		ShippingAmount:    shipping,
		RawStatus:         w.OrderLineState,
	}, nil
}

// toAddress converts a buyer address. Mirakl sends null until the order is accepted: that
// is an empty address, not an error (orderhub reads the order again after accepting it).
func toAddress(w *wireAddress, customer *wireCustomer, email string) models.Address {
	if w == nil {
		return models.Address{}
	}
	address := models.Address{
		FirstName:  strings.TrimSpace(w.FirstName),
		LastName:   strings.TrimSpace(w.LastName),
		Company:    strings.TrimSpace(w.Company),
		Street1:    strings.TrimSpace(w.Street1),
		Street2:    strings.TrimSpace(w.Street2),
		PostalCode: strings.TrimSpace(w.ZipCode),
		City:       strings.TrimSpace(w.City),
		State:      strings.TrimSpace(w.State),
		Country:    countryAlpha2(w.CountryISOCode, w.Country),
		Phone:      strings.TrimSpace(w.Phone),
		Email:      email,
	}
	if address.Phone == "" {
		address.Phone = strings.TrimSpace(w.PhoneSecondary)
	}
	if address.FirstName == "" && address.LastName == "" {
		address.FirstName, address.LastName = customer.FirstName, customer.LastName
	}
	return address
}

// parseTime reads Mirakl's ISO 8601 dates, with or without milliseconds, into UTC.
func parseTime(text string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, text); err == nil {
			// An offset can carry a year-9999 date past the years a cursor (JSON) can hold.
			if year := t.UTC().Year(); year < 1 || year > 9999 {
				break
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date", text)
}

// formatTime writes a date the way Mirakl's query parameters take it. Whole seconds: a
// window start rounded down only widens the overlap, which orderhub tolerates.
func formatTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}

func toCarrier(w wireCarrier) models.Carrier {
	return models.Carrier{
		Code:                w.Code,
		Name:                w.Label,
		StandardCode:        w.StandardCode,
		TrackingURLTemplate: strings.ReplaceAll(w.TrackingURL, "{trackingId}", "{tracking}"),
	}
}
