package shopify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

type fakeOrder struct {
	id               int64
	name             string
	email, phone     string
	note             string
	currency         string
	sourceName       string
	sourceIdentifier string
	tags             []string
	metafields       []fakeMetafield
	attributes       []map[string]any
	lines            []fakeLine
	shippingLines    []fakeShippingLine
	shipping         map[string]string
	billing          map[string]string
	transactions     []fakeTransaction
	financialStatus  string // as given to orderCreate; "" derives it from the transactions
	fulfillments     []*fakeFulfillment
	inventoryTaken   bool
	test             bool
	createdAt        time.Time
	updatedAt        time.Time
	processedAt      time.Time
	cancelledAt      *time.Time
	cancelReason     string
}

type fakeMetafield struct {
	id                         int64
	namespace, key, value, typ string
}

type fakeLine struct {
	id               int64
	variantID        int64
	sku, title       string
	quantity         int
	unitPrice        int64
	requiresShipping bool
}

type fakeShippingLine struct {
	id                  int64
	title, code, source string
	price               int64
}

type fakeTransaction struct {
	id                    int64
	kind, status, gateway string
	amount                int64
	test                  bool
}

type fakeFulfillment struct {
	id        int64
	status    string // SUCCESS, CANCELLED
	createdAt time.Time
	updatedAt time.Time
	tracking  []fakeTracking
}

type fakeTracking struct {
	company, number, url string
}

// trackingURLs are carriers Shopify knows and builds tracking links for; for any other
// company the url stays empty unless the merchant gives one.
var trackingURLs = map[string]string{
	"UPS":         "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=%s",
	"USPS":        "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s",
	"FedEx":       "https://www.fedex.com/fedextrack/?trknbr=%s",
	"DHL Express": "https://www.dhl.com/en/express/tracking.html?AWB=%s",
	"DHL Parcel":  "https://www.dhlparcel.nl/en/consumer/track-and-trace?tt=%s",
	"Colissimo":   "https://www.laposte.fr/outils/suivre-vos-envois?code=%s",
	"PostNL":      "https://jouw.postnl.nl/track-and-trace/%s",
	"DPD":         "https://tracking.dpd.de/parcelstatus?query=%s",
	"GLS":         "https://gls-group.eu/EU/en/parcel-tracking?match=%s",
	"Royal Mail":  "https://www.royalmail.com/track-your-item#/tracking-results/%s",
}

func newTracking(company, number string) fakeTracking {
	t := fakeTracking{company: company, number: number}
	if pattern, ok := trackingURLs[company]; ok && number != "" {
		t.url = fmt.Sprintf(pattern, number)
	}
	return t
}

func (o *fakeOrder) gid() string { return gid("Order", o.id) }

func (o *fakeOrder) metafield(namespace, key string) string {
	for _, m := range o.metafields {
		if m.namespace == namespace && m.key == key {
			return m.value
		}
	}
	return ""
}

func (o *fakeOrder) subtotal() int64 {
	var total int64
	for _, line := range o.lines {
		total += line.unitPrice * int64(line.quantity)
	}
	return total
}

func (o *fakeOrder) shippingTotal() int64 {
	var total int64
	for _, line := range o.shippingLines {
		total += line.price
	}
	return total
}

func (o *fakeOrder) total() int64 { return o.subtotal() + o.shippingTotal() }

func (o *fakeOrder) displayFulfillmentStatus() string {
	fulfilled := false
	for _, ful := range o.fulfillments {
		if ful.status == "SUCCESS" {
			fulfilled = true
		}
	}
	switch {
	case fulfilled:
		return "FULFILLED" // the fake always fulfils every line at once
	case o.cancelledAt != nil && o.inventoryTaken:
		return "RESTOCKED"
	}
	return "UNFULFILLED"
}

func (o *fakeOrder) displayFinancialStatus() string {
	if o.financialStatus != "" {
		return o.financialStatus
	}
	var paid int64
	for _, t := range o.transactions {
		if (t.kind == "SALE" || t.kind == "CAPTURE") && t.status == "SUCCESS" {
			paid += t.amount
		}
	}
	switch {
	case paid >= o.total() && paid > 0:
		return "PAID"
	case paid > 0:
		return "PARTIALLY_PAID"
	}
	return "PENDING"
}

// resolveRoot runs one root field; used is its actual cost.
func (f *Fake) resolveRoot(field *gqlField, args map[string]any) (value any, err *gqlError, used int) {
	switch field.Name {
	case "shop":
		return map[string]any{"__typename": "Shop", "id": gid("Shop", 1), "name": "orderhub test shop",
			"myshopifyDomain": "orderhub-test.myshopify.com", "currencyCode": f.currency,
			"email": "owner@example.com", "ianaTimezone": "Europe/Paris"}, nil, 1
	case "productVariants":
		return f.productVariants(field, args)
	case "orders":
		return f.listOrders(field, args)
	case "orderCreate":
		return f.orderCreate(args), nil, 10
	case "orderCancel":
		return f.orderCancel(args), nil, 10
	}
	return nil, &gqlError{Message: "Field '" + field.Name + "' doesn't exist on type 'QueryRoot'"}, 0
}

func invalidCursor(args map[string]any) *gqlError {
	for _, name := range []string{"after", "before"} {
		if cursor := stringArg(args, name); cursor != "" {
			if _, ok := decodeCursor(cursor); !ok {
				return &gqlError{Message: "Invalid cursor for current pagination sort.", Extensions: map[string]any{"code": "BAD_REQUEST"}}
			}
		}
	}
	return nil
}

func (f *Fake) productVariants(field *gqlField, args map[string]any) (any, *gqlError, int) {
	if err := invalidCursor(args); err != nil {
		return nil, err, 1
	}
	query := stringArg(args, "query")
	search := parseSearch(query)
	var items []pageItem
	for _, v := range f.variants {
		if !search.matches(func(t searchTerm) (bool, bool) { return f.variantTerm(v, t) },
			func(name string) { f.recordSearchWarning("productVariants", query, name) }) {
			continue
		}
		key := fmt.Sprintf("%020d", v.id)
		switch stringArg(args, "sortKey") {
		case "SKU":
			key = v.sku + "|" + key
		case "INVENTORY_QUANTITY":
			key = fmt.Sprintf("%020d|%s", v.stock+1<<40, key)
		}
		items = append(items, pageItem{key: key, node: f.renderVariant(v)})
	}
	conn := paginate(items, args)
	return conn, nil, 2 + len(conn.items)*(1+selectionCostOfNodes("ProductVariantConnection", field))
}

func selectionCostOfNodes(connection string, field *gqlField) int {
	for _, sub := range field.Selections {
		if sub.Name == "nodes" {
			return selectionCost(namedType(fakeOutputTypes[connection]["nodes"]), sub.Selections, nil)
		}
	}
	return 1
}

func (f *Fake) variantTerm(v *fakeVariant, t searchTerm) (match, known bool) {
	value := strings.ToLower(t.value)
	switch t.field {
	case "sku":
		// Shopify's sku search matches the start of the SKU, not the whole of it.
		return strings.HasPrefix(strings.ToLower(v.sku), value), true
	case "barcode":
		return strings.EqualFold(v.barcode, t.value), true
	case "id":
		return compareID(v.id, t.op, t.value), true
	case "product_id":
		return compareInts(v.productID, t.op, atoi64(t.value)), true
	case "updated_at":
		return compareTime(v.updatedAt, t.op, t.value), true
	case "created_at":
		return compareTime(v.createdAt, t.op, t.value), true
	case "title":
		return strings.Contains(strings.ToLower(v.productTitle+" "+v.title), value), true
	case "product_status":
		return strings.EqualFold(v.status, t.value), true
	case "inventory_quantity":
		return compareInts(int64(v.stock), t.op, atoi64(t.value)), true
	case "":
		return strings.Contains(strings.ToLower(v.sku+" "+v.productTitle+" "+v.barcode), value), true
	}
	return false, false
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func (f *Fake) renderVariant(v *fakeVariant) map[string]any {
	var barcode, sku any
	if v.barcode != "" {
		barcode = v.barcode
	}
	if v.sku != "" {
		sku = v.sku
	}
	displayName := v.productTitle + " - " + v.title
	return map[string]any{
		"__typename": "ProductVariant", "id": gid("ProductVariant", v.id), "sku": sku, "barcode": barcode,
		"title": v.title, "displayName": displayName, "price": models.FormatDecimal(v.price, 2), "compareAtPrice": nil,
		"inventoryQuantity": v.stock, "inventoryPolicy": v.policy,
		"availableForSale": v.status == "ACTIVE" && (!v.tracked || v.policy == "CONTINUE" || v.stock > 0),
		"createdAt":        timeText(v.createdAt), "updatedAt": timeText(v.updatedAt), "position": 1, "taxable": true,
		"inventoryItem": map[string]any{"__typename": "InventoryItem", "id": gid("InventoryItem", v.id+1000), "tracked": v.tracked,
			"sku": sku, "requiresShipping": true},
		"product": map[string]any{"__typename": "Product", "id": gid("Product", v.productID), "title": v.productTitle,
			"handle": strings.ToLower(strings.ReplaceAll(v.productTitle, " ", "-")), "status": v.status, "vendor": "orderhub test shop",
			"createdAt": timeText(v.createdAt), "updatedAt": timeText(v.updatedAt), "totalInventory": v.stock, "tracksInventory": v.tracked},
	}
}

func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (f *Fake) listOrders(field *gqlField, args map[string]any) (any, *gqlError, int) {
	if err := invalidCursor(args); err != nil {
		return nil, err, 1
	}
	query := stringArg(args, "query")
	search := parseSearch(query)
	var items []pageItem
	// Without read_all_orders, only the last 60 days of orders are visible.
	visibleFrom := time.Time{}
	if !contains(f.scopes, "read_all_orders") {
		visibleFrom = f.now().Add(-60 * 24 * time.Hour)
	}
	for _, o := range f.orders {
		if o.createdAt.Before(visibleFrom) {
			continue
		}
		if !search.matches(func(t searchTerm) (bool, bool) { return orderTerm(o, t) },
			func(name string) { f.recordSearchWarning("orders", query, name) }) {
			continue
		}
		key := fmt.Sprintf("%020d", o.id)
		switch stringArg(args, "sortKey") {
		case "UPDATED_AT":
			key = fmt.Sprintf("%020d|%s", o.updatedAt.Unix(), key)
		case "CREATED_AT", "PROCESSED_AT":
			key = fmt.Sprintf("%020d|%s", o.createdAt.Unix(), key)
		}
		items = append(items, pageItem{key: key, node: f.renderOrder(o)})
	}
	conn := paginate(items, args)
	return conn, nil, 2 + len(conn.items)*(1+selectionCostOfNodes("OrderConnection", field))
}

func orderTerm(o *fakeOrder, t searchTerm) (match, known bool) {
	value := strings.ToLower(t.value)
	switch t.field {
	case "tag":
		for _, tag := range o.tags {
			if strings.EqualFold(tag, t.value) {
				return true, true
			}
		}
		return false, true
	case "tag_not":
		for _, tag := range o.tags {
			if strings.EqualFold(tag, t.value) {
				return false, true
			}
		}
		return true, true
	case "source_identifier":
		return o.sourceIdentifier == t.value, true
	case "source_name":
		return strings.EqualFold(o.sourceName, t.value), true
	case "id":
		return compareID(o.id, t.op, t.value), true
	case "name":
		return strings.EqualFold(strings.TrimPrefix(o.name, "#"), strings.TrimPrefix(t.value, "#")), true
	case "email":
		return strings.EqualFold(o.email, t.value), true
	case "updated_at":
		return compareTime(o.updatedAt, t.op, t.value), true
	case "created_at":
		return compareTime(o.createdAt, t.op, t.value), true
	case "status":
		switch value {
		case "cancelled":
			return o.cancelledAt != nil, true
		case "open":
			return o.cancelledAt == nil, true
		case "any":
			return true, true
		}
		return false, true
	case "fulfillment_status":
		status := strings.ToLower(o.displayFulfillmentStatus())
		return status == value || (value == "shipped" && status == "fulfilled") || (value == "unshipped" && status == "unfulfilled"), true
	case "":
		return strings.Contains(strings.ToLower(o.name+" "+o.email+" "+strings.Join(o.tags, " ")), value), true
	}
	return false, false
}

func money(amount int64, currency string) map[string]any {
	m := map[string]any{"__typename": "MoneyV2", "amount": models.FormatDecimal(amount, models.CurrencyExponent(currency)), "currencyCode": currency}
	return map[string]any{"__typename": "MoneyBag", "shopMoney": m, "presentmentMoney": m}
}

func renderAddress(a map[string]string) any {
	if a == nil {
		return nil
	}
	out := map[string]any{"__typename": "MailingAddress"}
	for _, key := range []string{"firstName", "lastName", "company", "address1", "address2", "city", "zip", "provinceCode", "phone"} {
		if a[key] != "" {
			out[key] = a[key]
		} else {
			out[key] = nil
		}
	}
	out["name"] = strings.TrimSpace(a["firstName"] + " " + a["lastName"])
	out["countryCodeV2"] = nilIfEmpty(a["countryCode"])
	out["country"] = nilIfEmpty(a["countryCode"])
	return out
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (f *Fake) renderOrder(o *fakeOrder) map[string]any {
	var cancelledAt, cancelReason any
	if o.cancelledAt != nil {
		cancelledAt, cancelReason = timeText(*o.cancelledAt), o.cancelReason
	}
	lines := make([]pageItem, len(o.lines))
	for i, line := range o.lines {
		var variant any
		if v := f.variantByID(line.variantID); v != nil {
			variant = f.renderVariant(v)
		}
		lines[i] = pageItem{key: fmt.Sprintf("%020d", line.id), node: map[string]any{"__typename": "LineItem",
			"id": gid("LineItem", line.id), "sku": nilIfEmpty(line.sku), "title": line.title, "quantity": line.quantity,
			"variant": variant, "originalUnitPriceSet": money(line.unitPrice, o.currency), "requiresShipping": line.requiresShipping}}
	}
	shippingLines := make([]pageItem, len(o.shippingLines))
	for i, line := range o.shippingLines {
		shippingLines[i] = pageItem{key: fmt.Sprintf("%020d", line.id), node: map[string]any{"__typename": "ShippingLine",
			"id": gid("ShippingLine", line.id), "title": line.title, "code": nilIfEmpty(line.code), "source": nilIfEmpty(line.source),
			"originalPriceSet": money(line.price, o.currency)}}
	}
	metafields := make([]fakeMetafield, len(o.metafields))
	copy(metafields, o.metafields)
	fulfillments := make([]any, len(o.fulfillments))
	for i, ful := range o.fulfillments {
		tracking := make([]any, len(ful.tracking))
		for j, t := range ful.tracking {
			tracking[j] = map[string]any{"__typename": "FulfillmentTrackingInfo", "company": nilIfEmpty(t.company),
				"number": nilIfEmpty(t.number), "url": nilIfEmpty(t.url)}
		}
		displayStatus := "FULFILLED"
		if ful.status == "CANCELLED" {
			displayStatus = "CANCELED"
		}
		fulfillments[i] = map[string]any{"__typename": "Fulfillment", "id": gid("Fulfillment", ful.id),
			"name": fmt.Sprintf("%s-F%d", o.name, i+1), "status": ful.status, "displayStatus": displayStatus,
			"createdAt": timeText(ful.createdAt), "updatedAt": timeText(ful.updatedAt), "trackingInfo": sized(tracking)}
	}
	transactions := make([]any, len(o.transactions))
	for i, t := range o.transactions {
		transactions[i] = map[string]any{"__typename": "OrderTransaction", "id": gid("OrderTransaction", t.id),
			"kind": t.kind, "status": t.status, "gateway": t.gateway, "amountSet": money(t.amount, o.currency), "test": t.test}
	}
	attributes := make([]any, len(o.attributes))
	for i, a := range o.attributes {
		attributes[i] = map[string]any{"__typename": "Attribute", "key": a["key"], "value": a["value"]}
	}
	tags := make([]any, len(o.tags))
	for i, tag := range o.tags {
		tags[i] = tag
	}
	return map[string]any{
		"__typename": "Order", "id": o.gid(), "name": o.name, "email": nilIfEmpty(o.email), "phone": nilIfEmpty(o.phone),
		"note": nilIfEmpty(o.note), "tags": tags, "sourceName": nilIfEmpty(o.sourceName), "sourceIdentifier": nilIfEmpty(o.sourceIdentifier),
		"createdAt": timeText(o.createdAt), "updatedAt": timeText(o.updatedAt), "processedAt": timeText(o.processedAt),
		"cancelledAt": cancelledAt, "cancelReason": cancelReason, "closed": false, "closedAt": nil, "test": o.test,
		"displayFulfillmentStatus": o.displayFulfillmentStatus(), "displayFinancialStatus": o.displayFinancialStatus(),
		"currencyCode": o.currency, "totalPriceSet": money(o.total(), o.currency), "subtotalPriceSet": money(o.subtotal(), o.currency),
		"totalShippingPriceSet": money(o.shippingTotal(), o.currency),
		"shippingAddress":       renderAddress(o.shipping), "billingAddress": renderAddress(o.billing),
		"lineItems":     fieldFunc(func(args map[string]any) any { return paginate(append([]pageItem(nil), lines...), args) }),
		"shippingLines": fieldFunc(func(args map[string]any) any { return paginate(append([]pageItem(nil), shippingLines...), args) }),
		"metafields": fieldFunc(func(args map[string]any) any {
			namespace := stringArg(args, "namespace")
			var items []pageItem
			for _, m := range metafields {
				if namespace == "" || m.namespace == namespace {
					items = append(items, pageItem{key: fmt.Sprintf("%020d", m.id), node: renderMetafield(m)})
				}
			}
			return paginate(items, args)
		}),
		"metafield": fieldFunc(func(args map[string]any) any {
			namespace, key := stringArg(args, "namespace"), stringArg(args, "key")
			if ns, k, ok := strings.Cut(key, "."); ok && namespace == "" {
				namespace, key = ns, k
			}
			for _, m := range metafields {
				if m.namespace == namespace && m.key == key {
					return renderMetafield(m)
				}
			}
			return nil
		}),
		"fulfillments":     sized(fulfillments),
		"customAttributes": attributes,
		"transactions":     sized(transactions),
	}
}

func renderMetafield(m fakeMetafield) map[string]any {
	return map[string]any{"__typename": "Metafield", "id": gid("Metafield", m.id), "namespace": m.namespace,
		"key": m.key, "value": m.value, "type": m.typ}
}

// cancel cancels an order, putting back the stock it took when restock is asked. Callers hold
// f.mu.
func (f *Fake) cancel(o *fakeOrder, reason string, restock bool) {
	now := f.now()
	o.cancelledAt, o.cancelReason, o.updatedAt = &now, reason, now
	if restock && o.inventoryTaken && o.displayFulfillmentStatus() != "FULFILLED" {
		for _, line := range o.lines {
			if v := f.variantByID(line.variantID); v != nil && v.tracked {
				v.stock += line.quantity
				v.updatedAt = now
			}
		}
	} else {
		o.inventoryTaken = false
	}
}

func (f *Fake) orderCancel(args map[string]any) map[string]any {
	payload := map[string]any{"__typename": "OrderCancelPayload", "job": nil, "orderCancelUserErrors": []any{}, "userErrors": []any{}}
	fail := func(code, message string) map[string]any {
		userError := map[string]any{"__typename": "OrderCancelUserError", "code": code, "field": []any{"orderId"}, "message": message}
		payload["orderCancelUserErrors"] = []any{userError}
		payload["userErrors"] = []any{map[string]any{"__typename": "UserError", "field": []any{"orderId"}, "message": message}}
		return payload
	}
	id, ok := parseGID(stringArg(args, "orderId"), "Order")
	var order *fakeOrder
	if ok {
		order = f.orderByID(strconv.FormatInt(id, 10))
	}
	if order == nil {
		return fail("NOT_FOUND", "Order does not exist")
	}
	if order.cancelledAt != nil {
		return fail("INVALID", "Cannot cancel an order that has already been cancelled")
	}
	// orderCancel starts a job; the fake runs it at once but answers as Shopify does.
	f.cancel(order, stringArg(args, "reason"), boolArg(args, "restock"))
	payload["job"] = map[string]any{"__typename": "Job", "id": fmt.Sprintf("gid://shopify/Job/%08x-0000-4000-8000-%012x", f.newID()%(1<<32), order.id), "done": false}
	return payload
}
