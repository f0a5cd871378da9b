package mirakl

import "encoding/json"

// Wire types: the parts of Mirakl's JSON the client reads, named as the spec spells them.
// Amounts are json.Number so they are never rounded through a float.

// ordersResponse is OR11's answer.
type ordersResponse struct {
	Orders     []wireOrder `json:"orders"`
	TotalCount int         `json:"total_count"`
}

type wireOrder struct {
	OrderID                   string          `json:"order_id"`
	CommercialID              string          `json:"commercial_id"`
	OrderState                string          `json:"order_state"`
	CreatedDate               string          `json:"created_date"`
	LastUpdatedDate           string          `json:"last_updated_date"`
	ShippingDeadline          string          `json:"shipping_deadline"`
	ShippingTypeCode          string          `json:"shipping_type_code"`
	CurrencyISOCode           string          `json:"currency_iso_code"`
	TotalPrice                json.Number     `json:"total_price"`
	ShippingPrice             json.Number     `json:"shipping_price"`
	CustomerNotificationEmail string          `json:"customer_notification_email"`
	CanCancel                 bool            `json:"can_cancel"`
	Customer                  *wireCustomer   `json:"customer"`
	OrderLines                []wireOrderLine `json:"order_lines"`
}

type wireCustomer struct {
	CustomerID      string       `json:"customer_id"`
	FirstName       string       `json:"firstname"`
	LastName        string       `json:"lastname"`
	BillingAddress  *wireAddress `json:"billing_address"`  // null until the order is accepted
	ShippingAddress *wireAddress `json:"shipping_address"` // null until the order is accepted
}

type wireAddress struct {
	FirstName      string  `json:"firstname"`
	LastName       string  `json:"lastname"`
	Company        string  `json:"company"`
	Street1        string  `json:"street_1"`
	Street2        string  `json:"street_2"`
	ZipCode        string  `json:"zip_code"`
	City           string  `json:"city"`
	State          string  `json:"state"`
	Country        string  `json:"country"`          // free text
	CountryISOCode *string `json:"country_iso_code"` // alpha-3, null on some operators
	Phone          string  `json:"phone"`
	PhoneSecondary string  `json:"phone_secondary"`
}

type wireOrderLine struct {
	OrderLineID    string      `json:"order_line_id"`
	OrderLineState string      `json:"order_line_state"`
	OfferSKU       string      `json:"offer_sku"`
	ProductTitle   string      `json:"product_title"`
	Quantity       int         `json:"quantity"`
	PriceUnit      json.Number `json:"price_unit"`
	ShippingPrice  json.Number `json:"shipping_price"`
}

// acceptRequest is OR21's body: a decision for every line of the order.
type acceptRequest struct {
	OrderLines []acceptLine `json:"order_lines"`
}

type acceptLine struct {
	Accepted bool   `json:"accepted"`
	ID       string `json:"id"`
}

// trackingRequest is OR23's body: carrier_code for a carrier SH21 lists, carrier_name (and
// carrier_url) for one it does not.
type trackingRequest struct {
	CarrierCode    string `json:"carrier_code,omitempty"`
	CarrierName    string `json:"carrier_name,omitempty"`
	CarrierURL     string `json:"carrier_url,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
}

// carriersResponse is SH21's answer.
type carriersResponse struct {
	Carriers []wireCarrier `json:"carriers"`
}

type wireCarrier struct {
	Code         string `json:"code"`
	Label        string `json:"label"`
	StandardCode string `json:"standard_code"`
	TrackingURL  string `json:"tracking_url"` // holds {trackingId}
}

// accountResponse is the part of A01's answer the client reads.
type accountResponse struct {
	ShopID    int64  `json:"shop_id"`
	ShopName  string `json:"shop_name"`
	ShopState string `json:"shop_state"`
}

// errorResponse is Mirakl's error body. Only status and message are documented (inferred
// from real answers); code and errors[] are read when an operator sends them.
type errorResponse struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	Code    string `json:"code"`
	Errors  []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}
