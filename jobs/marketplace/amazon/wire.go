package amazon

// Wire types of the Orders API 2026-01-01 (searchOrders, getOrder) and of v0 confirmShipment,
// with the field names the models spell. Only the fields orderhub reads are declared.

type searchOrdersResponse struct {
	Orders            []wireOrder     `json:"orders"`
	Pagination        *wirePagination `json:"pagination,omitempty"`
	LastUpdatedBefore string          `json:"lastUpdatedBefore,omitempty"`
	CreatedBefore     string          `json:"createdBefore,omitempty"`
}

type wirePagination struct {
	NextToken string `json:"nextToken,omitempty"`
}

type getOrderResponse struct {
	Order *wireOrder `json:"order"`
}

type wireOrder struct {
	OrderID         string             `json:"orderId"`
	OrderAliases    []wireAlias        `json:"orderAliases,omitempty"`
	CreatedTime     string             `json:"createdTime"`
	LastUpdatedTime string             `json:"lastUpdatedTime"`
	Programs        []string           `json:"programs,omitempty"`
	SalesChannel    wireSalesChannel   `json:"salesChannel"`
	Buyer           *wireBuyer         `json:"buyer,omitempty"`
	Recipient       *wireRecipient     `json:"recipient,omitempty"`
	Proceeds        *wireOrderTotal    `json:"proceeds,omitempty"`
	Fulfillment     *wireFulfillment   `json:"fulfillment,omitempty"`
	OrderItems      []wireOrderItem    `json:"orderItems"`
	Packages        []wireOrderPackage `json:"packages,omitempty"`
}

type wireAlias struct {
	AliasID   string `json:"aliasId"`
	AliasType string `json:"aliasType"`
}

type wireSalesChannel struct {
	ChannelName     string `json:"channelName"`
	MarketplaceID   string `json:"marketplaceId,omitempty"`
	MarketplaceName string `json:"marketplaceName,omitempty"`
}

type wireBuyer struct {
	BuyerName        string `json:"buyerName,omitempty"`
	BuyerEmail       string `json:"buyerEmail,omitempty"`
	BuyerCompanyName string `json:"buyerCompanyName,omitempty"`
}

type wireRecipient struct {
	DeliveryAddress *wireAddress `json:"deliveryAddress,omitempty"`
}

type wireAddress struct {
	Name             string `json:"name,omitempty"`
	CompanyName      string `json:"companyName,omitempty"`
	AddressLine1     string `json:"addressLine1,omitempty"`
	AddressLine2     string `json:"addressLine2,omitempty"`
	AddressLine3     string `json:"addressLine3,omitempty"`
	City             string `json:"city,omitempty"`
	DistrictOrCounty string `json:"districtOrCounty,omitempty"`
	StateOrRegion    string `json:"stateOrRegion,omitempty"`
	Municipality     string `json:"municipality,omitempty"`
	PostalCode       string `json:"postalCode,omitempty"`
	CountryCode      string `json:"countryCode,omitempty"`
	Phone            string `json:"phone,omitempty"`
	AddressType      string `json:"addressType,omitempty"`
}

type wireOrderTotal struct {
	GrandTotal *wireMoney `json:"grandTotal,omitempty"`
}

// wireMoney's amount is a decimal in a string ("11.01", "19940").
type wireMoney struct {
	Amount       string `json:"amount"`
	CurrencyCode string `json:"currencyCode"`
}

type wireFulfillment struct {
	FulfillmentStatus       string         `json:"fulfillmentStatus"`
	FulfilledBy             string         `json:"fulfilledBy,omitempty"`
	FulfillmentServiceLevel string         `json:"fulfillmentServiceLevel,omitempty"`
	ShipByWindow            *wireTimeRange `json:"shipByWindow,omitempty"`
	DeliverByWindow         *wireTimeRange `json:"deliverByWindow,omitempty"`
}

type wireTimeRange struct {
	EarliestDateTime string `json:"earliestDateTime,omitempty"`
	LatestDateTime   string `json:"latestDateTime,omitempty"`
}

type wireOrderItem struct {
	OrderItemID     string                `json:"orderItemId"`
	QuantityOrdered int                   `json:"quantityOrdered"`
	Product         wireProduct           `json:"product"`
	Proceeds        *wireItemProceeds     `json:"proceeds,omitempty"`
	Cancellation    *wireItemCancellation `json:"cancellation,omitempty"`
	Fulfillment     *wireItemFulfillment  `json:"fulfillment,omitempty"`
}

type wireProduct struct {
	ASIN      string         `json:"asin,omitempty"`
	Title     string         `json:"title,omitempty"`
	SellerSKU string         `json:"sellerSku,omitempty"`
	Price     *wireItemPrice `json:"price,omitempty"`
}

type wireItemPrice struct {
	UnitPrice *wireMoney `json:"unitPrice,omitempty"`
}

type wireItemProceeds struct {
	ProceedsTotal *wireMoney          `json:"proceedsTotal,omitempty"`
	Breakdowns    []wireItemBreakdown `json:"breakdowns,omitempty"`
}

// wireItemBreakdown types: ITEM, SHIPPING, GIFT_WRAP, COD_FEE, OTHER, TAX, DISCOUNT.
type wireItemBreakdown struct {
	Type     string     `json:"type"`
	Subtotal *wireMoney `json:"subtotal,omitempty"`
}

type wireItemCancellation struct {
	CancellationRequest *wireCancellationRequest `json:"cancellationRequest,omitempty"`
}

type wireCancellationRequest struct {
	Requester    string `json:"requester,omitempty"`
	CancelReason string `json:"cancelReason,omitempty"`
}

type wireItemFulfillment struct {
	QuantityFulfilled   *int `json:"quantityFulfilled,omitempty"`
	QuantityUnfulfilled *int `json:"quantityUnfulfilled,omitempty"`
}

type wireOrderPackage struct {
	PackageReferenceID string             `json:"packageReferenceId"`
	Carrier            string             `json:"carrier,omitempty"`
	TrackingNumber     string             `json:"trackingNumber,omitempty"`
	ShipTime           string             `json:"shipTime,omitempty"`
	PackageStatus      *wirePackageStatus `json:"packageStatus,omitempty"`
}

type wirePackageStatus struct {
	Status string `json:"status"`
}

// confirmShipmentRequest is v0 confirmShipment's body.
type confirmShipmentRequest struct {
	MarketplaceID string            `json:"marketplaceId"`
	PackageDetail wirePackageDetail `json:"packageDetail"`
}

type wirePackageDetail struct {
	PackageReferenceID string             `json:"packageReferenceId"`
	CarrierCode        string             `json:"carrierCode"`
	CarrierName        string             `json:"carrierName,omitempty"`
	ShippingMethod     string             `json:"shippingMethod,omitempty"`
	TrackingNumber     string             `json:"trackingNumber"`
	ShipDate           string             `json:"shipDate"`
	OrderItems         []wireShipmentItem `json:"orderItems"`
}

type wireShipmentItem struct {
	OrderItemID string `json:"orderItemId"`
	Quantity    int    `json:"quantity"`
}

// errorList is the error body of every operation.
type errorList struct {
	Errors []wireError `json:"errors"`
}

type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}
