package bol

import "encoding/json"

// Wire types mirror the Retailer API v10 schemas (retailer.json, shared.json), field names as
// the spec spells them. Only convert.go turns them into models; the fake serves the same
// types, and the spec tests check both against the published schemas.

// reducedOrders is ReducedOrders, the answer of GET /retailer/orders. An empty list comes
// back as {} with no orders key.
type reducedOrders struct {
	Orders []reducedOrder `json:"orders,omitempty"`
}

type reducedOrder struct {
	OrderID             string             `json:"orderId"`
	OrderPlacedDateTime string             `json:"orderPlacedDateTime"`
	OrderItems          []reducedOrderItem `json:"orderItems"`
}

type reducedOrderItem struct {
	OrderItemID           string `json:"orderItemId"`
	EAN                   string `json:"ean"`
	FulfilmentMethod      string `json:"fulfilmentMethod"`
	FulfilmentStatus      string `json:"fulfilmentStatus"`
	Quantity              int    `json:"quantity"`
	QuantityShipped       int    `json:"quantityShipped"`
	QuantityCancelled     int    `json:"quantityCancelled"`
	CancellationRequest   bool   `json:"cancellationRequest"`
	LatestChangedDateTime string `json:"latestChangedDateTime"`
}

// order is Order, the answer of GET /retailer/orders/{order-id}.
type order struct {
	OrderID             string           `json:"orderId"`
	PickupPoint         bool             `json:"pickupPoint"`
	LegacyPickUpPoint   *bool            `json:"pickUpPoint,omitempty"` // pre-v10 spelling, still in older samples
	OrderPlacedDateTime string           `json:"orderPlacedDateTime,omitempty"`
	ShipmentDetails     shipmentDetails  `json:"shipmentDetails"`
	BillingDetails      *billingDetails  `json:"billingDetails,omitempty"`
	OrderItems          []orderOrderItem `json:"orderItems"`
}

type shipmentDetails struct {
	PickupPointName         string `json:"pickupPointName,omitempty"`
	Salutation              string `json:"salutation"`
	FirstName               string `json:"firstName"`
	Surname                 string `json:"surname"`
	StreetName              string `json:"streetName"`
	HouseNumber             string `json:"houseNumber"`
	HouseNumberExtension    string `json:"houseNumberExtension,omitempty"`
	ExtraAddressInformation string `json:"extraAddressInformation,omitempty"`
	ZipCode                 string `json:"zipCode"`
	City                    string `json:"city"`
	CountryCode             string `json:"countryCode"`
	Email                   string `json:"email,omitempty"`
	Company                 string `json:"company,omitempty"`
	DeliveryPhoneNumber     string `json:"deliveryPhoneNumber,omitempty"`
	Language                string `json:"language,omitempty"`
}

type billingDetails struct {
	Salutation              string `json:"salutation"`
	FirstName               string `json:"firstName"`
	Surname                 string `json:"surname"`
	StreetName              string `json:"streetName"`
	HouseNumber             string `json:"houseNumber"`
	HouseNumberExtension    string `json:"houseNumberExtension,omitempty"`
	ExtraAddressInformation string `json:"extraAddressInformation,omitempty"`
	ZipCode                 string `json:"zipCode"`
	City                    string `json:"city"`
	CountryCode             string `json:"countryCode"`
	Email                   string `json:"email"`
	Company                 string `json:"company,omitempty"`
	VATNumber               string `json:"vatNumber,omitempty"`
	KvKNumber               string `json:"kvkNumber,omitempty"`
	OrderReference          string `json:"orderReference,omitempty"`
}

type orderOrderItem struct {
	OrderItemID           string          `json:"orderItemId"`
	CancellationRequest   bool            `json:"cancellationRequest"`
	Fulfilment            orderFulfilment `json:"fulfilment"`
	Offer                 orderOffer      `json:"offer"`
	Product               orderProduct    `json:"product"`
	Quantity              int             `json:"quantity"`
	QuantityShipped       int             `json:"quantityShipped"`
	QuantityCancelled     int             `json:"quantityCancelled"`
	UnitPrice             json.Number     `json:"unitPrice"`
	TotalPrice            json.Number     `json:"totalPrice,omitempty"`
	Discounts             []orderDiscount `json:"discounts"`
	Commission            json.Number     `json:"commission"`
	AdditionalServices    []orderService  `json:"additionalServices,omitempty"`
	LatestChangedDateTime string          `json:"latestChangedDateTime"`
}

type orderFulfilment struct {
	Method             string `json:"method"`
	DistributionParty  string `json:"distributionParty,omitempty"`
	LatestDeliveryDate string `json:"latestDeliveryDate,omitempty"`
	ExactDeliveryDate  string `json:"exactDeliveryDate,omitempty"`
	ExpiryDate         string `json:"expiryDate,omitempty"`
	TimeFrameType      string `json:"timeFrameType,omitempty"`
}

type orderOffer struct {
	OfferID   string `json:"offerId,omitempty"`
	Reference string `json:"reference,omitempty"`
}

type orderProduct struct {
	EAN   string `json:"ean"`
	Title string `json:"title"`
}

type orderDiscount struct {
	Title  string      `json:"title,omitempty"`
	Amount json.Number `json:"amount,omitempty"`
}

type orderService struct {
	ServiceType string `json:"serviceType,omitempty"`
}

// shipmentRequest is ShipmentRequest, the body of POST /retailer/shipments.
type shipmentRequest struct {
	OrderItems        []orderItem           `json:"orderItems"`
	ShipmentReference string                `json:"shipmentReference,omitempty"`
	ShippingLabelID   string                `json:"shippingLabelId,omitempty"`
	Transport         *transportInstruction `json:"transport,omitempty"`
}

type orderItem struct {
	OrderItemID string `json:"orderItemId"`
	Quantity    int    `json:"quantity,omitempty"`
}

type transportInstruction struct {
	TransporterCode string `json:"transporterCode"`
	TrackAndTrace   string `json:"trackAndTrace,omitempty"`
}

// cancellationRequest is CancellationRequest, the body of PUT /retailer/orders/cancellation.
// The spec allows one item per request.
type cancellationRequest struct {
	OrderItems []orderItemCancellation `json:"orderItems"`
}

type orderItemCancellation struct {
	OrderItemID string `json:"orderItemId"`
	ReasonCode  string `json:"reasonCode"`
}

// processStatus is ProcessStatus (shared.json): the answer of every asynchronous write.
type processStatus struct {
	ProcessStatusID string      `json:"processStatusId,omitempty"`
	LegacyID        json.Number `json:"id,omitempty"` // pre-v10 spelling, still in older samples
	EntityID        string      `json:"entityId,omitempty"`
	EventType       string      `json:"eventType"`
	Description     string      `json:"description"`
	Status          string      `json:"status"`
	ErrorMessage    string      `json:"errorMessage,omitempty"`
	CreateTimestamp string      `json:"createTimestamp"`
	Links           []link      `json:"links"`
}

// id is the process status id under either spelling.
func (p processStatus) id() string {
	if p.ProcessStatusID != "" {
		return p.ProcessStatusID
	}
	return p.LegacyID.String()
}

type processStatusResponse struct {
	ProcessStatuses []processStatus `json:"processStatuses"`
}

type link struct {
	Rel          string `json:"rel"`
	Href         string `json:"href"`
	Hreflang     string `json:"hreflang,omitempty"`
	Media        string `json:"media,omitempty"`
	Title        string `json:"title,omitempty"`
	Type         string `json:"type,omitempty"`
	Deprecation  string `json:"deprecation,omitempty"`
	Profile      string `json:"profile,omitempty"`
	Name         string `json:"name,omitempty"`
	LegacyMethod string `json:"method,omitempty"` // not in the v10 schema, but bol's answers carry it
}

// problem is Problem (shared.json), bol's error body.
type problem struct {
	Type       string      `json:"type,omitempty"`
	Title      string      `json:"title"`
	Status     int         `json:"status"`
	Detail     string      `json:"detail,omitempty"`
	Host       string      `json:"host,omitempty"`
	Instance   string      `json:"instance,omitempty"`
	Violations []violation `json:"violations,omitempty"`
}

type violation struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// tokenResponse is the login server's answer to a client-credentials grant.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   *int   `json:"expires_in,omitempty"`
	Scope       string `json:"scope,omitempty"`
}

// tokenError is the login server's error body, e.g. invalid_client.
type tokenError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}
