package mirakl

import "encoding/json"

// The fake's JSON, field for field as Mirakl's spec and examples spell and type it: every
// field OR11 marks required is present, nullable ones are pointers that encode as null.
// These are separate from the client's wire types so that a misspelt name on either side
// shows up in the tests instead of agreeing with itself.

type fakeOrdersJSON struct {
	Orders     []fakeOrderJSON `json:"orders"`
	TotalCount int             `json:"total_count"`
}

type fakeOrderJSON struct {
	AcceptanceDecisionDate      *string             `json:"acceptance_decision_date"`
	CanCancel                   bool                `json:"can_cancel"`
	CanShopShip                 bool                `json:"can_shop_ship"`
	Channel                     fakeCodeLabel       `json:"channel"`
	CommercialID                string              `json:"commercial_id"`
	CreatedDate                 string              `json:"created_date"`
	CurrencyISOCode             string              `json:"currency_iso_code"`
	Customer                    fakeCustomerJSON    `json:"customer"`
	CustomerDebitedDate         *string             `json:"customer_debited_date"`
	CustomerDirectlyPaysSeller  bool                `json:"customer_directly_pays_seller"`
	CustomerNotificationEmail   *string             `json:"customer_notification_email"`
	DeliveryDate                *fakeDeliveryDate   `json:"delivery_date"`
	Fulfillment                 fakeFulfillment     `json:"fulfillment"`
	FullyRefunded               bool                `json:"fully_refunded"`
	HasCustomerMessage          bool                `json:"has_customer_message"`
	HasIncident                 bool                `json:"has_incident"`
	HasInvoice                  bool                `json:"has_invoice"`
	LastUpdatedDate             string              `json:"last_updated_date"`
	LeadtimeToShip              int                 `json:"leadtime_to_ship"`
	OrderAdditionalFields       []json.RawMessage   `json:"order_additional_fields"`
	OrderID                     string              `json:"order_id"`
	OrderLines                  []fakeOrderLineJSON `json:"order_lines"`
	OrderState                  string              `json:"order_state"`
	OrderStateReasonCode        *string             `json:"order_state_reason_code"`
	OrderStateReasonLabel       *string             `json:"order_state_reason_label"`
	OrderTaxMode                string              `json:"order_tax_mode"`
	PaymentTypeDeprecated       string              `json:"paymentType"`
	PaymentType                 string              `json:"payment_type"`
	PaymentWorkflow             string              `json:"payment_workflow"`
	Price                       json.Number         `json:"price"`
	Promotions                  fakePromotions      `json:"promotions"`
	References                  fakeReferences      `json:"references"`
	ShippingCarrierCode         *string             `json:"shipping_carrier_code"`
	ShippingCarrierStandardCode *string             `json:"shipping_carrier_standard_code"`
	ShippingCompany             *string             `json:"shipping_company"`
	ShippingDeadline            string              `json:"shipping_deadline"`
	ShippingPrice               json.Number         `json:"shipping_price"`
	ShippingPudoID              *string             `json:"shipping_pudo_id"`
	ShippingTracking            *string             `json:"shipping_tracking"`
	ShippingTrackingURL         *string             `json:"shipping_tracking_url"`
	ShippingTypeCode            string              `json:"shipping_type_code"`
	ShippingTypeLabel           string              `json:"shipping_type_label"`
	ShippingTypeStandardCode    string              `json:"shipping_type_standard_code"`
	ShippingZoneCode            string              `json:"shipping_zone_code"`
	ShippingZoneLabel           string              `json:"shipping_zone_label"`
	TotalCommission             json.Number         `json:"total_commission"`
	TotalPrice                  json.Number         `json:"total_price"`
}

type fakeCodeLabel struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type fakeDeliveryDate struct {
	Earliest string `json:"earliest"`
	Latest   string `json:"latest"`
}

type fakeFulfillment struct {
	Center struct {
		Code string `json:"code"`
	} `json:"center"`
}

type fakePromotions struct {
	AppliedPromotions  []json.RawMessage `json:"applied_promotions"`
	TotalDeducedAmount json.Number       `json:"total_deduced_amount"`
}

type fakeReferences struct {
	OrderReferenceForCustomer *string `json:"order_reference_for_customer"`
	OrderReferenceForSeller   *string `json:"order_reference_for_seller"`
}

type fakeCustomerJSON struct {
	BillingAddress  *fakeAddressJSON         `json:"billing_address"`
	Civility        *string                  `json:"civility"`
	CustomerID      string                   `json:"customer_id"`
	FirstName       string                   `json:"firstname"`
	LastName        string                   `json:"lastname"`
	Locale          *string                  `json:"locale"`
	ShippingAddress *fakeShippingAddressJSON `json:"shipping_address"`
}

type fakeShippingAddressJSON struct {
	AdditionalInfo *string `json:"additional_info"`
	fakeAddressJSON
}

type fakeAddressJSON struct {
	City           string  `json:"city"`
	Civility       *string `json:"civility"`
	Company        *string `json:"company"`
	Company2       *string `json:"company_2"`
	Country        string  `json:"country"`
	CountryISOCode *string `json:"country_iso_code"`
	FirstName      string  `json:"firstname"`
	LastName       string  `json:"lastname"`
	Phone          *string `json:"phone"`
	PhoneSecondary *string `json:"phone_secondary"`
	State          *string `json:"state"`
	Street1        string  `json:"street_1"`
	Street2        *string `json:"street_2"`
	ZipCode        string  `json:"zip_code"`
}

type fakeOrderLineJSON struct {
	CanRefund                 bool              `json:"can_refund"`
	Cancelations              []json.RawMessage `json:"cancelations"`
	CategoryCode              string            `json:"category_code"`
	CategoryLabel             string            `json:"category_label"`
	CommissionFee             json.Number       `json:"commission_fee"`
	CommissionTaxes           []json.RawMessage `json:"commission_taxes"`
	CreatedDate               string            `json:"created_date"`
	DebitedDate               *string           `json:"debited_date"`
	Description               *string           `json:"description"`
	Fees                      []json.RawMessage `json:"fees"`
	LastUpdatedDate           string            `json:"last_updated_date"`
	OfferID                   int64             `json:"offer_id"`
	OfferSKU                  string            `json:"offer_sku"`
	OfferStateCode            string            `json:"offer_state_code"`
	OrderLineAdditionalFields []json.RawMessage `json:"order_line_additional_fields"`
	OrderLineID               string            `json:"order_line_id"`
	OrderLineIndex            int               `json:"order_line_index"`
	OrderLineState            string            `json:"order_line_state"`
	OrderLineStateReasonCode  *string           `json:"order_line_state_reason_code"`
	OrderLineStateReasonLabel *string           `json:"order_line_state_reason_label"`
	Price                     json.Number       `json:"price"`
	PriceAdditionalInfo       *string           `json:"price_additional_info"`
	PriceUnit                 json.Number       `json:"price_unit"`
	ProductMedias             []json.RawMessage `json:"product_medias"`
	ProductShopSKU            string            `json:"product_shop_sku"`
	ProductSKU                string            `json:"product_sku"`
	ProductTitle              string            `json:"product_title"`
	Promotions                []json.RawMessage `json:"promotions"`
	Quantity                  int               `json:"quantity"`
	ReceivedDate              *string           `json:"received_date"`
	Refunds                   []json.RawMessage `json:"refunds"`
	ShippedDate               *string           `json:"shipped_date"`
	ShippingPrice             json.Number       `json:"shipping_price"`
	ShippingTaxes             []json.RawMessage `json:"shipping_taxes"`
	Taxes                     []json.RawMessage `json:"taxes"`
	TotalCommission           json.Number       `json:"total_commission"`
	TotalPrice                json.Number       `json:"total_price"`
}

// fakeAcceptJSON is OR21's body as the fake reads it: pointers tell null and missing apart.
type fakeAcceptJSON struct {
	OrderLines []*struct {
		Accepted *bool   `json:"accepted"`
		ID       *string `json:"id"`
	} `json:"order_lines"`
}

type fakeTrackingJSON struct {
	CarrierCode         string `json:"carrier_code"`
	CarrierName         string `json:"carrier_name"`
	CarrierStandardCode string `json:"carrier_standard_code"`
	CarrierURL          string `json:"carrier_url"`
	TrackingNumber      string `json:"tracking_number"`
}

type fakeCarriersJSON struct {
	Carriers []fakeCarrierJSON `json:"carriers"`
}

type fakeCarrierJSON struct {
	Code         string  `json:"code"`
	Label        string  `json:"label"`
	StandardCode *string `json:"standard_code"`
	TrackingURL  *string `json:"tracking_url"`
}

// fakeAccountJSON is a subset of A01's answer: identity, state and the fields a connector
// might show; balances, billing and shipping settings are left out.
type fakeAccountJSON struct {
	Channels           []string          `json:"channels"`
	CurrencyISOCode    string            `json:"currency_iso_code"`
	DateCreated        string            `json:"date_created"`
	Domains            []string          `json:"domains"`
	EvaluationsCount   int               `json:"evaluations_count"`
	FreeShipping       bool              `json:"free_shipping"`
	IsProfessional     bool              `json:"is_professional"`
	LastUpdatedDate    string            `json:"last_updated_date"`
	OffersCount        int               `json:"offers_count"`
	OrdersCount        int               `json:"orders_count"`
	PaymentMandatory   bool              `json:"payment_method_mandatory"`
	Premium            bool              `json:"premium"`
	ShopAdditional     []json.RawMessage `json:"shop_additional_fields"`
	ShopID             int64             `json:"shop_id"`
	ShopName           string            `json:"shop_name"`
	ShopState          string            `json:"shop_state"`
	ContactInformation struct {
		City      string `json:"city"`
		Country   string `json:"country"`
		Email     string `json:"email"`
		FirstName string `json:"firstname"`
		LastName  string `json:"lastname"`
		Street1   string `json:"street1"`
		ZipCode   string `json:"zip_code"`
	} `json:"contact_informations"`
}

// fakeErrorJSON is the error body: {"status":400,"message":"CODE: text"}. The code leads the
// message because Mirakl documents the codes but not where they appear (inferred).
type fakeErrorJSON struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}
