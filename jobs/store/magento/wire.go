package magento

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Wire types mirror the REST API's field names. Only what orderhub reads or writes is declared.

type wireError struct {
	Message    string          `json:"message"`
	Parameters json.RawMessage `json:"parameters,omitempty"`
}

// timeLayout is how Magento writes times: UTC, without a zone designator.
const timeLayout = "2006-01-02 15:04:05"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(value string) (time.Time, error) { return time.Parse(timeLayout, value) }

// searchCriteria builds the bracketed query parameters of Magento's list endpoints. Filters
// in one group are ORed; groups are ANDed.
type searchCriteria struct {
	Groups      [][]filter
	Sort        []sortOrder
	PageSize    int
	CurrentPage int
}

type filter struct {
	Field, Value, Condition string
}

type sortOrder struct {
	Field, Direction string
}

func (sc searchCriteria) and(filters ...filter) searchCriteria {
	for _, f := range filters {
		sc.Groups = append(sc.Groups, []filter{f})
	}
	return sc
}

func (sc searchCriteria) values() url.Values {
	q := url.Values{}
	for g, group := range sc.Groups {
		for i, f := range group {
			prefix := fmt.Sprintf("searchCriteria[filter_groups][%d][filters][%d]", g, i)
			q.Set(prefix+"[field]", f.Field)
			if f.Value != "" || f.Condition == "" || f.Condition == "eq" {
				q.Set(prefix+"[value]", f.Value)
			}
			if f.Condition != "" {
				q.Set(prefix+"[condition_type]", f.Condition)
			}
		}
	}
	for i, s := range sc.Sort {
		q.Set(fmt.Sprintf("searchCriteria[sortOrders][%d][field]", i), s.Field)
		q.Set(fmt.Sprintf("searchCriteria[sortOrders][%d][direction]", i), s.Direction)
	}
	if sc.PageSize > 0 {
		q.Set("searchCriteria[pageSize]", strconv.Itoa(sc.PageSize))
	}
	if sc.CurrentPage > 0 {
		q.Set("searchCriteria[currentPage]", strconv.Itoa(sc.CurrentPage))
	}
	return q
}

// decimal is a JSON number as Magento writes money and quantities (12.9, 4, "4.0000" in
// places); it keeps the text so amounts convert to minor units without floats.
type decimal string

func (d *decimal) UnmarshalJSON(data []byte) error {
	text := strings.Trim(string(data), `"`)
	if text == "null" {
		text = ""
	}
	*d = decimal(text)
	return nil
}

func (d decimal) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte("0"), nil
	}
	return []byte(d), nil
}

// minor converts to minor units with exponent decimals, rounding half away from zero.
func (d decimal) minor(exponent int) (int64, error) {
	return parseMinor(string(d), exponent)
}

// whole reads a quantity, dropping Magento's decimals ("4.0000").
func (d decimal) whole() int {
	n, _ := parseMinor(string(d), 0)
	return int(n)
}

// money writes minor units as a JSON number.
func money(amount int64, exponent int) decimal {
	return decimal(formatDecimal(amount, exponent))
}

type wireList[T any] struct {
	Items      []T `json:"items"`
	TotalCount int `json:"total_count"`
}

// wireCustomAttribute is one EAV attribute; its value is text, a number or a list.
type wireCustomAttribute struct {
	AttributeCode string          `json:"attribute_code"`
	Value         json.RawMessage `json:"value"`
}

type wireStockItem struct {
	Qty         *decimal `json:"qty"`
	IsInStock   bool     `json:"is_in_stock"`
	ManageStock *bool    `json:"manage_stock"`
	// UseConfigManageStock: the item follows the store-wide setting (managed by default).
	UseConfigManageStock bool `json:"use_config_manage_stock"`
	BackordersAllowed    int  `json:"backorders"`
	UseConfigBackorders  bool `json:"use_config_backorders"`
}

type wireProduct struct {
	ID                  int64   `json:"id"`
	SKU                 string  `json:"sku"`
	Name                string  `json:"name"`
	Price               decimal `json:"price"`
	Status              int     `json:"status"`     // 1 enabled, 2 disabled
	Visibility          int     `json:"visibility"` // 1 not visible individually
	TypeID              string  `json:"type_id"`
	UpdatedAt           string  `json:"updated_at"`
	ExtensionAttributes struct {
		StockItem *wireStockItem `json:"stock_item,omitempty"`
	} `json:"extension_attributes"`
	CustomAttributes []wireCustomAttribute `json:"custom_attributes"`
}

type wireAddress struct {
	Firstname string   `json:"firstname"`
	Lastname  string   `json:"lastname"`
	Company   string   `json:"company,omitempty"`
	Street    []string `json:"street"`
	City      string   `json:"city"`
	Postcode  string   `json:"postcode"`
	CountryID string   `json:"country_id"`
	Region    string   `json:"region,omitempty"`
	Telephone string   `json:"telephone"`
	Email     string   `json:"email,omitempty"`
}

type wireCartItemIn struct {
	SKU     string `json:"sku"`
	Qty     int    `json:"qty"`
	QuoteID string `json:"quote_id"`
}

type wireShippingMethod struct {
	CarrierCode string  `json:"carrier_code"`
	MethodCode  string  `json:"method_code"`
	Available   bool    `json:"available"`
	Amount      decimal `json:"amount"`
}

type wireAddressInformation struct {
	ShippingAddress     wireAddress `json:"shipping_address"`
	BillingAddress      wireAddress `json:"billing_address"`
	ShippingCarrierCode string      `json:"shipping_carrier_code"`
	ShippingMethodCode  string      `json:"shipping_method_code"`
}

type wirePaymentDetails struct {
	PaymentMethods []struct {
		Code  string `json:"code"`
		Title string `json:"title"`
	} `json:"payment_methods"`
	Totals struct {
		GrandTotal        decimal `json:"grand_total"`
		QuoteCurrencyCode string  `json:"quote_currency_code"`
	} `json:"totals"`
}

// orderID reads the id an order placement answers: a number, or a string holding one.
type orderID string

func (o *orderID) UnmarshalJSON(data []byte) error {
	text := strings.Trim(string(data), `"`)
	if _, err := strconv.ParseInt(text, 10, 64); err != nil {
		return fmt.Errorf("%s is not an order id", data)
	}
	*o = orderID(text)
	return nil
}

type wireOrderItem struct {
	ItemID        int64   `json:"item_id"`
	SKU           string  `json:"sku"`
	Name          string  `json:"name,omitempty"`
	QtyOrdered    decimal `json:"qty_ordered"`
	ParentItemID  int64   `json:"parent_item_id,omitempty"`
	Price         decimal `json:"price"`
	OriginalPrice decimal `json:"original_price"`
	PriceInclTax  decimal `json:"price_incl_tax"`
	RowTotal      decimal `json:"row_total"`
	RowTotalIncl  decimal `json:"row_total_incl_tax"`
}

type wireStatusHistory struct {
	Comment   string `json:"comment"`
	CreatedAt string `json:"created_at,omitempty"`
}

type wireOrder struct {
	EntityID        int64               `json:"entity_id"`
	IncrementID     string              `json:"increment_id"`
	ExtOrderID      string              `json:"ext_order_id"`
	State           string              `json:"state"`
	Status          string              `json:"status"`
	CustomerEmail   string              `json:"customer_email"`
	CustomerLast    string              `json:"customer_lastname"`
	OrderCurrency   string              `json:"order_currency_code"`
	GrandTotal      decimal             `json:"grand_total"`
	ShippingAmount  decimal             `json:"shipping_amount"`
	TotalInvoiced   decimal             `json:"total_invoiced"`
	TotalPaid       decimal             `json:"total_paid"`
	CreatedAt       string              `json:"created_at"`
	UpdatedAt       string              `json:"updated_at"`
	Items           []wireOrderItem     `json:"items"`
	BillingAddress  *wireAddress        `json:"billing_address,omitempty"`
	StatusHistories []wireStatusHistory `json:"status_histories"`
	ExtensionAttrs  struct {
		ShippingAssignments []struct {
			Shipping struct {
				Address *wireAddress `json:"address"`
			} `json:"shipping"`
		} `json:"shipping_assignments"`
	} `json:"extension_attributes"`
}

// shippingAddress is the first shipping assignment's address, where Magento keeps it.
func (o wireOrder) shippingAddress() wireAddress {
	for _, assignment := range o.ExtensionAttrs.ShippingAssignments {
		if assignment.Shipping.Address != nil {
			return *assignment.Shipping.Address
		}
	}
	return wireAddress{}
}

// wireOrderEdit is the entity POST /V1/orders saves over an existing order: the fields given
// replace the stored ones.
type wireOrderEdit struct {
	EntityID           int64               `json:"entity_id"`
	IncrementID        string              `json:"increment_id"`
	ExtOrderID         string              `json:"ext_order_id"`
	Subtotal           decimal             `json:"subtotal"`
	BaseSubtotal       decimal             `json:"base_subtotal"`
	SubtotalInclTax    decimal             `json:"subtotal_incl_tax"`
	ShippingAmount     decimal             `json:"shipping_amount"`
	BaseShippingAmount decimal             `json:"base_shipping_amount"`
	ShippingInclTax    decimal             `json:"shipping_incl_tax"`
	GrandTotal         decimal             `json:"grand_total"`
	BaseGrandTotal     decimal             `json:"base_grand_total"`
	Items              []wireOrderItemEdit `json:"items"`
}

type wireOrderItemEdit struct {
	ItemID           int64   `json:"item_id"`
	SKU              string  `json:"sku"`
	Price            decimal `json:"price"`
	BasePrice        decimal `json:"base_price"`
	OriginalPrice    decimal `json:"original_price"`
	PriceInclTax     decimal `json:"price_incl_tax"`
	BasePriceInclTax decimal `json:"base_price_incl_tax"`
	RowTotal         decimal `json:"row_total"`
	BaseRowTotal     decimal `json:"base_row_total"`
	RowTotalInclTax  decimal `json:"row_total_incl_tax"`
}

type wireTrack struct {
	EntityID    int64  `json:"entity_id,omitempty"`
	ParentID    int64  `json:"parent_id,omitempty"`
	OrderID     int64  `json:"order_id,omitempty"`
	TrackNumber string `json:"track_number"`
	Title       string `json:"title"`
	CarrierCode string `json:"carrier_code"`
	CreatedAt   string `json:"created_at,omitempty"`
}

type wireShipment struct {
	EntityID  int64       `json:"entity_id"`
	OrderID   int64       `json:"order_id"`
	CreatedAt string      `json:"created_at"`
	UpdatedAt string      `json:"updated_at"`
	Tracks    []wireTrack `json:"tracks"`
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
