package amazon

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FakeOrder describes an order to add to the fake; AddOrder turns it into the document the
// API returns.
type FakeOrder struct {
	ID            string // 3-7-7 digits; empty: one is made up
	SellerOrderID string
	MarketplaceID string // default A1PA6795UKMFR9
	FulfilledBy   string // MERCHANT (default) or AMAZON
	Status        string // fulfillmentStatus, default UNSHIPPED
	ServiceLevel  string // default Standard
	Created       time.Time
	Updated       time.Time // default Created
	Currency      string    // default EUR
	BuyerName     string
	BuyerEmail    string
	Recipient     FakeAddress
	Items         []FakeItem
}

// FakeAddress is a delivery address.
type FakeAddress struct {
	Name, AddressLine1, AddressLine2, City, PostalCode, CountryCode, Phone string
}

// FakeItem is one order item. Prices are decimal strings, as the API writes them.
type FakeItem struct {
	ID        string // default derived from the order id
	ASIN      string
	SKU       string
	Title     string
	Quantity  int
	UnitPrice string
	Shipping  string // this item's shipping charge, "" for none
}

// includedBlocks says which includedData value brings each optional block of an order and of
// its items.
var (
	orderBlocks = map[string]string{
		"buyer": "BUYER", "recipient": "RECIPIENT", "proceeds": "PROCEEDS", "payment": "PAYMENT",
		"tax": "TAX", "fulfillment": "FULFILLMENT", "packages": "PACKAGES", "fulfillmentOrders": "FULFILLMENT_ORDERS",
	}
	itemBlocks = map[string]string{
		"proceeds": "PROCEEDS", "expense": "EXPENSE", "promotion": "PROMOTION", "cancellation": "CANCELLATION",
		"fulfillment": "FULFILLMENT", "tax": "TAX",
	}
	includedDataValues  = []string{"BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"}
	fulfillmentStatuses = []string{"PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"}
)

// AddOrder stores an order built from o and returns its id.
func (f *Fake) AddOrder(o FakeOrder) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if o.ID == "" {
		o.ID = fmt.Sprintf("%03d-%07d-%07d", 100+len(f.ordered)%900, len(f.ordered)+1, 5000000+len(f.ordered))
	}
	if o.Created.IsZero() {
		o.Created = f.now().Add(-time.Minute)
	}
	if o.Updated.IsZero() {
		o.Updated = o.Created
	}
	o.MarketplaceID = cmp.Or(o.MarketplaceID, "A1PA6795UKMFR9")
	o.FulfilledBy = cmp.Or(o.FulfilledBy, "MERCHANT")
	o.Status = cmp.Or(o.Status, "UNSHIPPED")
	o.Currency = cmp.Or(o.Currency, "EUR")
	o.ServiceLevel = cmp.Or(o.ServiceLevel, "Standard")
	items := make([]any, 0, len(o.Items))
	var total float64
	for i, it := range o.Items {
		id := cmp.Or(it.ID, strings.ReplaceAll(o.ID, "-", "")[:11]+strconv.Itoa(100+i))
		price, _ := strconv.ParseFloat(it.UnitPrice, 64)
		shipping, _ := strconv.ParseFloat(it.Shipping, 64)
		total += price*float64(it.Quantity) + shipping
		breakdowns := []any{map[string]any{"type": "ITEM", "subtotal": money(formatAmount(price*float64(it.Quantity), o.Currency), o.Currency)}}
		if it.Shipping != "" {
			breakdowns = append(breakdowns, map[string]any{"type": "SHIPPING", "subtotal": money(it.Shipping, o.Currency)})
		}
		fulfilled := 0
		if o.Status == "SHIPPED" {
			fulfilled = it.Quantity
		}
		items = append(items, map[string]any{
			"orderItemId":     id,
			"quantityOrdered": it.Quantity,
			"product": map[string]any{
				"asin":      it.ASIN,
				"title":     it.Title,
				"sellerSku": it.SKU,
				"condition": map[string]any{"conditionType": "NEW", "conditionSubtype": "NEW"},
				"price":     map[string]any{"unitPrice": money(it.UnitPrice, o.Currency)},
			},
			"proceeds":    map[string]any{"proceedsTotal": money(formatAmount(price*float64(it.Quantity)+shipping, o.Currency), o.Currency), "breakdowns": breakdowns},
			"fulfillment": map[string]any{"quantityFulfilled": fulfilled, "quantityUnfulfilled": it.Quantity - fulfilled},
		})
	}
	doc := map[string]any{
		"orderId":         o.ID,
		"createdTime":     formatTime(o.Created),
		"lastUpdatedTime": formatTime(o.Updated),
		"programs":        []any{},
		"salesChannel":    map[string]any{"channelName": "AMAZON", "marketplaceId": o.MarketplaceID},
		"buyer":           map[string]any{"buyerName": o.BuyerName, "buyerEmail": o.BuyerEmail},
		"recipient": map[string]any{"deliveryAddress": map[string]any{
			"name": o.Recipient.Name, "addressLine1": o.Recipient.AddressLine1, "addressLine2": o.Recipient.AddressLine2,
			"city": o.Recipient.City, "postalCode": o.Recipient.PostalCode, "countryCode": o.Recipient.CountryCode,
			"phone": o.Recipient.Phone, "addressType": "RESIDENTIAL",
		}},
		"proceeds": map[string]any{"grandTotal": money(formatAmount(total, o.Currency), o.Currency)},
		"fulfillment": map[string]any{
			"fulfillmentStatus":       o.Status,
			"fulfilledBy":             o.FulfilledBy,
			"fulfillmentServiceLevel": o.ServiceLevel,
			"shipByWindow":            map[string]any{"latestDateTime": formatTime(o.Created.Add(48 * time.Hour))},
		},
		"orderItems": items,
	}
	if o.SellerOrderID != "" {
		doc["orderAliases"] = []any{map[string]any{"aliasId": o.SellerOrderID, "aliasType": "SELLER_ORDER_ID"}}
	}
	f.store(doc)
	return o.ID
}

// AddOrderDocuments stores orders given as the API writes them: a JSON array of orders, a
// searchOrders answer ({"orders":[…]}), a getOrder answer ({"order":{…}}), or an examples
// file of the models ([{"status","response"}…], whose successful answers are used).
func (f *Fake) AddOrderDocuments(raw []byte) ([]string, error) {
	var docs []map[string]any
	var probe any
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, err
	}
	var collect func(v any)
	collect = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				collect(e)
			}
		case map[string]any:
			switch {
			case v["orderId"] != nil:
				docs = append(docs, v)
			case v["orders"] != nil:
				collect(v["orders"])
			case v["order"] != nil:
				collect(v["order"])
			case v["response"] != nil && v["status"] == float64(200):
				collect(v["response"])
			}
		}
	}
	collect(probe)
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := make([]string, 0, len(docs))
	for _, doc := range docs {
		f.store(doc)
		ids = append(ids, doc["orderId"].(string))
	}
	return ids, nil
}

// OrderDocument returns an order as stored, every block included.
func (f *Fake) OrderDocument(id string) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	doc, ok := f.orders[id]
	if !ok {
		return nil
	}
	return render(doc, includedDataValues)
}

// SetStatus changes an order's fulfillmentStatus, as Amazon does when payment is authorised
// or the buyer cancels.
func (f *Fake) SetStatus(id, status string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if doc, ok := f.orders[id]; ok {
		child(doc, "fulfillment")["fulfillmentStatus"] = status
		doc["lastUpdatedTime"] = formatTime(f.now())
	}
}

func (f *Fake) store(doc map[string]any) {
	id, _ := doc["orderId"].(string)
	if _, exists := f.orders[id]; !exists {
		f.ordered = append(f.ordered, id)
	}
	f.orders[id] = doc
}

// searchOrders serves GET /orders/2026-01-01/orders.
func (f *Fake) searchOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	included, ok := parseIncluded(q.Get("includedData"))
	if !ok {
		writeErrors(w, http.StatusBadRequest, codeInvalidInput, "Invalid includedData value.", q.Get("includedData"))
		return
	}
	size := 100
	if text := q.Get("maxResultsPerPage"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 || n > 100 {
			writeErrors(w, http.StatusBadRequest, codeInvalidInput, "maxResultsPerPage must be between 1 and 100.", "")
			return
		}
		size = n
	}
	var page fakePage
	if token := q.Get("paginationToken"); token != "" {
		var found bool
		if page, found = f.pages[token]; !found {
			writeErrors(w, http.StatusBadRequest, codeInvalidInput, "Invalid paginationToken.", "")
			return
		}
		delete(f.pages, token)
	} else {
		var problem string
		if page, problem = f.startSearch(q); problem != "" {
			writeErrors(w, http.StatusBadRequest, codeInvalidInput, problem, "")
			return
		}
	}
	listed := page.remaining[:min(size, len(page.remaining))]
	orders := make([]any, 0, len(listed))
	for _, id := range listed {
		orders = append(orders, render(f.orders[id], included))
	}
	answer := map[string]any{"orders": orders, page.endField: page.end}
	if rest := page.remaining[len(listed):]; len(rest) > 0 {
		token := randomHex(16)
		f.pages[token] = fakePage{remaining: rest, end: page.end, endField: page.endField}
		answer["pagination"] = map[string]any{"nextToken": token}
	}
	writeJSON(w, http.StatusOK, answer)
}

// startSearch applies searchOrders' filters, freezing the list a pagination token walks.
func (f *Fake) startSearch(q map[string][]string) (fakePage, string) {
	get := func(name string) string {
		if v := q[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	createdAfter, updatedAfter := get("createdAfter"), get("lastUpdatedAfter")
	if (createdAfter == "") == (updatedAfter == "") {
		return fakePage{}, "Exactly one of createdAfter and lastUpdatedAfter is required."
	}
	field, after, beforeText, endField := "createdTime", createdAfter, get("createdBefore"), "createdBefore"
	if updatedAfter != "" {
		if get("createdBefore") != "" {
			return fakePage{}, "createdBefore cannot be combined with lastUpdatedAfter."
		}
		field, after, beforeText, endField = "lastUpdatedTime", updatedAfter, get("lastUpdatedBefore"), "lastUpdatedBefore"
	}
	from, err := parseTime(after)
	if err != nil {
		return fakePage{}, "Invalid " + field + " filter: " + after + " is not an ISO 8601 date-time."
	}
	now := f.now()
	end := now
	if beforeText != "" {
		if end, err = parseTime(beforeText); err != nil {
			return fakePage{}, beforeText + " is not an ISO 8601 date-time."
		}
		if end.After(now.Add(-settleLag)) {
			return fakePage{}, endField + " must be at least 2 minutes before the time of the request."
		}
	}
	statuses := splitList(get("fulfillmentStatuses"))
	for _, s := range statuses {
		if !slices.Contains(fulfillmentStatuses, s) {
			return fakePage{}, "Invalid fulfillmentStatuses value: " + s
		}
	}
	by := splitList(get("fulfilledBy"))
	for _, v := range by {
		if v != "MERCHANT" && v != "AMAZON" {
			return fakePage{}, "Invalid fulfilledBy value: " + v
		}
	}
	marketplaces := splitList(get("marketplaceIds"))
	type hit struct {
		id string
		at time.Time
	}
	var hits []hit
	for _, id := range f.ordered {
		doc := f.orders[id]
		at, err := parseTime(text(doc, field))
		if err != nil || at.Before(from) || !at.Before(end) {
			continue
		}
		fulfillment := sub(doc, "fulfillment")
		if len(statuses) > 0 && !slices.Contains(statuses, text(fulfillment, "fulfillmentStatus")) {
			continue
		}
		if len(by) > 0 && !slices.Contains(by, text(fulfillment, "fulfilledBy")) {
			continue
		}
		if len(marketplaces) > 0 && !slices.Contains(marketplaces, text(sub(doc, "salesChannel"), "marketplaceId")) {
			continue
		}
		hits = append(hits, hit{id, at})
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.at.Compare(b.at) })
	page := fakePage{end: formatTime(end), endField: endField}
	for _, h := range hits {
		page.remaining = append(page.remaining, h.id)
	}
	return page, ""
}

// getOrder serves GET /orders/2026-01-01/orders/{orderId}.
func (f *Fake) getOrder(w http.ResponseWriter, r *http.Request) {
	included, ok := parseIncluded(r.URL.Query().Get("includedData"))
	if !ok {
		writeErrors(w, http.StatusBadRequest, codeInvalidInput, "Invalid includedData value.", "")
		return
	}
	doc, found := f.orders[r.PathValue("orderId")]
	if !found {
		writeErrors(w, http.StatusNotFound, "NotFound", "The requested order was not found.", r.PathValue("orderId"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": render(doc, included)})
}

// render copies an order with only the requested optional blocks.
func render(doc map[string]any, included []string) map[string]any {
	raw, _ := json.Marshal(doc)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	for key, block := range orderBlocks {
		if !slices.Contains(included, block) {
			delete(out, key)
		}
	}
	items, _ := out["orderItems"].([]any)
	for _, item := range items {
		if item, ok := item.(map[string]any); ok {
			for key, block := range itemBlocks {
				if !slices.Contains(included, block) {
					delete(item, key)
				}
			}
		}
	}
	return out
}

func parseIncluded(value string) ([]string, bool) {
	values := splitList(value)
	for _, v := range values {
		if !slices.Contains(includedDataValues, v) {
			return nil, false
		}
	}
	return values, true
}

// splitList reads an array parameter, comma-separated.
func splitList(value string) []string {
	var out []string
	for _, v := range strings.Split(value, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func child(doc map[string]any, key string) map[string]any {
	if m, ok := doc[key].(map[string]any); ok {
		return m
	}
	m := map[string]any{}
	doc[key] = m
	return m
}

// sub reads a nested object without creating it.
func sub(doc map[string]any, key string) map[string]any {
	m, _ := doc[key].(map[string]any)
	return m
}

func text(doc map[string]any, key string) string {
	s, _ := doc[key].(string)
	return s
}

func number(doc map[string]any, key string) int {
	switch v := doc[key].(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return 0
}

func money(amount, currency string) map[string]any {
	return map[string]any{"amount": amount, "currencyCode": currency}
}

func formatAmount(value float64, currency string) string {
	if zeroDecimalCurrencies[strings.ToUpper(currency)] {
		return strconv.FormatFloat(value, 'f', 0, 64)
	}
	return strconv.FormatFloat(value, 'f', 2, 64)
}
