package prestashop

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// Wire types mirror the webservice's resources (field names as PrestaShop spells them). The
// JSON output writes ids as numbers and most other values as strings; flexString and flexInt
// read either.

type wireProduct struct {
	ID                flexInt    `json:"id"`
	Reference         flexString `json:"reference"`
	EAN13             flexString `json:"ean13"`
	Name              multiLang  `json:"name"`
	Active            flexString `json:"active"`
	AvailableForOrder flexString `json:"available_for_order"`
	Visibility        flexString `json:"visibility"`
	Price             flexString `json:"price"` // tax excluded
	IDTaxRulesGroup   flexInt    `json:"id_tax_rules_group"`
	DateUpd           flexString `json:"date_upd"`
}

type wireCombination struct {
	ID        flexInt    `json:"id"`
	IDProduct flexInt    `json:"id_product"`
	Reference flexString `json:"reference"`
	EAN13     flexString `json:"ean13"`
}

type wireStockAvailable struct {
	ID                 flexInt `json:"id"`
	IDProduct          flexInt `json:"id_product"`
	IDProductAttribute flexInt `json:"id_product_attribute"`
	Quantity           flexInt `json:"quantity"`
	// OutOfStock: 0 refuses orders beyond the stock, 1 accepts them, 2 follows the shop's
	// setting (refuse, by default).
	OutOfStock flexInt `json:"out_of_stock"`
}

type wireID struct {
	ID flexInt `json:"id"`
}

type wireCountry struct {
	ID            flexInt    `json:"id"`
	ISOCode       flexString `json:"iso_code"`
	ContainsState flexString `json:"contains_states"`
}

type wireTaxRule struct {
	IDTax flexInt `json:"id_tax"`
}

type wireTax struct {
	Rate flexString `json:"rate"`
}

type wireCart struct {
	ID flexInt `json:"id"`
}

type wireOrder struct {
	ID           flexInt    `json:"id"`
	IDCart       flexInt    `json:"id_cart"`
	IDCarrier    flexInt    `json:"id_carrier"`
	CurrentState flexInt    `json:"current_state"`
	Reference    flexString `json:"reference"`
	GiftMessage  flexString `json:"gift_message"`
	DateUpd      flexString `json:"date_upd"`
}

type wireOrderCarrier struct {
	ID             flexInt    `json:"id"`
	IDCarrier      flexInt    `json:"id_carrier"`
	TrackingNumber flexString `json:"tracking_number"`
	DateAdd        flexString `json:"date_add"`
}

type wireOrderHistory struct {
	ID           flexInt    `json:"id"`
	IDOrderState flexInt    `json:"id_order_state"`
	DateAdd      flexString `json:"date_add"`
}

type wireCarrier struct {
	ID   flexInt    `json:"id"`
	Name flexString `json:"name"`
	URL  flexString `json:"url"`
}

// wireErrors is the JSON error body: {"errors":[{"code":18,"message":"…"}]}.
type wireErrors struct {
	Errors []wireError `json:"errors"`
}

type wireError struct {
	Code    flexString `json:"code" xml:"code"`
	Message string     `json:"message" xml:"message"`
}

// xmlErrors is the XML error body: <prestashop><errors><error><code/><message/></error>….
type xmlErrors struct {
	Errors []wireError `xml:"errors>error"`
}

func xmlUnmarshal(data []byte, v any) error { return xml.Unmarshal(data, v) }

// XML bodies for writes. Fields are sent even when empty where PrestaShop would otherwise
// keep a default it does not document.

type xmlCustomer struct {
	XMLName   xml.Name `xml:"customer"`
	Passwd    string   `xml:"passwd"`
	Lastname  string   `xml:"lastname"`
	Firstname string   `xml:"firstname"`
	Email     string   `xml:"email"`
	IsGuest   int      `xml:"is_guest"`
	Active    int      `xml:"active"`
	IDLang    int64    `xml:"id_lang"`
}

type xmlAddress struct {
	XMLName     xml.Name `xml:"address"`
	IDCustomer  int64    `xml:"id_customer"`
	IDCountry   int64    `xml:"id_country"`
	IDState     int64    `xml:"id_state"`
	Alias       string   `xml:"alias"`
	Company     string   `xml:"company"`
	Lastname    string   `xml:"lastname"`
	Firstname   string   `xml:"firstname"`
	Address1    string   `xml:"address1"`
	Address2    string   `xml:"address2"`
	Postcode    string   `xml:"postcode"`
	City        string   `xml:"city"`
	Phone       string   `xml:"phone"`
	PhoneMobile string   `xml:"phone_mobile"`
}

type xmlCart struct {
	XMLName           xml.Name     `xml:"cart"`
	IDCurrency        int64        `xml:"id_currency"`
	IDLang            int64        `xml:"id_lang"`
	IDCustomer        int64        `xml:"id_customer"`
	IDAddressDelivery int64        `xml:"id_address_delivery"`
	IDAddressInvoice  int64        `xml:"id_address_invoice"`
	IDCarrier         int64        `xml:"id_carrier"`
	Gift              int          `xml:"gift"`
	GiftMessage       string       `xml:"gift_message"`
	Rows              []xmlCartRow `xml:"associations>cart_rows>cart_row"`
}

type xmlCartRow struct {
	IDProduct          int64 `xml:"id_product"`
	IDProductAttribute int64 `xml:"id_product_attribute"`
	IDAddressDelivery  int64 `xml:"id_address_delivery"`
	Quantity           int   `xml:"quantity"`
}

// xmlSpecificPrice fixes one product's price in one cart, as the back office does when a
// merchant edits a price while creating an order.
type xmlSpecificPrice struct {
	XMLName            xml.Name `xml:"specific_price"`
	IDShopGroup        int64    `xml:"id_shop_group"`
	IDShop             int64    `xml:"id_shop"`
	IDCart             int64    `xml:"id_cart"`
	IDProduct          int64    `xml:"id_product"`
	IDProductAttribute int64    `xml:"id_product_attribute"`
	IDCurrency         int64    `xml:"id_currency"`
	IDCountry          int64    `xml:"id_country"`
	IDGroup            int64    `xml:"id_group"`
	IDCustomer         int64    `xml:"id_customer"`
	Price              string   `xml:"price"` // tax excluded
	FromQuantity       int      `xml:"from_quantity"`
	Reduction          string   `xml:"reduction"`
	ReductionTax       int      `xml:"reduction_tax"`
	ReductionType      string   `xml:"reduction_type"`
	From               string   `xml:"from"`
	To                 string   `xml:"to"`
}

type xmlOrder struct {
	XMLName           xml.Name `xml:"order"`
	IDAddressDelivery int64    `xml:"id_address_delivery"`
	IDAddressInvoice  int64    `xml:"id_address_invoice"`
	IDCart            int64    `xml:"id_cart"`
	IDCurrency        int64    `xml:"id_currency"`
	IDLang            int64    `xml:"id_lang"`
	IDCustomer        int64    `xml:"id_customer"`
	IDCarrier         int64    `xml:"id_carrier"`
	CurrentState      int64    `xml:"current_state,omitempty"`
	Module            string   `xml:"module"`
	Payment           string   `xml:"payment"`
	TotalPaid         string   `xml:"total_paid"`
	TotalPaidReal     string   `xml:"total_paid_real"`
	TotalProducts     string   `xml:"total_products"`
	TotalProductsWt   string   `xml:"total_products_wt"`
	TotalShipping     string   `xml:"total_shipping"`
	ConversionRate    string   `xml:"conversion_rate"`
}

type xmlOrderHistory struct {
	XMLName      xml.Name `xml:"order_history"`
	IDOrder      int64    `xml:"id_order"`
	IDOrderState int64    `xml:"id_order_state"`
}

// xmlBody wraps one resource in <prestashop>. It is handed to apiclient as a string, which
// it encodes as JSON; Client.prepare unwraps it before sending.
func xmlBody(entity any) (string, error) {
	document, err := xml.Marshal(struct {
		XMLName xml.Name `xml:"prestashop"`
		Entity  any
	}{Entity: entity})
	if err != nil {
		return "", err
	}
	return xml.Header + string(document), nil
}

// list reads one list of resource. The webservice answers {"<resource>":[…]}, or a bare []
// when nothing matches.
func (c *Client) list(ctx context.Context, resource string, query url.Values, out any) error {
	res, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/" + resource, Query: query})
	if err != nil {
		return err
	}
	return decodeList(res.Body, resource, out)
}

func decodeList(body []byte, resource string, out any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] == '[' {
		return nil
	}
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &wrapped); err != nil {
		return fmt.Errorf("prestashop %s list is unreadable: %w", resource, err)
	}
	items, ok := wrapped[resource]
	if !ok {
		return fmt.Errorf("prestashop %s list has no %q key", resource, resource)
	}
	if err := json.Unmarshal(items, out); err != nil {
		return fmt.Errorf("prestashop %s list is unreadable: %w", resource, err)
	}
	return nil
}

// get reads one resource by id: {"<singular>":{…}}.
func (c *Client) get(ctx context.Context, resource, singular string, id int64, out any) error {
	res, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: fmt.Sprintf("/%s/%d", resource, id)})
	if err != nil {
		return err
	}
	return decodeOne(res.Body, singular, out)
}

func decodeOne(body []byte, singular string, out any) error {
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(body, &wrapped); err != nil {
		return fmt.Errorf("prestashop %s is unreadable: %w", singular, err)
	}
	item, ok := wrapped[singular]
	if !ok {
		return fmt.Errorf("prestashop answered without a %s", singular)
	}
	return json.Unmarshal(item, out)
}

// create POSTs one resource and returns the id PrestaShop gave it. retry allows a retry after
// a lost answer: only for resources whose duplicate is harmless (a second guest address).
func (c *Client) create(ctx context.Context, resource, singular string, entity any, retry bool, query url.Values) (int64, error) {
	body, err := xmlBody(entity)
	if err != nil {
		return 0, err
	}
	res, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/" + resource, Query: query, Body: body, Retry: apiclient.Bool(retry)})
	if err != nil {
		return 0, err
	}
	var created wireID
	if err := decodeOne(res.Body, singular, &created); err != nil {
		return 0, err
	}
	if created.ID.Value <= 0 {
		return 0, fmt.Errorf("prestashop answered the %s creation without an id", singular)
	}
	return created.ID.Value, nil
}

// filterValue writes one exact-match filter value; PrestaShop reads [a|b] as a list and
// [a,b] as a range, with no escape, so values holding those characters cannot be matched.
func filterValue(values ...string) (string, error) {
	for _, value := range values {
		if strings.ContainsAny(value, "[]|,%") {
			return "", fmt.Errorf("%q cannot be searched in PrestaShop: the webservice filter has no escape for [ ] | , %%", value)
		}
	}
	return "[" + strings.Join(values, "|") + "]", nil
}

func idsFilter(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "[" + strings.Join(parts, "|") + "]"
}

// psTimeLayout is how PrestaShop writes dates: shop-local, no zone.
const psTimeLayout = "2006-01-02 15:04:05"

// parseShopTime reads a shop-local date; "" and PrestaShop's zero date are the zero time.
func parseShopTime(value string, location *time.Location) time.Time {
	if value == "" || strings.HasPrefix(value, "0000-00-00") {
		return time.Time{}
	}
	parsed, err := time.ParseInLocation(psTimeLayout, value, location)
	if err != nil {
		return time.Time{}
	}
	return parsed.UTC()
}

// flexString reads a string, a number, a boolean or null as text.
type flexString string

func (s *flexString) UnmarshalJSON(data []byte) error {
	var text string
	if json.Unmarshal(data, &text) == nil {
		*s = flexString(text)
		return nil
	}
	if bytes.Equal(data, []byte("null")) {
		*s = ""
		return nil
	}
	*s = flexString(strings.Trim(string(data), `"`))
	return nil
}

func (s *flexString) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var text string
	if err := d.DecodeElement(&text, &start); err != nil {
		return err
	}
	*s = flexString(strings.TrimSpace(text))
	return nil
}

func (s flexString) String() string { return string(s) }

// flexInt reads an integer sent as a number, a numeric string, "" or null (zero).
type flexInt struct{ Value int64 }

func (n *flexInt) UnmarshalJSON(data []byte) error {
	text := strings.Trim(string(data), `"`)
	if text == "null" || text == "" {
		*n = flexInt{}
		return nil
	}
	number, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", data)
	}
	*n = flexInt{Value: int64(number)}
	return nil
}

// multiLang reads a translated field: a list of {"id":"1","value":"…"}, or a plain string
// when the shop has one language asked.
type multiLang []struct {
	ID    flexInt    `json:"id"`
	Value flexString `json:"value"`
}

func (m *multiLang) UnmarshalJSON(data []byte) error {
	var text string
	if json.Unmarshal(data, &text) == nil {
		*m = multiLang{{Value: flexString(text)}}
		return nil
	}
	type plain multiLang
	var values plain
	if err := json.Unmarshal(data, &values); err != nil {
		return errors.New("a translated field is neither text nor a list of languages")
	}
	*m = multiLang(values)
	return nil
}

// in returns the text in language, or the first one.
func (m multiLang) in(language int64) string {
	for _, entry := range m {
		if entry.ID.Value == language {
			return string(entry.Value)
		}
	}
	if len(m) > 0 {
		return string(m[0].Value)
	}
	return ""
}
