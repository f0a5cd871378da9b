package woocommerce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// orderInput is a POST or PUT /orders body after WordPress's schema checks; nil pointers are
// fields that were not sent.
type orderInput struct {
	status, currency, customerNote                   *string
	paymentMethod, paymentMethodTitle, transactionID *string
	customerID                                       *int64
	billing, shipping                                map[string]string
	setPaid                                          bool
	meta                                             []metaInput
	lines                                            []lineInput
	shippingLines                                    []shippingInput
	fees                                             []feeInput
}

type metaInput struct {
	id    int64
	key   string
	value json.RawMessage
}

type lineInput struct {
	productID, variationID int64
	sku                    string
	quantity               *int64
	subtotal, total, name  *string
	meta                   []metaInput
}

type shippingInput struct {
	methodTitle, methodID string
	total                 *string
}

type feeInput struct {
	name, taxStatus string
	total           *string
}

var billingFields = []string{"first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country", "email", "phone"}

// readJSONBody reads the body as WordPress does for JSON requests; numbers keep their text.
func readJSONBody(r *http.Request) (map[string]any, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var body map[string]any
	if err := decoder.Decode(&body); err != nil {
		return nil, err
	}
	return body, nil
}

// schema checks values against the types the order schema declares, recording each failure
// under its top-level parameter as WordPress does.
type schema struct{ errs paramErrors }

func (s schema) str(obj map[string]any, key, param, path string) *string {
	value, ok := obj[key]
	if !ok || value == nil {
		return nil
	}
	text, isString := value.(string)
	if !isString {
		s.errs[param] = path + " is not of type string."
		return nil
	}
	return &text
}

func (s schema) integer(obj map[string]any, key, param, path string) *int64 {
	value, ok := obj[key]
	if !ok || value == nil {
		return nil
	}
	var text string
	switch v := value.(type) {
	case json.Number:
		text = v.String()
	case string:
		text = v
	}
	number, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		s.errs[param] = path + " is not of type integer."
		return nil
	}
	return &number
}

func (s schema) boolean(obj map[string]any, key, param string) bool {
	switch v := obj[key].(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		switch strings.ToLower(v) {
		case "true", "1":
			return true
		case "false", "0", "":
			return false
		}
	case json.Number:
		switch v.String() {
		case "1":
			return true
		case "0":
			return false
		}
	}
	s.errs[param] = param + " is not of type boolean."
	return false
}

func (s schema) object(obj map[string]any, key, param, path string) map[string]any {
	value, ok := obj[key]
	if !ok || value == nil {
		return nil
	}
	object, isObject := value.(map[string]any)
	if !isObject {
		s.errs[param] = path + " is not of type object."
		return nil
	}
	return object
}

func (s schema) objects(obj map[string]any, key, param, path string) []map[string]any {
	value, ok := obj[key]
	if !ok || value == nil {
		return nil
	}
	list, isList := value.([]any)
	if !isList {
		s.errs[param] = path + " is not of type array."
		return nil
	}
	objects := make([]map[string]any, 0, len(list))
	for i, item := range list {
		object, isObject := item.(map[string]any)
		if !isObject {
			s.errs[param] = fmt.Sprintf("%s[%d] is not of type object.", path, i)
			return nil
		}
		objects = append(objects, object)
	}
	return objects
}

func (s schema) amount(obj map[string]any, key, param, path string) *string {
	text := s.str(obj, key, param, path)
	if text != nil {
		if _, err := parseMicro(*text); err != nil {
			s.errs[param] = path + " is not a decimal amount."
			return nil
		}
	}
	return text
}

func (s schema) address(obj map[string]any, key string) map[string]string {
	object := s.object(obj, key, key, key)
	if object == nil {
		return nil
	}
	address := map[string]string{}
	for _, field := range billingFields {
		if text := s.str(object, field, key, key+"["+field+"]"); text != nil {
			address[field] = *text
		}
	}
	return address
}

func (s schema) metaList(obj map[string]any, param, path string) []metaInput {
	var meta []metaInput
	for i, entry := range s.objects(obj, "meta_data", param, path) {
		at := fmt.Sprintf("%s[%d]", path, i)
		key := s.str(entry, "key", param, at+"[key]")
		id := s.integer(entry, "id", param, at+"[id]")
		if key == nil && id == nil {
			continue
		}
		item := metaInput{value: mustJSON(entry["value"])}
		if entry["value"] == nil {
			item.value = mustJSON("")
		}
		if key != nil {
			item.key = *key
		}
		if id != nil {
			item.id = *id
		}
		meta = append(meta, item)
	}
	return meta
}

// readOrderInput checks a create or update body against the order schema.
func readOrderInput(body map[string]any) (orderInput, paramErrors) {
	s := schema{errs: paramErrors{}}
	in := orderInput{
		status:             s.str(body, "status", "status", "status"),
		currency:           s.str(body, "currency", "currency", "currency"),
		customerNote:       s.str(body, "customer_note", "customer_note", "customer_note"),
		paymentMethod:      s.str(body, "payment_method", "payment_method", "payment_method"),
		paymentMethodTitle: s.str(body, "payment_method_title", "payment_method_title", "payment_method_title"),
		transactionID:      s.str(body, "transaction_id", "transaction_id", "transaction_id"),
		customerID:         s.integer(body, "customer_id", "customer_id", "customer_id"),
		billing:            s.address(body, "billing"),
		shipping:           s.address(body, "shipping"),
		setPaid:            s.boolean(body, "set_paid", "set_paid"),
		meta:               s.metaList(body, "meta_data", "meta_data"),
	}
	if in.status != nil && !contains(orderStatuses, *in.status) {
		s.errs["status"] = "status is not one of " + strings.Join(orderStatuses, ", ") + "."
	}
	if in.currency != nil && (len(*in.currency) != 3 || strings.ToUpper(*in.currency) != *in.currency) {
		s.errs["currency"] = "currency is not one of the ISO 4217 codes WooCommerce knows."
	}
	for i, item := range s.objects(body, "line_items", "line_items", "line_items") {
		at := fmt.Sprintf("line_items[%d]", i)
		line := lineInput{
			quantity: s.integer(item, "quantity", "line_items", at+"[quantity]"),
			subtotal: s.amount(item, "subtotal", "line_items", at+"[subtotal]"),
			total:    s.amount(item, "total", "line_items", at+"[total]"),
			name:     s.str(item, "name", "line_items", at+"[name]"),
			meta:     s.metaList(item, "line_items", at+"[meta_data]"),
		}
		if id := s.integer(item, "product_id", "line_items", at+"[product_id]"); id != nil {
			line.productID = *id
		}
		if id := s.integer(item, "variation_id", "line_items", at+"[variation_id]"); id != nil {
			line.variationID = *id
		}
		if sku := s.str(item, "sku", "line_items", at+"[sku]"); sku != nil {
			line.sku = *sku
		}
		in.lines = append(in.lines, line)
	}
	for i, item := range s.objects(body, "shipping_lines", "shipping_lines", "shipping_lines") {
		at := fmt.Sprintf("shipping_lines[%d]", i)
		line := shippingInput{total: s.amount(item, "total", "shipping_lines", at+"[total]")}
		if title := s.str(item, "method_title", "shipping_lines", at+"[method_title]"); title != nil {
			line.methodTitle = *title
		}
		if id := s.str(item, "method_id", "shipping_lines", at+"[method_id]"); id != nil {
			line.methodID = *id
		}
		in.shippingLines = append(in.shippingLines, line)
	}
	for i, item := range s.objects(body, "fee_lines", "fee_lines", "fee_lines") {
		at := fmt.Sprintf("fee_lines[%d]", i)
		fee := feeInput{total: s.amount(item, "total", "fee_lines", at+"[total]"), taxStatus: "taxable"}
		if name := s.str(item, "name", "fee_lines", at+"[name]"); name != nil {
			fee.name = *name
		}
		if status := s.str(item, "tax_status", "fee_lines", at+"[tax_status]"); status != nil {
			fee.taxStatus = *status
		}
		in.fees = append(in.fees, fee)
	}
	return in, s.errs
}

// looksLikeEmail is a rough is_email: one @, a dotted domain, no spaces.
func looksLikeEmail(email string) bool {
	local, domain, found := strings.Cut(email, "@")
	return found && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(email, " \t") &&
		!strings.Contains(domain, "@") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
