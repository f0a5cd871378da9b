package woocommerce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Wire types mirror the WooCommerce REST API v3 (field names as the docs spell them). The
// client reads only the fields it needs; convert.go is the only code that touches them.

// wireProduct is one item of GET /products.
type wireProduct struct {
	ID                int64       `json:"id"`
	Name              string      `json:"name"`
	Type              string      `json:"type"`
	Status            string      `json:"status"`
	CatalogVisibility string      `json:"catalog_visibility"`
	SKU               string      `json:"sku"`
	GlobalUniqueID    string      `json:"global_unique_id"` // GTIN/EAN, WooCommerce 9.2 and later
	ManageStock       manageStock `json:"manage_stock"`
	StockQuantity     flexInt     `json:"stock_quantity"`
	StockStatus       string      `json:"stock_status"`
	BackordersAllowed bool        `json:"backorders_allowed"`
	DateModifiedGMT   wooTime     `json:"date_modified_gmt"`
	Variations        []int64     `json:"variations"`
}

// wireVariation is one item of GET /products/<id>/variations.
type wireVariation struct {
	ID                int64                  `json:"id"`
	Name              string                 `json:"name"` // only in newer versions
	SKU               string                 `json:"sku"`
	GlobalUniqueID    string                 `json:"global_unique_id"`
	Status            string                 `json:"status"`
	ManageStock       manageStock            `json:"manage_stock"`
	StockQuantity     flexInt                `json:"stock_quantity"`
	StockStatus       string                 `json:"stock_status"`
	BackordersAllowed bool                   `json:"backorders_allowed"`
	DateModifiedGMT   wooTime                `json:"date_modified_gmt"`
	Attributes        []wireVariationOptions `json:"attributes"`
}

type wireVariationOptions struct {
	Name   string `json:"name"`
	Option string `json:"option"`
}

// wireOrderCreate is the body of POST /orders.
type wireOrderCreate struct {
	Status             string             `json:"status"`
	Currency           string             `json:"currency"`
	SetPaid            bool               `json:"set_paid"`
	PaymentMethod      string             `json:"payment_method"`
	PaymentMethodTitle string             `json:"payment_method_title"`
	TransactionID      string             `json:"transaction_id,omitempty"`
	Billing            wireBilling        `json:"billing"`
	Shipping           wireShipping       `json:"shipping"`
	LineItems          []wireLineItem     `json:"line_items"`
	ShippingLines      []wireShippingLine `json:"shipping_lines"`
	MetaData           []wireMetaIn       `json:"meta_data"`
}

type wireBilling struct {
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

// wireShipping has no email; phone exists in newer versions and is ignored by older ones.
type wireShipping struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Phone     string `json:"phone,omitempty"`
}

// wireLineItem names the product by sku, which the create endpoint resolves although the
// schema marks it read-only; subtotal and total are always sent so the catalogue price is
// never used.
type wireLineItem struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
	Subtotal string `json:"subtotal"`
	Total    string `json:"total"`
}

type wireShippingLine struct {
	MethodTitle string `json:"method_title"`
	Total       string `json:"total"`
}

type wireMetaIn struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// wireOrder is an order as GET /orders and POST /orders return it.
type wireOrder struct {
	ID               int64   `json:"id"`
	Status           string  `json:"status"`
	Currency         string  `json:"currency"`
	Total            string  `json:"total"`
	DateCreatedGMT   wooTime `json:"date_created_gmt"`
	DateModifiedGMT  wooTime `json:"date_modified_gmt"`
	DateCompletedGMT wooTime `json:"date_completed_gmt"`
	Shipping         struct {
		Postcode string `json:"postcode"` // some carriers' tracking links need it
	} `json:"shipping"`
	MetaData []wireMeta `json:"meta_data"`
}

// wireMeta is one meta entry as read back: the value may be any JSON (the tracking items are
// an array of objects).
type wireMeta struct {
	ID    int64           `json:"id"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// wireTrackingItem is one entry of the _wc_shipment_tracking_items order meta written by the
// Shipment Tracking extension.
type wireTrackingItem struct {
	TrackingProvider       string  `json:"tracking_provider"`
	CustomTrackingProvider string  `json:"custom_tracking_provider"`
	CustomTrackingLink     string  `json:"custom_tracking_link"`
	TrackingNumber         string  `json:"tracking_number"`
	DateShipped            flexInt `json:"date_shipped"` // unix time, as a number or a string
	TrackingID             string  `json:"tracking_id"`
}

// wireError is the body of every WordPress REST error.
type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Status int `json:"status"`
	} `json:"data"`
}

// wooTime reads WooCommerce dates: no zone designator ("2017-03-22T19:28:08"), null when
// unset. Only *_gmt fields are read into it, so the time is UTC.
type wooTime struct{ time.Time }

const wooTimeLayout = "2006-01-02T15:04:05"

func (t *wooTime) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return fmt.Errorf("date %s: %w", data, err)
	}
	if text == "" {
		t.Time = time.Time{}
		return nil
	}
	parsed, err := time.Parse(wooTimeLayout, text)
	if err != nil {
		// Some plugins rewrite dates with a zone; honour it.
		if parsed, err = time.Parse(time.RFC3339, text); err != nil {
			return fmt.Errorf("date %q is not ISO 8601", text)
		}
	}
	t.Time = parsed.UTC()
	return nil
}

// formatWooTime writes a UTC time the way WooCommerce's date filters expect it.
func formatWooTime(t time.Time) string { return t.UTC().Format(wooTimeLayout) }

// flexInt reads an integer sent as a number, a numeric string, or null (Valid false).
type flexInt struct {
	Value int64
	Valid bool
}

func (n *flexInt) UnmarshalJSON(data []byte) error {
	*n = flexInt{}
	text := strings.Trim(string(data), `"`)
	if text == "null" || text == "" {
		return nil
	}
	number, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", data)
	}
	*n = flexInt{Value: int64(number), Valid: true}
	return nil
}

// manageStock is a boolean on products; on variations it is "parent" when the parent
// product counts the stock.
type manageStock struct {
	Managed  bool
	ByParent bool
}

func (m *manageStock) UnmarshalJSON(data []byte) error {
	switch strings.Trim(string(data), `"`) {
	case "true", "1", "yes":
		*m = manageStock{Managed: true}
	case "parent":
		*m = manageStock{Managed: true, ByParent: true}
	default:
		*m = manageStock{}
	}
	return nil
}
