package shopify

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// orderCreate checks the input as Shopify does after the schema's types (those were checked
// with the variables) and answers userErrors with HTTP 200, or creates the order. The
// inventory behaviour defaults to BYPASS, as documented.
func (f *Fake) orderCreate(args map[string]any) map[string]any {
	in, _ := args["order"].(map[string]any)
	options, _ := args["options"].(map[string]any)
	behaviour := "BYPASS"
	if b, _ := options["inventoryBehaviour"].(string); b != "" {
		behaviour = b
	}
	var userErrors []any
	fail := func(code string, message string, field ...string) {
		path := []any{"order"}
		for _, step := range field {
			path = append(path, step)
		}
		userErrors = append(userErrors, map[string]any{"__typename": "OrderCreateUserError", "code": code, "field": path, "message": message})
	}
	now := f.now()
	currency := strings.ToUpper(defaultString(str(in["currency"]), f.currency))
	exponent := models.CurrencyExponent(currency)
	amountOf := func(bag any, field ...string) int64 {
		shopMoney, _ := asMap(bag)["shopMoney"].(map[string]any)
		if shopMoney == nil {
			return 0
		}
		if code := str(shopMoney["currencyCode"]); code != currency {
			fail("INVALID", fmt.Sprintf("Currency code %s does not match the order currency %s", code, currency), append(field, "shopMoney", "currencyCode")...)
		}
		amount, err := parseMinor(fmt.Sprint(shopMoney["amount"]), exponent)
		if err != nil {
			fail("INVALID", "Amount is invalid", append(field, "shopMoney", "amount")...)
		}
		if amount < 0 {
			fail("INVALID", "Amount must be greater than or equal to 0", append(field, "shopMoney", "amount")...)
		}
		return amount
	}

	order := &fakeOrder{currency: currency, createdAt: now, updatedAt: now, processedAt: now,
		email: str(in["email"]), phone: str(in["phone"]), note: str(in["note"]),
		sourceName: str(in["sourceName"]), sourceIdentifier: str(in["sourceIdentifier"]),
		financialStatus: str(in["financialStatus"]), test: in["test"] == true}
	if order.email != "" && !emailPattern.MatchString(order.email) {
		fail("INVALID", "Email is invalid", "email")
	}
	if processed := str(in["processedAt"]); processed != "" {
		at, _ := time.Parse(time.RFC3339, processed)
		if at.After(now) {
			fail("PROCESSED_AT_INVALID", "Processed at must not be in the future", "processedAt")
		}
		order.processedAt = at.UTC()
	}
	if in["customer"] != nil && in["customerId"] != nil {
		fail("REDUNDANT_CUSTOMER_FIELDS", "Only one of customer or customerId may be given", "customer")
	}

	lineItems := asList(in["lineItems"])
	if len(lineItems) == 0 {
		fail("INVALID", "Line items must have at least one line item", "lineItems")
	}
	wanted := map[int64]int{}
	for i, raw := range lineItems {
		li := asMap(raw)
		index := strconv.Itoa(i)
		line := fakeLine{id: f.newID(), quantity: toInt(li["quantity"]), sku: str(li["sku"]), title: str(li["title"]), requiresShipping: true}
		if rs, ok := li["requiresShipping"].(bool); ok {
			line.requiresShipping = rs
		}
		if line.quantity < 1 {
			fail("INVALID", "Quantity must be greater than or equal to 1", "lineItems", index, "quantity")
		}
		hasPrice := li["priceSet"] != nil
		if hasPrice {
			line.unitPrice = amountOf(li["priceSet"], "lineItems", index, "priceSet")
		}
		if variantGID := str(li["variantId"]); variantGID != "" {
			id, ok := parseGID(variantGID, "ProductVariant")
			v := f.variantByID(id)
			if !ok || v == nil {
				fail("INVALID", fmt.Sprintf("Product variant with id %s does not exist", strings.TrimPrefix(variantGID, "gid://shopify/ProductVariant/")), "lineItems", index, "variantId")
				continue
			}
			line.variantID, line.sku = v.id, v.sku
			line.title = defaultString(line.title, v.productTitle)
			if !hasPrice {
				line.unitPrice = v.price
			}
			wanted[v.id] += line.quantity
		} else {
			if line.title == "" {
				fail("INVALID", "Title can't be blank for a line item without a variant", "lineItems", index, "title")
			}
			if !hasPrice {
				fail("INVALID", "Price set is required for a line item without a variant", "lineItems", index, "priceSet")
			}
		}
		order.lines = append(order.lines, line)
	}
	for i, raw := range asList(in["shippingLines"]) {
		sl := asMap(raw)
		order.shippingLines = append(order.shippingLines, fakeShippingLine{id: f.newID(), title: str(sl["title"]), code: str(sl["code"]),
			source: str(sl["source"]), price: amountOf(sl["priceSet"], "shippingLines", strconv.Itoa(i), "priceSet")})
	}
	for i, raw := range asList(in["transactions"]) {
		t := asMap(raw)
		order.transactions = append(order.transactions, fakeTransaction{id: f.newID(), kind: defaultString(str(t["kind"]), "SALE"),
			status: defaultString(str(t["status"]), "SUCCESS"), gateway: defaultString(str(t["gateway"]), "manual"),
			amount: amountOf(t["amountSet"], "transactions", strconv.Itoa(i), "amountSet"), test: t["test"] == true})
	}
	for _, raw := range asList(in["tags"]) {
		for _, tag := range strings.Split(str(raw), ",") {
			tag = strings.TrimSpace(tag)
			if tag == "" {
				continue
			}
			if len([]rune(tag)) > 40 {
				fail("INVALID", fmt.Sprintf("Tags are too long (maximum is 40 characters): %s", tag), "tags")
			}
			order.tags = append(order.tags, tag)
		}
	}
	for i, raw := range asList(in["metafields"]) {
		m := asMap(raw)
		index := strconv.Itoa(i)
		mf := fakeMetafield{id: f.newID(), namespace: str(m["namespace"]), key: str(m["key"]), value: str(m["value"]), typ: str(m["type"])}
		switch {
		case mf.key == "":
			fail("INVALID", "Key can't be blank", "metafields", index, "key")
		case mf.value == "":
			fail("INVALID", "Value can't be blank", "metafields", index, "value")
		case mf.typ == "":
			fail("INVALID", "Type can't be blank", "metafields", index, "type")
		case len(mf.namespace) > 0 && len(mf.namespace) < 3:
			fail("INVALID", "Namespace is too short (minimum is 3 characters)", "metafields", index, "namespace")
		}
		mf.namespace = defaultString(mf.namespace, "custom")
		order.metafields = append(order.metafields, mf)
	}
	for _, raw := range asList(in["customAttributes"]) {
		order.attributes = append(order.attributes, asMap(raw))
	}
	order.shipping = addressFrom(in["shippingAddress"])
	order.billing = addressFrom(in["billingAddress"])
	fulfillment := asMap(in["fulfillment"])
	if len(fulfillment) > 0 {
		if id, _ := parseGID(str(fulfillment["locationId"]), "Location"); id != f.locationID {
			fail("INVALID", "Location does not exist", "fulfillment", "locationId")
		}
	}

	if behaviour == "DECREMENT_OBEYING_POLICY" {
		for i, line := range order.lines {
			v := f.variantByID(line.variantID)
			if v == nil || !v.tracked || v.policy != "DENY" || wanted[v.id] <= v.stock {
				continue
			}
			fail("INVENTORY_CLAIM_FAILED", fmt.Sprintf("Unable to claim inventory: %s (SKU %s) has %d available, %d requested", v.productTitle, v.sku, max(v.stock, 0), wanted[v.id]),
				"lineItems", strconv.Itoa(i))
			wanted[v.id] = -1 << 30 // one message per variant
		}
	}
	if len(userErrors) > 0 {
		return map[string]any{"__typename": "OrderCreatePayload", "order": nil, "userErrors": userErrors}
	}

	order.id = f.newID()
	order.name = "#" + strconv.Itoa(f.nextNumber)
	f.nextNumber++
	if behaviour != "BYPASS" {
		order.inventoryTaken = true
		for _, line := range order.lines {
			if v := f.variantByID(line.variantID); v != nil && v.tracked {
				v.stock -= line.quantity
				v.updatedAt = now
			}
		}
	}
	if str(in["fulfillmentStatus"]) == "FULFILLED" || len(fulfillment) > 0 {
		ful := &fakeFulfillment{id: f.newID(), status: "SUCCESS", createdAt: now, updatedAt: now}
		if number := str(fulfillment["trackingNumber"]); number != "" || str(fulfillment["trackingCompany"]) != "" {
			ful.tracking = []fakeTracking{newTracking(str(fulfillment["trackingCompany"]), number)}
		}
		order.fulfillments = append(order.fulfillments, ful)
	}
	f.orders = append(f.orders, order)
	return map[string]any{"__typename": "OrderCreatePayload", "order": f.renderOrder(order), "userErrors": []any{}}
}

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func addressFrom(value any) map[string]string {
	m := asMap(value)
	if m == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range m {
		out[k] = str(v)
	}
	return out
}

func asMap(value any) map[string]any {
	m, _ := value.(map[string]any)
	return m
}

func asList(value any) []any {
	switch v := value.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{value}
}

func str(value any) string {
	s, _ := value.(string)
	return s
}

func toInt(value any) int {
	n, err := strconv.Atoi(fmt.Sprint(value))
	if err != nil {
		return 0
	}
	return n
}
