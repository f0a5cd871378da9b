package vendure

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

var queryResolvers = map[string]resolver{
	"productVariants":                      (*Fake).resolveProductVariants,
	"productVariant":                       (*Fake).resolveProductVariant,
	"order":                                (*Fake).resolveOrder,
	"orders":                               (*Fake).resolveOrders,
	"eligibleShippingMethodsForDraftOrder": (*Fake).resolveEligibleShippingMethods,
	"globalSettings": func(f *Fake, _ map[string]any, _ *fakeResponse) (any, *fieldError) {
		return object{"__typename": "GlobalSettings", "id": "1", "trackInventory": f.trackInventory, "outOfStockThreshold": 0}, nil
	},
	"me": func(f *Fake, _ map[string]any, _ *fakeResponse) (any, *fieldError) {
		return object{"__typename": "CurrentUser", "id": "1", "identifier": f.username}, nil
	},
}

var mutationResolvers = map[string]resolver{
	"login":                        (*Fake).resolveLogin,
	"createDraftOrder":             (*Fake).resolveCreateDraftOrder,
	"deleteDraftOrder":             (*Fake).resolveDeleteDraftOrder,
	"addItemToDraftOrder":          (*Fake).resolveAddItem,
	"setCustomerForDraftOrder":     (*Fake).resolveSetCustomer,
	"setDraftOrderShippingAddress": func(f *Fake, a map[string]any, _ *fakeResponse) (any, *fieldError) { return f.setAddress(a, true) },
	"setDraftOrderBillingAddress":  func(f *Fake, a map[string]any, _ *fakeResponse) (any, *fieldError) { return f.setAddress(a, false) },
	"setDraftOrderCustomFields": func(f *Fake, a map[string]any, _ *fakeResponse) (any, *fieldError) {
		return f.setCustomFields(str(a["orderId"]), a["input"].(map[string]any))
	},
	"setOrderCustomFields": func(f *Fake, a map[string]any, _ *fakeResponse) (any, *fieldError) {
		input := a["input"].(map[string]any)
		return f.setCustomFields(str(input["id"]), input)
	},
	"setDraftOrderShippingMethod":  (*Fake).resolveSetShippingMethod,
	"transitionOrderToState":       (*Fake).resolveTransitionOrder,
	"addManualPaymentToOrder":      (*Fake).resolveAddManualPayment,
	"addNoteToOrder":               (*Fake).resolveAddNote,
	"cancelOrder":                  (*Fake).resolveCancelOrder,
	"addFulfillmentToOrder":        (*Fake).resolveAddFulfillment,
	"transitionFulfillmentToState": (*Fake).resolveTransitionFulfillment,
}

func str(value any) string { s, _ := value.(string); return s }

func notFound(entity, id string) *fieldError {
	return &fieldError{"ENTITY_NOT_FOUND", fmt.Sprintf("No %s with the id \"%s\" could be found", entity, id)}
}

func errorResultObject(typename, code, message string, extra map[string]any) object {
	result := object{"__typename": typename, "errorCode": code, "message": message}
	for k, v := range extra {
		result[k] = v
	}
	return result
}

func stamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// ---- login ----

func (f *Fake) resolveLogin(args map[string]any, res *fakeResponse) (any, *fieldError) {
	if str(args["username"]) != f.username || str(args["password"]) != f.password {
		return errorResultObject("InvalidCredentialsError", "INVALID_CREDENTIALS_ERROR", "The provided credentials are invalid", map[string]any{"authenticationError": ""}), nil
	}
	token := newToken()
	f.sessions[token] = true
	res.w.Header().Set("vendure-auth-token", token)
	return object{"__typename": "CurrentUser", "id": "1", "identifier": f.username}, nil
}

// ---- catalogue ----

func (f *Fake) variantObject(v *fakeVariant) object {
	saleable := v.stockOnHand - v.stockAllocated
	level := "IN_STOCK"
	if v.tracked(f.trackInventory) && saleable <= 0 {
		level = "OUT_OF_STOCK"
	}
	return object{
		"__typename": "ProductVariant", "id": strconv.FormatInt(v.id, 10), "createdAt": stamp(v.createdAt), "updatedAt": stamp(v.updatedAt),
		"enabled": v.enabled, "sku": v.sku, "name": v.name, "price": v.price, "priceWithTax": v.price, "currencyCode": f.currency,
		"stockOnHand": v.stockOnHand, "stockAllocated": v.stockAllocated, "stockLevel": level, "trackInventory": v.trackInventory,
		"outOfStockThreshold": 0, "useGlobalOutOfStockThreshold": true, "productId": strconv.FormatInt(v.productID, 10),
		"product": object{"__typename": "Product", "id": strconv.FormatInt(v.productID, 10), "createdAt": stamp(v.createdAt),
			"updatedAt": stamp(v.updatedAt), "enabled": v.productOn, "name": v.name, "slug": strings.ToLower(v.sku)},
	}
}

func (f *Fake) resolveProductVariants(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	items := make([]object, 0, len(f.variants))
	for _, v := range f.variants {
		items = append(items, f.variantObject(v))
	}
	page, total, err := listQuery(items, args["options"])
	if err != nil {
		return nil, err
	}
	return object{"__typename": "ProductVariantList", "items": page, "totalItems": total}, nil
}

func (f *Fake) resolveProductVariant(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	for _, v := range f.variants {
		if strconv.FormatInt(v.id, 10) == str(args["id"]) {
			return f.variantObject(v), nil
		}
	}
	return nil, nil
}

// ---- orders: reading ----

func (f *Fake) orderObject(o *fakeOrder) object {
	lines := []object{}
	totalQuantity := 0
	for _, line := range o.lines {
		totalQuantity += line.quantity
		net := f.withoutTax(line.unitPriceWithTax)
		lines = append(lines, object{"__typename": "OrderLine", "id": strconv.FormatInt(line.id, 10), "createdAt": stamp(line.createdAt),
			"updatedAt": stamp(line.updatedAt), "quantity": line.quantity, "unitPrice": net, "unitPriceWithTax": line.unitPriceWithTax,
			"linePrice": net * int64(line.quantity), "linePriceWithTax": line.unitPriceWithTax * int64(line.quantity),
			"productVariant": f.variantObject(line.variant)})
	}
	customFields := object{"__typename": "OrderCustomFields", "externalChannel": nil, "externalOrderId": nil}
	for k, v := range o.customFields {
		if v != nil {
			customFields[k] = *v
		}
	}
	address := func(a map[string]any) any {
		if a == nil {
			return nil
		}
		out := object{"__typename": "OrderAddress"}
		for _, k := range []string{"fullName", "company", "streetLine1", "streetLine2", "city", "province", "postalCode", "countryCode", "phoneNumber"} {
			out[k] = a[k]
			if out[k] == nil {
				out[k] = ""
			}
		}
		out["country"] = f.countries[str(a["countryCode"])]
		return out
	}
	var customer any
	if o.customer != nil {
		customer = object{"__typename": "Customer", "id": strconv.FormatInt(o.customer.id, 10), "firstName": o.customer.firstName,
			"lastName": o.customer.lastName, "emailAddress": o.customer.email, "phoneNumber": o.customer.phoneNumber}
	}
	payments := []object{}
	for _, p := range o.payments {
		payments = append(payments, object{"__typename": "Payment", "id": strconv.FormatInt(p.id, 10), "createdAt": stamp(p.createdAt),
			"method": p.method, "amount": p.amount, "state": p.state, "transactionId": p.transactionID, "metadata": p.metadata})
	}
	fulfillments := []object{}
	for _, fl := range o.fulfillments {
		fulfillments = append(fulfillments, fulfillmentObject(fl))
	}
	subTotal := o.subTotalWithTax()
	return object{
		"__typename": "Order", "id": strconv.FormatInt(o.id, 10), "createdAt": stamp(o.createdAt), "updatedAt": stamp(o.updatedAt),
		"orderPlacedAt": stamp(o.placedAt), "code": o.code, "state": o.state, "active": o.state == "ArrangingPayment", "type": "Regular",
		"currencyCode": f.currency, "totalQuantity": totalQuantity, "subTotal": f.withoutTax(subTotal), "subTotalWithTax": subTotal,
		"shipping": o.shippingWithTax(), "shippingWithTax": o.shippingWithTax(), "total": f.withoutTax(subTotal) + o.shippingWithTax(),
		"totalWithTax": o.totalWithTax(), "customFields": customFields, "lines": lines, "shippingAddress": address(o.shippingAddress),
		"billingAddress": address(o.billingAddress), "customer": customer, "payments": payments, "fulfillments": fulfillments,
		"nextStates": nextOrderStates[o.state],
	}
}

var nextOrderStates = map[string][]string{
	"Draft": {"ArrangingPayment"}, "ArrangingPayment": {"PaymentSettled", "Cancelled"}, "PaymentSettled": {"PartiallyShipped", "Shipped", "Cancelled"},
	"PartiallyShipped": {"Shipped", "Cancelled"}, "Shipped": {"PartiallyDelivered", "Delivered", "Cancelled"}, "Delivered": {"Cancelled"}, "Cancelled": {},
}

func fulfillmentObject(fl *fakeFulfillment) object {
	next := map[string][]string{"Pending": {"Shipped", "Delivered", "Cancelled"}, "Shipped": {"Delivered", "Cancelled"}, "Delivered": {}, "Cancelled": {}}[fl.state]
	return object{"__typename": "Fulfillment", "id": strconv.FormatInt(fl.id, 10), "createdAt": stamp(fl.createdAt), "updatedAt": stamp(fl.updatedAt),
		"state": fl.state, "method": fl.method, "trackingCode": fl.trackingCode, "nextStates": next}
}

func (f *Fake) resolveOrder(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	if o := f.orderByID(str(args["id"])); o != nil {
		return f.orderObject(o), nil
	}
	return nil, nil
}

func (f *Fake) resolveOrders(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	items := make([]object, 0, len(f.orderIDs))
	for _, id := range f.orderIDs {
		items = append(items, f.orderObject(f.orders[id]))
	}
	page, total, err := listQuery(items, args["options"])
	if err != nil {
		return nil, err
	}
	return object{"__typename": "OrderList", "items": page, "totalItems": total}, nil
}

// listQuery applies Vendure's list options: filter (operators per field, custom fields
// included), sort, skip and take (at most 1000).
func listQuery(items []object, rawOptions any) ([]object, int, *fieldError) {
	options, _ := rawOptions.(map[string]any)
	filter, _ := options["filter"].(map[string]any)
	or := str(options["filterOperator"]) == "OR"
	var kept []object
	for _, item := range items {
		if matchesFilter(item, filter, or) {
			kept = append(kept, item)
		}
	}
	if sortBy, _ := options["sort"].(map[string]any); len(sortBy) > 0 {
		for field, direction := range sortBy {
			desc := direction == "DESC"
			sort.SliceStable(kept, func(i, j int) bool {
				less := compareValues(fieldValue(kept[i], field), fieldValue(kept[j], field)) < 0
				if desc {
					return compareValues(fieldValue(kept[i], field), fieldValue(kept[j], field)) > 0
				}
				return less
			})
		}
	}
	total := len(kept)
	skip, take := 0, 1000
	if n, ok := options["skip"].(int64); ok && n > 0 {
		skip = int(n)
	}
	if n, ok := options["take"].(int64); ok {
		if n > 1000 {
			return nil, 0, &fieldError{"USER_INPUT_ERROR", "Cannot take more than 1000 results from a list query"}
		}
		take = int(n)
	}
	if skip > len(kept) {
		skip = len(kept)
	}
	end := min(skip+take, len(kept))
	if take < 0 {
		end = len(kept)
	}
	page := kept[skip:end]
	if page == nil {
		page = []object{}
	}
	return page, total, nil
}

func fieldValue(item object, field string) any {
	if value, ok := item[field]; ok {
		return value
	}
	if custom, ok := item["customFields"].(object); ok {
		return custom[field]
	}
	return nil
}

func matchesFilter(item object, filter map[string]any, or bool) bool {
	if len(filter) == 0 {
		return true
	}
	for field, rawOps := range filter {
		var ok bool
		switch field {
		case "_and", "_or":
			subs, _ := rawOps.([]any)
			ok = field == "_and"
			for _, sub := range subs {
				m, _ := sub.(map[string]any)
				if field == "_and" {
					ok = ok && matchesFilter(item, m, false)
				} else {
					ok = ok || matchesFilter(item, m, false)
				}
			}
		default:
			ops, _ := rawOps.(map[string]any)
			ok = matchesOperators(fieldValue(item, field), ops)
		}
		if or && ok {
			return true
		}
		if !or && !ok {
			return false
		}
	}
	return !or
}

func matchesOperators(value any, ops map[string]any) bool {
	text := fmt.Sprint(value)
	for op, operand := range ops {
		var ok bool
		switch op {
		case "eq":
			ok = value != nil && compareValues(value, operand) == 0
		case "notEq":
			ok = value == nil || compareValues(value, operand) != 0
		case "contains":
			ok = value != nil && strings.Contains(strings.ToLower(text), strings.ToLower(str(operand)))
		case "notContains":
			ok = value == nil || !strings.Contains(strings.ToLower(text), strings.ToLower(str(operand)))
		case "in", "notIn":
			list, _ := operand.([]any)
			found := false
			for _, e := range list {
				found = found || (value != nil && compareValues(value, e) == 0)
			}
			ok = found == (op == "in")
		case "regex":
			re, err := regexp.Compile(str(operand))
			ok = err == nil && value != nil && re.MatchString(text)
		case "isNull":
			ok = (value == nil) == (operand == true)
		case "after":
			ok = value != nil && compareValues(value, operand) > 0
		case "before":
			ok = value != nil && compareValues(value, operand) < 0
		case "lt":
			ok = value != nil && compareValues(value, operand) < 0
		case "lte":
			ok = value != nil && compareValues(value, operand) <= 0
		case "gt":
			ok = value != nil && compareValues(value, operand) > 0
		case "gte":
			ok = value != nil && compareValues(value, operand) >= 0
		case "between":
			r, _ := operand.(map[string]any)
			ok = value != nil && compareValues(value, r["start"]) >= 0 && compareValues(value, r["end"]) <= 0
		default:
			ok = true
		}
		if !ok {
			return false
		}
	}
	return true
}

// compareValues compares numbers numerically, dates as instants, the rest as text.
func compareValues(a, b any) int {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	as, bs := fmt.Sprint(a), fmt.Sprint(b)
	if at, err := time.Parse(time.RFC3339Nano, as); err == nil {
		if bt, err := time.Parse(time.RFC3339Nano, bs); err == nil {
			return at.Compare(bt)
		}
	}
	if ab, ok := a.(bool); ok {
		if bb, ok := b.(bool); ok && ab == bb {
			return 0
		}
		return 1
	}
	return strings.Compare(as, bs)
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case string:
		n, err := strconv.ParseFloat(x, 64)
		return n, err == nil && x != "" && !strings.ContainsAny(x, "-:T") // ids compare as numbers, dates do not
	}
	return 0, false
}

// ---- draft orders ----

func (f *Fake) draft(id string) (*fakeOrder, *fieldError) {
	o := f.orderByID(id)
	if o == nil {
		return nil, notFound("Order", id)
	}
	if o.state != "Draft" {
		return nil, &fieldError{"ILLEGAL_OPERATION", "This action can only be performed on a Draft Order"}
	}
	return o, nil
}

func (f *Fake) resolveCreateDraftOrder(_ map[string]any, _ *fakeResponse) (any, *fieldError) {
	now := f.now()
	o := &fakeOrder{id: f.newID("order"), state: "Draft", createdAt: now, updatedAt: now, customFields: map[string]*string{}}
	o.code = strings.ToUpper(newToken()[:16])
	f.orders[o.id] = o
	f.orderIDs = append(f.orderIDs, o.id)
	return f.orderObject(o), nil
}

func (f *Fake) resolveDeleteDraftOrder(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	o := f.orderByID(str(args["orderId"]))
	if o == nil || o.state != "Draft" {
		return object{"__typename": "DeletionResponse", "result": "NOT_DELETED", "message": fmt.Sprintf("No draft Order with the ID %s was found", str(args["orderId"]))}, nil
	}
	delete(f.orders, o.id)
	for i, id := range f.orderIDs {
		if id == o.id {
			f.orderIDs = append(f.orderIDs[:i], f.orderIDs[i+1:]...)
			break
		}
	}
	return object{"__typename": "DeletionResponse", "result": "DELETED", "message": nil}, nil
}

func (f *Fake) resolveAddItem(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	o := f.orderByID(str(args["orderId"]))
	if o == nil {
		return nil, notFound("Order", str(args["orderId"]))
	}
	input := args["input"].(map[string]any)
	quantity := int(input["quantity"].(int64))
	if quantity < 0 {
		return errorResultObject("NegativeQuantityError", "NEGATIVE_QUANTITY_ERROR", "The quantity for an OrderItem cannot be negative", nil), nil
	}
	if o.state != "Draft" && o.state != "AddingItems" {
		return errorResultObject("OrderModificationError", "ORDER_MODIFICATION_ERROR", "Order contents may only be modified when in the \"AddingItems\" state", nil), nil
	}
	var variant *fakeVariant
	for _, v := range f.variants {
		if strconv.FormatInt(v.id, 10) == str(input["productVariantId"]) && v.enabled && v.productOn {
			variant = v // disabled variants and products are not found, as in OrderService.addItemsToOrder
		}
	}
	if variant == nil {
		return nil, notFound("ProductVariant", str(input["productVariantId"]))
	}
	var line *fakeLine
	for _, l := range o.lines {
		if l.variant == variant {
			line = l
		}
	}
	existing := 0
	if line != nil {
		existing = line.quantity
	}
	added := quantity
	if variant.tracked(f.trackInventory) {
		available := max(variant.stockOnHand-variant.stockAllocated-existing, 0)
		added = min(quantity, available)
	}
	now := f.now()
	if added > 0 {
		if line == nil {
			line = &fakeLine{id: f.newID("line"), variant: variant, unitPriceWithTax: variant.price, createdAt: now}
			o.lines = append(o.lines, line)
		}
		line.quantity += added
		line.updatedAt = now
		o.updatedAt = now
	}
	if added < quantity {
		return errorResultObject("InsufficientStockError", "INSUFFICIENT_STOCK_ERROR", insufficientStockMessage(added),
			map[string]any{"quantityAvailable": added, "order": f.orderObject(o)}), nil
	}
	return f.orderObject(o), nil
}

func (f *Fake) resolveSetCustomer(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	o, ferr := f.draft(str(args["orderId"]))
	if ferr != nil {
		return nil, ferr
	}
	input, _ := args["input"].(map[string]any)
	if customerID := str(args["customerId"]); customerID != "" {
		for _, c := range f.customers {
			if strconv.FormatInt(c.id, 10) == customerID {
				o.customer = c
				return f.orderObject(o), nil
			}
		}
		return nil, notFound("Customer", customerID)
	}
	if input == nil {
		return nil, &fieldError{"USER_INPUT_ERROR", "Either customerId or input must be provided"}
	}
	email := strings.ToLower(strings.TrimSpace(str(input["emailAddress"])))
	customer := f.customers[email]
	if customer == nil {
		customer = &fakeCustomer{id: f.newID("customer"), email: email}
		f.customers[email] = customer
	}
	customer.firstName, customer.lastName, customer.phoneNumber = str(input["firstName"]), str(input["lastName"]), str(input["phoneNumber"])
	o.customer, o.updatedAt = customer, f.now()
	return f.orderObject(o), nil
}

func (f *Fake) setAddress(args map[string]any, shipping bool) (any, *fieldError) {
	o, ferr := f.draft(str(args["orderId"]))
	if ferr != nil {
		return nil, ferr
	}
	input := args["input"].(map[string]any)
	code := str(input["countryCode"])
	if _, known := f.countries[code]; !known {
		return nil, &fieldError{"USER_INPUT_ERROR", fmt.Sprintf("The countryCode \"%s\" was not recognized", code)}
	}
	if shipping {
		o.shippingAddress = input
	} else {
		o.billingAddress = input
	}
	o.updatedAt = f.now()
	return f.orderObject(o), nil
}

func (f *Fake) setCustomFields(orderID string, input map[string]any) (any, *fieldError) {
	o := f.orderByID(orderID)
	if o == nil {
		return nil, notFound("Order", orderID)
	}
	fields, _ := input["customFields"].(map[string]any)
	for k, v := range fields {
		if v == nil {
			o.customFields[k] = nil
			continue
		}
		text := str(v)
		o.customFields[k] = &text
	}
	o.updatedAt = f.now()
	return f.orderObject(o), nil
}

func (f *Fake) resolveEligibleShippingMethods(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	if f.orderByID(str(args["orderId"])) == nil {
		return nil, notFound("Order", str(args["orderId"]))
	}
	quotes := []object{}
	for _, m := range f.shippingMethods {
		quotes = append(quotes, object{"__typename": "ShippingMethodQuote", "id": strconv.FormatInt(m.id, 10), "code": m.code,
			"name": m.name, "description": "", "price": m.price, "priceWithTax": m.price})
	}
	return quotes, nil
}

func (f *Fake) resolveSetShippingMethod(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	o, ferr := f.draft(str(args["orderId"]))
	if ferr != nil {
		return nil, ferr
	}
	for _, m := range f.shippingMethods {
		if strconv.FormatInt(m.id, 10) == str(args["shippingMethodId"]) {
			o.shippingMethod, o.updatedAt = m, f.now()
			return f.orderObject(o), nil
		}
	}
	return errorResultObject("IneligibleShippingMethodError", "INELIGIBLE_SHIPPING_METHOD_ERROR", "This Order is not eligible for the selected ShippingMethod", nil), nil
}

func transitionError(entity, from, to, reason string) object {
	typename, code := "OrderStateTransitionError", "ORDER_STATE_TRANSITION_ERROR"
	if entity == "Fulfillment" {
		typename, code = "FulfillmentStateTransitionError", "FULFILLMENT_STATE_TRANSITION_ERROR"
	}
	if reason == "" {
		reason = fmt.Sprintf("Cannot transition %s from \"%s\" to \"%s\"", entity, from, to)
	}
	return errorResultObject(typename, code, fmt.Sprintf("Cannot transition %s from \"%s\" to \"%s\"", entity, from, to),
		map[string]any{"transitionError": reason, "fromState": from, "toState": to})
}

func (f *Fake) resolveTransitionOrder(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	o := f.orderByID(str(args["id"]))
	if o == nil {
		return nil, notFound("Order", str(args["id"]))
	}
	to := str(args["state"])
	if o.state != "Draft" || to != "ArrangingPayment" {
		return transitionError("Order", o.state, to, ""), nil
	}
	switch {
	case len(o.lines) == 0:
		return transitionError("Order", o.state, to, "Cannot transition Order to the \"ArrangingPayment\" state when it is empty"), nil
	case o.customer == nil:
		return transitionError("Order", o.state, to, "Cannot transition Order to the \"ArrangingPayment\" state without Customer details"), nil
	case o.shippingMethod == nil:
		return transitionError("Order", o.state, to, "Cannot transition Order to the \"ArrangingPayment\" state without a ShippingMethod"), nil
	}
	var short []string
	for _, line := range o.lines {
		if line.variant.tracked(f.trackInventory) && line.quantity > line.variant.stockOnHand-line.variant.stockAllocated {
			short = append(short, line.variant.name)
		}
	}
	if len(short) > 0 {
		return transitionError("Order", o.state, to, "Cannot transition Order to the \"ArrangingPayment\" state due to insufficient stock of "+strings.Join(short, ", ")), nil
	}
	o.state, o.updatedAt = to, f.now()
	return f.orderObject(o), nil
}

func (f *Fake) resolveAddManualPayment(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	input := args["input"].(map[string]any)
	o := f.orderByID(str(input["orderId"]))
	if o == nil {
		return nil, notFound("Order", str(input["orderId"]))
	}
	if o.state != "ArrangingPayment" {
		return errorResultObject("ManualPaymentStateError", "MANUAL_PAYMENT_STATE_ERROR", "A manual payment may only be added when in the \"ArrangingPayment\" or \"ArrangingAdditionalPayment\" states", nil), nil
	}
	metadata, given := input["metadata"]
	if !given || metadata == nil {
		// Observed on sql.js: the payment row's metadata column is NOT NULL.
		return nil, &fieldError{"INTERNAL_SERVER_ERROR", "NOT NULL constraint failed: payment.metadata"}
	}
	now := f.now()
	o.payments = append(o.payments, &fakePayment{id: f.newID("payment"), method: str(input["method"]), state: "Settled",
		transactionID: str(input["transactionId"]), amount: o.totalWithTax(), metadata: metadata, createdAt: now})
	for _, line := range o.lines {
		if line.variant.tracked(f.trackInventory) {
			line.variant.stockAllocated += line.quantity
		}
	}
	o.state, o.placedAt, o.updatedAt = "PaymentSettled", now, now
	return f.orderObject(o), nil
}

func (f *Fake) resolveAddNote(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	input := args["input"].(map[string]any)
	o := f.orderByID(str(input["id"]))
	if o == nil {
		return nil, notFound("Order", str(input["id"]))
	}
	o.notes = append(o.notes, str(input["note"]))
	return f.orderObject(o), nil
}

// ---- cancelling and fulfilling ----

func (f *Fake) resolveCancelOrder(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	input := args["input"].(map[string]any)
	o := f.orderByID(str(input["orderId"]))
	if o == nil {
		return nil, notFound("Order", str(input["orderId"]))
	}
	if _, partial := input["lines"]; partial {
		return nil, &fieldError{"INTERNAL_SERVER_ERROR", "the fake cancels whole orders only"}
	}
	return f.cancel(o), nil
}

func (f *Fake) cancel(o *fakeOrder) object {
	// An active order (ArrangingPayment) is moved to Cancelled as it is; the others have
	// their lines cancelled first, which fails when nothing is left to cancel.
	if o.state != "ArrangingPayment" {
		left := 0
		for _, line := range o.lines {
			left += line.quantity
		}
		if left == 0 {
			return errorResultObject("EmptyOrderLineSelectionError", "EMPTY_ORDER_LINE_SELECTION_ERROR", "At least one OrderLine must be specified", nil)
		}
	}
	if o.state == "ArrangingPayment" {
		o.state, o.updatedAt = "Cancelled", f.now()
		return f.orderObject(o)
	}
	placed := o.state != "Draft"
	for _, line := range o.lines {
		if placed && line.variant.tracked(f.trackInventory) {
			shipped := 0
			for _, fl := range o.fulfillments {
				if fl.state == "Shipped" || fl.state == "Delivered" {
					shipped += fl.lines[line.id]
				}
			}
			line.variant.stockAllocated -= line.quantity - shipped
			line.variant.stockOnHand += shipped
		}
		line.quantity = 0
	}
	o.state, o.updatedAt = "Cancelled", f.now()
	return f.orderObject(o)
}

func (f *Fake) resolveAddFulfillment(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	input := args["input"].(map[string]any)
	lines := map[int64]int{}
	var order *fakeOrder
	rawLines, _ := input["lines"].([]any)
	for _, raw := range rawLines {
		l := raw.(map[string]any)
		lineID, _ := strconv.ParseInt(str(l["orderLineId"]), 10, 64)
		for _, id := range f.orderIDs {
			for _, line := range f.orders[id].lines {
				if line.id == lineID {
					if order != nil && order != f.orders[id] {
						return errorResultObject("MultipleOrderError", "MULTIPLE_ORDER_ERROR", "The given OrderLines belong to multiple Orders", nil), nil
					}
					order = f.orders[id]
				}
			}
		}
		if order == nil {
			return nil, notFound("OrderLine", str(l["orderLineId"]))
		}
		lines[lineID] += int(l["quantity"].(int64))
	}
	if order == nil {
		return errorResultObject("EmptyOrderLineSelectionError", "EMPTY_ORDER_LINE_SELECTION_ERROR", "At least one OrderLine must be specified", nil), nil
	}
	handler := input["handler"].(map[string]any)
	arguments := map[string]string{}
	for _, raw := range handler["arguments"].([]any) {
		a := raw.(map[string]any)
		arguments[str(a["name"])] = str(a["value"])
	}
	fl, errResult := f.addFulfillment(order, lines, str(handler["code"]), arguments["method"], arguments["trackingCode"])
	if errResult != nil {
		return errResult, nil
	}
	return fulfillmentObject(fl), nil
}

// addFulfillment creates a Pending fulfilment. Like Vendure, it leaves Order.updatedAt alone.
func (f *Fake) addFulfillment(o *fakeOrder, lines map[int64]int, handler, method, tracking string) (*fakeFulfillment, object) {
	if handler != "manual-fulfillment" {
		return nil, errorResultObject("InvalidFulfillmentHandlerError", "INVALID_FULFILLMENT_HANDLER_ERROR", "The FulfillmentHandler code is not valid", nil)
	}
	if o.state != "PaymentSettled" && o.state != "PartiallyShipped" {
		return nil, transitionError("Order", o.state, "Shipped", "")
	}
	total := 0
	for _, lineID := range sortedKeys(lines) {
		quantity := lines[lineID]
		total += quantity
		for _, line := range o.lines {
			if line.id == lineID && o.fulfilledQuantity(lineID)+quantity > line.quantity {
				return nil, errorResultObject("ItemsAlreadyFulfilledError", "ITEMS_ALREADY_FULFILLED_ERROR", "One or more OrderItems are already part of a Fulfillment", nil)
			}
		}
	}
	if total == 0 {
		return nil, errorResultObject("EmptyOrderLineSelectionError", "EMPTY_ORDER_LINE_SELECTION_ERROR", "At least one OrderLine must be specified", nil)
	}
	now := f.now()
	fl := &fakeFulfillment{id: f.newID("fulfillment"), state: "Pending", method: method, trackingCode: tracking, lines: lines, createdAt: now, updatedAt: now}
	o.fulfillments = append(o.fulfillments, fl)
	return fl, nil
}

func (f *Fake) resolveTransitionFulfillment(args map[string]any, _ *fakeResponse) (any, *fieldError) {
	for _, id := range f.orderIDs {
		for _, fl := range f.orders[id].fulfillments {
			if strconv.FormatInt(fl.id, 10) == str(args["id"]) {
				if errResult := f.transitionFulfillment(fl, str(args["state"])); errResult != nil {
					return errResult, nil
				}
				return fulfillmentObject(fl), nil
			}
		}
	}
	return nil, notFound("Fulfillment", str(args["id"]))
}

// transitionFulfillment moves a fulfilment and derives the order's state from its
// fulfilments; stock leaves the shelves when shipped. Order.updatedAt does not move.
func (f *Fake) transitionFulfillment(fl *fakeFulfillment, to string) object {
	allowed := map[string][]string{"Pending": {"Shipped", "Delivered", "Cancelled"}, "Shipped": {"Delivered", "Cancelled"}}[fl.state]
	if !contains(allowed, to) {
		return transitionError("Fulfillment", fl.state, to, "")
	}
	var o *fakeOrder
	for _, id := range f.orderIDs {
		for _, candidate := range f.orders[id].fulfillments {
			if candidate == fl {
				o = f.orders[id]
			}
		}
	}
	if fl.state == "Pending" && (to == "Shipped" || to == "Delivered") {
		for _, line := range o.lines {
			if q := fl.lines[line.id]; q > 0 && line.variant.tracked(f.trackInventory) {
				line.variant.stockOnHand -= q
				line.variant.stockAllocated -= q
			}
		}
	}
	fl.state, fl.updatedAt = to, f.now()
	shipped, delivered, ordered := 0, 0, 0
	for _, line := range o.lines {
		ordered += line.quantity
		for _, other := range o.fulfillments {
			switch other.state {
			case "Shipped":
				shipped += other.lines[line.id]
			case "Delivered":
				shipped += other.lines[line.id]
				delivered += other.lines[line.id]
			}
		}
	}
	switch {
	case ordered > 0 && delivered >= ordered:
		o.state = "Delivered"
	case delivered > 0:
		o.state = "PartiallyDelivered"
	case ordered > 0 && shipped >= ordered:
		o.state = "Shipped"
	case shipped > 0:
		o.state = "PartiallyShipped"
	}
	return nil
}

// insufficientStockMessage is Vendure's English INSUFFICIENT_STOCK_ERROR text.
func insufficientStockMessage(available int) string {
	switch available {
	case 0:
		return "No items were added to the order due to insufficient stock"
	case 1:
		return "Only 1 item was added to the order due to insufficient stock"
	}
	return fmt.Sprintf("Only %d items were added to the order due to insufficient stock", available)
}
