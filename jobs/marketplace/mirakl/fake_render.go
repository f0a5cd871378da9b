package mirakl

import (
	"encoding/json"
	"math/big"
	"time"

	"github.com/orderhub/orderhub/models"
)

// fakeTime writes a date as Mirakl does: UTC with Z, milliseconds only when there are some
// (both forms appear in its answers).
func fakeTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/int(time.Millisecond) == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05.000Z")
}

func fakeTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	text := fakeTime(*t)
	return &text
}

// orNull is a nullable string field: empty is null.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

var shippingTypeLabels = map[string]string{"STD": "Standard", "EXP": "Express", "REL": "Pick-up point"}

// render writes an order as OR11 lists it. Caller holds the fake's lock.
func (o *fakeOrder) render(taxMode string) fakeOrderJSON {
	spec := o.spec
	exponent := models.CurrencyExponent(spec.Currency)
	commissionRate := big.NewRat(12, 100)
	orderPrice, orderShipping, orderCommission := new(big.Rat), new(big.Rat), new(big.Rat)
	places := 0
	var lines []fakeOrderLineJSON
	for _, line := range o.lines {
		unit, unitPlaces := decimal(line.spec.UnitPrice)
		shipping, shippingPlaces := decimal(line.spec.ShippingPrice)
		places = max(places, unitPlaces, shippingPlaces)
		price := new(big.Rat).Mul(unit, new(big.Rat).SetInt64(int64(line.spec.Quantity)))
		total := new(big.Rat).Add(price, shipping)
		commission := new(big.Rat).Mul(total, commissionRate)
		orderPrice.Add(orderPrice, price)
		orderShipping.Add(orderShipping, shipping)
		orderCommission.Add(orderCommission, commission)
		lines = append(lines, fakeOrderLineJSON{
			CanRefund:                 o.state == "SHIPPED" || o.state == "TO_COLLECT" || o.state == "RECEIVED",
			Cancelations:              []json.RawMessage{},
			CategoryCode:              "GEN",
			CategoryLabel:             "General",
			CommissionFee:             jsonDecimal(commission, exponent),
			CommissionTaxes:           []json.RawMessage{},
			CreatedDate:               fakeTime(o.created),
			DebitedDate:               fakeTimePtr(o.debitedAt),
			Fees:                      []json.RawMessage{},
			LastUpdatedDate:           fakeTime(o.updated),
			OfferID:                   line.offerID,
			OfferSKU:                  line.spec.SKU,
			OfferStateCode:            "11",
			OrderLineAdditionalFields: []json.RawMessage{},
			OrderLineID:               line.spec.ID,
			OrderLineIndex:            line.index,
			OrderLineState:            line.state,
			Price:                     jsonDecimal(price, unitPlaces),
			PriceUnit:                 jsonDecimal(unit, unitPlaces),
			ProductMedias:             []json.RawMessage{},
			ProductShopSKU:            line.spec.SKU,
			ProductSKU:                "MKP" + big.NewInt(line.offerID).String(),
			ProductTitle:              line.spec.Title,
			Promotions:                []json.RawMessage{},
			Quantity:                  line.spec.Quantity,
			Refunds:                   []json.RawMessage{},
			ShippedDate:               fakeTimePtr(line.shippedAt),
			ShippingPrice:             jsonDecimal(shipping, shippingPlaces),
			ShippingTaxes:             []json.RawMessage{},
			Taxes:                     []json.RawMessage{},
			TotalCommission:           jsonDecimal(commission, exponent),
			TotalPrice:                jsonDecimal(total, max(unitPlaces, shippingPlaces)),
		})
	}
	totalPrice := jsonDecimal(new(big.Rat).Add(orderPrice, orderShipping), places)
	if spec.TotalPrice != "" {
		totalPrice = json.Number(spec.TotalPrice)
	}
	deadline := time.Date(o.created.Year(), o.created.Month(), o.created.Day()+spec.LeadTime, 23, 59, 59, int(999*time.Millisecond), time.UTC)
	typeLabel, ok := shippingTypeLabels[spec.ShippingType]
	if !ok {
		typeLabel = spec.ShippingType
	}
	rendered := fakeOrderJSON{
		AcceptanceDecisionDate:    fakeTimePtr(o.decidedAt),
		CanCancel:                 o.canCancel(),
		CanShopShip:               o.state == "SHIPPING",
		Channel:                   fakeCodeLabel{Code: "INIT", Label: "Initial Channel"},
		CommercialID:              spec.CommercialID,
		CreatedDate:               fakeTime(o.created),
		CurrencyISOCode:           spec.Currency,
		Customer:                  o.renderCustomer(),
		CustomerDebitedDate:       fakeTimePtr(o.debitedAt),
		CustomerNotificationEmail: orNull(spec.NotificationEmail),
		DeliveryDate: &fakeDeliveryDate{
			Earliest: fakeTime(deadline.AddDate(0, 0, 1)),
			Latest:   fakeTime(deadline.AddDate(0, 0, 3)),
		},
		LastUpdatedDate:             fakeTime(o.updated),
		LeadtimeToShip:              spec.LeadTime,
		OrderAdditionalFields:       []json.RawMessage{},
		OrderID:                     spec.ID,
		OrderLines:                  lines,
		OrderState:                  o.state,
		OrderTaxMode:                taxMode,
		PaymentTypeDeprecated:       "CB",
		PaymentType:                 "CB",
		PaymentWorkflow:             "PAY_ON_ACCEPTANCE",
		Price:                       jsonDecimal(orderPrice, places),
		Promotions:                  fakePromotions{AppliedPromotions: []json.RawMessage{}, TotalDeducedAmount: "0"},
		ShippingCarrierCode:         orNull(o.carrierCode),
		ShippingCarrierStandardCode: orNull(o.carrierStandardCode),
		ShippingCompany:             orNull(o.carrierName),
		ShippingDeadline:            fakeTime(deadline),
		ShippingPrice:               jsonDecimal(orderShipping, places),
		ShippingTracking:            orNull(o.trackingNumber),
		ShippingTrackingURL:         orNull(o.trackingURL),
		ShippingTypeCode:            spec.ShippingType,
		ShippingTypeLabel:           typeLabel,
		ShippingTypeStandardCode:    "CU_ADD-" + spec.ShippingType,
		ShippingZoneCode:            "DOM1",
		ShippingZoneLabel:           "Domestic 1",
		TotalCommission:             jsonDecimal(orderCommission, exponent),
		TotalPrice:                  totalPrice,
	}
	rendered.Fulfillment.Center.Code = "DEFAULT"
	return rendered
}

// renderCustomer hides the addresses until the shop accepted the order, as Mirakl does.
func (o *fakeOrder) renderCustomer() fakeCustomerJSON {
	c := o.spec.Customer
	customer := fakeCustomerJSON{
		Civility:   orNull(c.Civility),
		CustomerID: c.ID,
		FirstName:  c.FirstName,
		LastName:   c.LastName,
		Locale:     orNull(c.Locale),
	}
	if !o.disclosed {
		return customer
	}
	billing := o.spec.Shipping
	if o.spec.Billing != nil {
		billing = *o.spec.Billing
	}
	customer.BillingAddress = renderAddress(billing, c.Civility)
	customer.ShippingAddress = &fakeShippingAddressJSON{
		AdditionalInfo:  orNull(o.spec.Shipping.AdditionalInfo),
		fakeAddressJSON: *renderAddress(o.spec.Shipping, c.Civility),
	}
	return customer
}

func renderAddress(a FakeAddress, civility string) *fakeAddressJSON {
	return &fakeAddressJSON{
		City:           a.City,
		Civility:       orNull(civility),
		Company:        orNull(a.Company),
		Country:        a.Country,
		CountryISOCode: orNull(a.CountryISOCode),
		FirstName:      a.FirstName,
		LastName:       a.LastName,
		Phone:          orNull(a.Phone),
		State:          orNull(a.State),
		Street1:        a.Street1,
		Street2:        orNull(a.Street2),
		ZipCode:        a.ZipCode,
	}
}
