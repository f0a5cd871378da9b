package models

import "time"

// Order statuses (the marketplace side). See ARCHITECTURE.md, "Order states".
const (
	StatusCreated           = "created"
	StatusWaitingAcceptance = "waiting_acceptance"
	StatusWaitingShipment   = "waiting_shipment"
	StatusShipped           = "shipped"
	StatusDelivered         = "delivered"
	StatusRefused           = "refused"
	StatusCancelled         = "cancelled"
	StatusRefunded          = "refunded"
)

// Store states: where the order stands with the merchant's store.
const (
	StorePending   = "pending"
	StoreImported  = "imported"
	StoreBlocked   = "blocked"
	StoreCancelled = "cancelled"
)

// Shipment states: where the shipment stands on its way back to the marketplace.
const (
	ShipmentNone             = "none"
	ShipmentAwaitingTracking = "awaiting_tracking"
	ShipmentReady            = "ready"
	ShipmentSent             = "sent"
	ShipmentConfirmed        = "confirmed"
	ShipmentBlocked          = "blocked"
	// ShipmentMarketplace: the marketplace shipped the order from its own warehouse (Amazon
	// FBA, Fulfilled by bol); nothing goes back to it.
	ShipmentMarketplace = "by_marketplace"
)

// Blocking reasons.
const (
	BlockedUnknownProduct      = "unknown_product"
	BlockedMissingField        = "missing_field"
	BlockedOutOfStock          = "out_of_stock"
	BlockedCountryInactive     = "country_inactive"
	BlockedStoreRejected       = "store_rejected"
	BlockedCarrierUnmapped     = "carrier_unmapped"
	BlockedMarketplaceRejected = "marketplace_rejected"
)

// Order is one marketplace order as orderhub knows it. Money is in minor units of Currency.
// Connectors fill the marketplace fields (identity, status, buyer, lines, amounts); the state
// fields are orderhub's and change only through the order's transition methods.
type Order struct {
	ID           int64
	MerchantID   int64
	ConnectionID int64

	MarketplaceOrderID   string // the marketplace's id of this order (Mirakl order_id)
	MarketplaceReference string // the reference the buyer sees, when it differs (Mirakl commercial_id)
	Status               string
	RawStatus            string // the marketplace's own status code, for support
	PlacedAt             time.Time
	MarketplaceUpdatedAt time.Time
	ShipBy               *time.Time
	ShippingMethod       string // the marketplace's shipping type code
	// FulfilledByMarketplace: the marketplace ships it from its own warehouse (Amazon FBA,
	// Fulfilled by bol). Connectors set it from the order; only connections whose
	// Fulfilment is "marketplace" take such orders.
	FulfilledByMarketplace bool

	Currency       string // ISO 4217
	TotalAmount    int64  // everything the buyer paid, shipping included
	ShippingAmount int64

	Billing  Address `gorm:"embedded;embeddedPrefix:billing_"`
	Shipping Address `gorm:"embedded;embeddedPrefix:shipping_"`

	StoreState          string
	StoreBlockedReason  string
	StoreBlockedMessage string
	StoreBlockedCause   string // what exactly blocks it (SKUs, country, fields, the store's message)
	StoreOrderID        string
	StoreAttemptAt      *time.Time // first attempt to create it in the store: FindOrder looks from here
	AcknowledgedAt      *time.Time // pull mode: when the shop acknowledged it

	ShipmentState          string
	ShipmentBlockedReason  string
	ShipmentBlockedMessage string
	ShipmentBlockedCause   string
	CarrierCode            string
	CarrierName            string
	TrackingNumber         string
	TrackingURL            string
	ShippedAt              *time.Time

	Test           bool
	SkipStockCheck bool // "import anyway": sent to the store whatever its stock

	Lines     []OrderLine
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Address is a billing or shipping address. Country is ISO 3166-1 alpha-2.
type Address struct {
	FirstName  string
	LastName   string
	Company    string
	Street1    string
	Street2    string
	PostalCode string
	City       string
	State      string
	Country    string
	Phone      string
	Email      string
}

// OrderLine is one product line of an order.
type OrderLine struct {
	ID                int64
	OrderID           int64
	MerchantID        int64
	MarketplaceLineID string // the marketplace's id of the line (Mirakl order_line_id)
	SKU               string // the seller's SKU as the marketplace knows it (Mirakl offer_sku)
	EAN               string
	Title             string
	Quantity          int
	UnitPrice         int64 // per unit, tax included, as the buyer paid it
	ShippingAmount    int64 // this line's share of shipping
	RawStatus         string
}

// OrdersPage is one page of orders read from a marketplace. Cursor resumes after this page
// (connectors encode what they need in it; orderhub stores it as it is); More says another
// page follows now.
type OrdersPage struct {
	Orders []Order
	Cursor string
	More   bool
}

// Shipment is what orderhub sends to the marketplace for one order.
type Shipment struct {
	CarrierCode    string // the marketplace's carrier code, empty for a carrier it does not list
	CarrierName    string
	TrackingNumber string // empty when shipped without tracking
	TrackingURL    string
	ShippedAt      time.Time
}

// Carrier is one carrier a marketplace knows. TrackingURLTemplate holds {tracking} where the
// tracking number goes.
type Carrier struct {
	Code                string
	Name                string
	StandardCode        string
	TrackingURLTemplate string
}

// StoreShipment is the state of one orderhub-created order as the store reports it.
type StoreShipment struct {
	StoreOrderID string
	// OrderID is orderhub's id of the order, when the store keeps it on the order (0:
	// unknown). It finds an order whose creation answer was lost, before orderhub looked it up.
	OrderID        int64
	RawStatus      string // the store's own status
	Shipped        bool   // the store marked it shipped or completed
	Cancelled      bool
	Carrier        string // the carrier as the store names it (provider code or free text)
	TrackingNumber string
	TrackingURL    string
	ShippedAt      *time.Time
	UpdatedAt      time.Time
}

// ShipmentsPage is one page of store orders changed since a cursor.
type ShipmentsPage struct {
	Shipments []StoreShipment
	Cursor    string
	More      bool
}

// Product is one sellable item of a store's catalogue.
type Product struct {
	ID             int64
	MerchantID     int64
	ConnectionID   int64
	StoreProductID string // the store's id (WooCommerce product or variation id)
	SKU            string
	EAN            string
	Name           string
	Stock          int  // meaningful when ManageStock
	ManageStock    bool // false: the store does not count stock, so it is never "out"
	Active         bool // published/enabled and visible: orderable
	UpdatedAt      time.Time
}

// ProductsPage is one page of a store's catalogue.
type ProductsPage struct {
	Products []Product
	Cursor   string
	More     bool
}

// Exchange is one API call as the order timeline shows it, secrets removed.
type Exchange struct {
	Method       string    `json:"method"`
	URL          string    `json:"url"`
	Status       int       `json:"status"`
	RequestBody  string    `json:"request_body,omitempty"`
	ResponseBody string    `json:"response_body,omitempty"`
	Error        string    `json:"error,omitempty"`
	DurationMS   int64     `json:"duration_ms"`
	At           time.Time `json:"at"`
}
