package woocommerce

import "encoding/json"

// The fake's answers, field for field as the v3 docs show them. They are kept apart from the
// client's wire types on purpose: a name spelled wrong on one side fails the tests.

// FakeOrder is an order as the fake serves it, and the snapshot tests read.
type FakeOrder struct {
	ID                 int64              `json:"id"`
	ParentID           int64              `json:"parent_id"`
	Number             string             `json:"number"`
	OrderKey           string             `json:"order_key"`
	CreatedVia         string             `json:"created_via"`
	Version            string             `json:"version"`
	Status             string             `json:"status"`
	Currency           string             `json:"currency"`
	DateCreated        string             `json:"date_created"`
	DateCreatedGMT     string             `json:"date_created_gmt"`
	DateModified       string             `json:"date_modified"`
	DateModifiedGMT    string             `json:"date_modified_gmt"`
	DiscountTotal      string             `json:"discount_total"`
	DiscountTax        string             `json:"discount_tax"`
	ShippingTotal      string             `json:"shipping_total"`
	ShippingTax        string             `json:"shipping_tax"`
	CartTax            string             `json:"cart_tax"`
	Total              string             `json:"total"`
	TotalTax           string             `json:"total_tax"`
	PricesIncludeTax   bool               `json:"prices_include_tax"`
	CustomerID         int64              `json:"customer_id"`
	CustomerIPAddress  string             `json:"customer_ip_address"`
	CustomerUserAgent  string             `json:"customer_user_agent"`
	CustomerNote       string             `json:"customer_note"`
	Billing            FakeBilling        `json:"billing"`
	Shipping           FakeShipping       `json:"shipping"`
	PaymentMethod      string             `json:"payment_method"`
	PaymentMethodTitle string             `json:"payment_method_title"`
	TransactionID      string             `json:"transaction_id"`
	DatePaid           *string            `json:"date_paid"`
	DatePaidGMT        *string            `json:"date_paid_gmt"`
	DateCompleted      *string            `json:"date_completed"`
	DateCompletedGMT   *string            `json:"date_completed_gmt"`
	CartHash           string             `json:"cart_hash"`
	MetaData           []FakeMeta         `json:"meta_data"`
	LineItems          []FakeLineItem     `json:"line_items"`
	TaxLines           []json.RawMessage  `json:"tax_lines"`
	ShippingLines      []FakeShippingLine `json:"shipping_lines"`
	FeeLines           []FakeFeeLine      `json:"fee_lines"`
	CouponLines        []json.RawMessage  `json:"coupon_lines"`
	Refunds            []json.RawMessage  `json:"refunds"`
	Links              fakeLinks          `json:"_links"`
}

// Meta returns the value of the order meta key as text ("" when absent or not text).
func (o FakeOrder) Meta(key string) string {
	for _, entry := range o.MetaData {
		if entry.Key == key {
			var text string
			if json.Unmarshal(entry.Value, &text) == nil {
				return text
			}
		}
	}
	return ""
}

// FakeBilling is the billing address of an order.
type FakeBilling struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

// FakeShipping is the shipping address of an order (phone: newer WooCommerce versions).
type FakeShipping struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Phone     string `json:"phone"`
}

// FakeMeta is one meta entry; its value is any JSON.
type FakeMeta struct {
	ID    int64           `json:"id"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// FakeLineItem is one product line of an order.
type FakeLineItem struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name"`
	ProductID   int64             `json:"product_id"`
	VariationID int64             `json:"variation_id"`
	Quantity    int               `json:"quantity"`
	TaxClass    string            `json:"tax_class"`
	Subtotal    string            `json:"subtotal"`
	SubtotalTax string            `json:"subtotal_tax"`
	Total       string            `json:"total"`
	TotalTax    string            `json:"total_tax"`
	Taxes       []json.RawMessage `json:"taxes"`
	MetaData    []FakeMeta        `json:"meta_data"`
	SKU         string            `json:"sku"`
	Price       float64           `json:"price"` // a number on the wire, as in the docs' examples
}

// FakeShippingLine is one shipping line of an order.
type FakeShippingLine struct {
	ID          int64             `json:"id"`
	MethodTitle string            `json:"method_title"`
	MethodID    string            `json:"method_id"`
	Total       string            `json:"total"`
	TotalTax    string            `json:"total_tax"`
	Taxes       []json.RawMessage `json:"taxes"`
	MetaData    []FakeMeta        `json:"meta_data"`
}

// FakeFeeLine is one fee line of an order.
type FakeFeeLine struct {
	ID        int64             `json:"id"`
	Name      string            `json:"name"`
	TaxClass  string            `json:"tax_class"`
	TaxStatus string            `json:"tax_status"`
	Total     string            `json:"total"`
	TotalTax  string            `json:"total_tax"`
	Taxes     []json.RawMessage `json:"taxes"`
	MetaData  []FakeMeta        `json:"meta_data"`
}

// FakeNote is one order note.
type FakeNote struct {
	ID             int64     `json:"id"`
	Author         string    `json:"author"`
	DateCreated    string    `json:"date_created"`
	DateCreatedGMT string    `json:"date_created_gmt"`
	Note           string    `json:"note"`
	CustomerNote   bool      `json:"customer_note"`
	Links          fakeLinks `json:"_links"`
}

type fakeLinks map[string][]fakeHref

type fakeHref struct {
	Href string `json:"href"`
}

// productJSON is a product as GET /products serves it.
type productJSON struct {
	ID                int64              `json:"id"`
	Name              string             `json:"name"`
	Slug              string             `json:"slug"`
	Permalink         string             `json:"permalink"`
	DateCreated       string             `json:"date_created"`
	DateCreatedGMT    string             `json:"date_created_gmt"`
	DateModified      string             `json:"date_modified"`
	DateModifiedGMT   string             `json:"date_modified_gmt"`
	Type              string             `json:"type"`
	Status            string             `json:"status"`
	Featured          bool               `json:"featured"`
	CatalogVisibility string             `json:"catalog_visibility"`
	Description       string             `json:"description"`
	ShortDescription  string             `json:"short_description"`
	SKU               string             `json:"sku"`
	GlobalUniqueID    string             `json:"global_unique_id"`
	Price             string             `json:"price"`
	RegularPrice      string             `json:"regular_price"`
	SalePrice         string             `json:"sale_price"`
	DateOnSaleFrom    *string            `json:"date_on_sale_from"`
	DateOnSaleFromGMT *string            `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      *string            `json:"date_on_sale_to"`
	DateOnSaleToGMT   *string            `json:"date_on_sale_to_gmt"`
	PriceHTML         string             `json:"price_html"`
	OnSale            bool               `json:"on_sale"`
	Purchasable       bool               `json:"purchasable"`
	TotalSales        int                `json:"total_sales"`
	Virtual           bool               `json:"virtual"`
	Downloadable      bool               `json:"downloadable"`
	Downloads         []json.RawMessage  `json:"downloads"`
	DownloadLimit     int                `json:"download_limit"`
	DownloadExpiry    int                `json:"download_expiry"`
	ExternalURL       string             `json:"external_url"`
	ButtonText        string             `json:"button_text"`
	TaxStatus         string             `json:"tax_status"`
	TaxClass          string             `json:"tax_class"`
	ManageStock       any                `json:"manage_stock"` // bool; "parent" on a variation
	StockQuantity     *int               `json:"stock_quantity"`
	StockStatus       string             `json:"stock_status"`
	Backorders        string             `json:"backorders"`
	BackordersAllowed bool               `json:"backorders_allowed"`
	Backordered       bool               `json:"backordered"`
	SoldIndividually  bool               `json:"sold_individually"`
	Weight            string             `json:"weight"`
	Dimensions        fakeDimensions     `json:"dimensions"`
	ShippingRequired  bool               `json:"shipping_required"`
	ShippingTaxable   bool               `json:"shipping_taxable"`
	ShippingClass     string             `json:"shipping_class"`
	ShippingClassID   int64              `json:"shipping_class_id"`
	ReviewsAllowed    bool               `json:"reviews_allowed"`
	AverageRating     string             `json:"average_rating"`
	RatingCount       int                `json:"rating_count"`
	RelatedIDs        []int64            `json:"related_ids"`
	UpsellIDs         []int64            `json:"upsell_ids"`
	CrossSellIDs      []int64            `json:"cross_sell_ids"`
	ParentID          int64              `json:"parent_id"`
	PurchaseNote      string             `json:"purchase_note"`
	Categories        []json.RawMessage  `json:"categories"`
	Tags              []json.RawMessage  `json:"tags"`
	Images            []json.RawMessage  `json:"images"`
	Attributes        []productAttribute `json:"attributes"`
	DefaultAttributes []json.RawMessage  `json:"default_attributes"`
	Variations        []int64            `json:"variations"`
	GroupedProducts   []int64            `json:"grouped_products"`
	MenuOrder         int                `json:"menu_order"`
	MetaData          []FakeMeta         `json:"meta_data"`
	Links             fakeLinks          `json:"_links"`
}

type productAttribute struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Position  int      `json:"position"`
	Visible   bool     `json:"visible"`
	Variation bool     `json:"variation"`
	Options   []string `json:"options"`
}

// variationJSON is a variation as GET /products/<id>/variations serves it.
type variationJSON struct {
	ID                int64                `json:"id"`
	Name              string               `json:"name"`
	Type              string               `json:"type"`
	ParentID          int64                `json:"parent_id"`
	DateCreated       string               `json:"date_created"`
	DateCreatedGMT    string               `json:"date_created_gmt"`
	DateModified      string               `json:"date_modified"`
	DateModifiedGMT   string               `json:"date_modified_gmt"`
	Description       string               `json:"description"`
	Permalink         string               `json:"permalink"`
	SKU               string               `json:"sku"`
	GlobalUniqueID    string               `json:"global_unique_id"`
	Price             string               `json:"price"`
	RegularPrice      string               `json:"regular_price"`
	SalePrice         string               `json:"sale_price"`
	DateOnSaleFrom    *string              `json:"date_on_sale_from"`
	DateOnSaleFromGMT *string              `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      *string              `json:"date_on_sale_to"`
	DateOnSaleToGMT   *string              `json:"date_on_sale_to_gmt"`
	OnSale            bool                 `json:"on_sale"`
	Status            string               `json:"status"`
	Purchasable       bool                 `json:"purchasable"`
	Virtual           bool                 `json:"virtual"`
	Downloadable      bool                 `json:"downloadable"`
	Downloads         []json.RawMessage    `json:"downloads"`
	DownloadLimit     int                  `json:"download_limit"`
	DownloadExpiry    int                  `json:"download_expiry"`
	TaxStatus         string               `json:"tax_status"`
	TaxClass          string               `json:"tax_class"`
	ManageStock       any                  `json:"manage_stock"`
	StockQuantity     *int                 `json:"stock_quantity"`
	StockStatus       string               `json:"stock_status"`
	Backorders        string               `json:"backorders"`
	BackordersAllowed bool                 `json:"backorders_allowed"`
	Backordered       bool                 `json:"backordered"`
	Weight            string               `json:"weight"`
	Dimensions        fakeDimensions       `json:"dimensions"`
	ShippingClass     string               `json:"shipping_class"`
	ShippingClassID   int64                `json:"shipping_class_id"`
	Image             *json.RawMessage     `json:"image"`
	Attributes        []variationAttribute `json:"attributes"`
	MenuOrder         int                  `json:"menu_order"`
	MetaData          []FakeMeta           `json:"meta_data"`
	Links             fakeLinks            `json:"_links"`
}

type variationAttribute struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Option string `json:"option"`
}

type fakeDimensions struct {
	Length string `json:"length"`
	Width  string `json:"width"`
	Height string `json:"height"`
}

// trackingJSON is one item as the Shipment Tracking extension's route serves it.
type trackingJSON struct {
	TrackingID       string    `json:"tracking_id"`
	TrackingProvider string    `json:"tracking_provider"`
	TrackingLink     string    `json:"tracking_link"`
	TrackingNumber   string    `json:"tracking_number"`
	DateShipped      string    `json:"date_shipped"`
	Links            fakeLinks `json:"_links"`
}

// trackingMetaItem is one item of the _wc_shipment_tracking_items order meta.
type trackingMetaItem struct {
	TrackingProvider       string `json:"tracking_provider"`
	CustomTrackingProvider string `json:"custom_tracking_provider"`
	CustomTrackingLink     string `json:"custom_tracking_link"`
	TrackingNumber         string `json:"tracking_number"`
	DateShipped            any    `json:"date_shipped"` // unix time: a string when saved through the route
	TrackingID             string `json:"tracking_id"`
}

// restError is the body of every WordPress REST error.
type restError struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}
