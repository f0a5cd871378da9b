package woocommerce

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

var orderStatuses = []string{"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash"}

// orderStatusLabels are the names WooCommerce writes in its status-change notes.
var orderStatusLabels = map[string]string{
	"pending": "Pending payment", "processing": "Processing", "on-hold": "On hold", "completed": "Completed",
	"cancelled": "Cancelled", "refunded": "Refunded", "failed": "Failed", "trash": "Trash",
}

type fakeOrder struct {
	id                 int64
	orderKey           string
	status             string
	currency           string
	created, modified  time.Time
	paid, completed    time.Time
	customerID         int64
	customerNote       string
	billing            FakeBilling
	shipping           FakeShipping
	paymentMethod      string
	paymentMethodTitle string
	transactionID      string
	meta               []FakeMeta
	lines              []*fakeLine
	shippingLines      []fakeShippingLine
	fees               []fakeFee
	refunds            []fakeRefund
	notes              []fakeNote
	stockReduced       bool
}

// fakeLine amounts are in millionths (see microExponent).
type fakeLine struct {
	id                     int64
	productID, variationID int64
	name, sku              string
	quantity               int
	subtotal, total        int64
	reducedStock           int // what was taken from stock for this line, to put back on cancel
	meta                   []FakeMeta
}

type fakeShippingLine struct {
	id                    int64
	methodTitle, methodID string
	total                 int64
}

type fakeFee struct {
	id              int64
	name, taxStatus string
	total           int64
}

type fakeRefund struct {
	id     int64
	reason string
	total  int64
}

type fakeNote struct {
	id       int64
	author   string
	created  time.Time
	note     string
	customer bool
}

// Orders returns every order, oldest first, as the API would show them.
func (f *Fake) Orders() []FakeOrder {
	f.mu.Lock()
	defer f.mu.Unlock()
	orders := make([]FakeOrder, 0, len(f.orderIDs))
	for _, id := range f.orderIDs {
		orders = append(orders, f.renderOrder(nil, f.orders[id], f.decimals))
	}
	return orders
}

// Order returns one order as the API would show it.
func (f *Fake) Order(id int64) (FakeOrder, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	order := f.orders[id]
	if order == nil {
		return FakeOrder{}, false
	}
	return f.renderOrder(nil, order, f.decimals), true
}

// SetOrderStatus changes an order's status as the merchant would in the admin, with the same
// effects on stock and dates as through the API.
func (f *Fake) SetOrderStatus(id int64, status string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	order := f.orders[id]
	if order == nil {
		return fmt.Errorf("woocommerce fake: no order %d", id)
	}
	if !contains(orderStatuses, status) {
		return fmt.Errorf("woocommerce fake: %q is not an order status", status)
	}
	f.setStatus(order, status)
	order.modified = f.now()
	return nil
}

func (f *Fake) getOrder(w http.ResponseWriter, r *http.Request, ids []int64) {
	order := f.orders[ids[0]]
	if order == nil {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
		return
	}
	errs := paramErrors{}
	decimals := readInt(r.URL.Query(), "dp", f.decimals, errs)
	if len(errs) > 0 {
		f.writeInvalidParams(w, errs)
		return
	}
	f.writeJSON(w, http.StatusOK, f.renderOrder(r, order, decimals))
}

func (f *Fake) listOrders(w http.ResponseWriter, r *http.Request, _ []int64) {
	query := r.URL.Query()
	errs := paramErrors{}
	// No "modified": WooCommerce cannot sort orders by modification date.
	p := readPaging(query, []string{"date", "id", "include", "title", "slug"}, errs)
	gmt := readBool(query, "dates_are_gmt", errs)
	after, hasAfter := readDate(query, "after", gmt, f.location, errs)
	before, hasBefore := readDate(query, "before", gmt, f.location, errs)
	modifiedAfter, hasModifiedAfter := readDate(query, "modified_after", gmt, f.location, errs)
	modifiedBefore, hasModifiedBefore := readDate(query, "modified_before", gmt, f.location, errs)
	decimals := readInt(query, "dp", f.decimals, errs)
	statuses := readList(query, "status")
	for _, status := range statuses {
		if status != "any" && !contains(orderStatuses, status) {
			errs["status"] = fmt.Sprintf("status[0] is not one of any, %s.", strings.Join(orderStatuses, ", "))
		}
	}
	customer := readInt(query, "customer", 0, errs)
	if len(errs) > 0 {
		f.writeInvalidParams(w, errs)
		return
	}
	include, exclude := readIDs(query, "include"), readIDs(query, "exclude")
	var matches []*fakeOrder
	for _, id := range f.orderIDs {
		order := f.orders[id]
		switch {
		case !statusMatches(order.status, statuses),
			hasAfter && !order.created.After(after), hasBefore && !order.created.Before(before),
			hasModifiedAfter && !order.modified.After(modifiedAfter), hasModifiedBefore && !order.modified.Before(modifiedBefore),
			len(include) > 0 && !include[order.id], exclude[order.id],
			customer != 0 && order.customerID != int64(customer):
			continue
		}
		matches = append(matches, order)
	}
	sort.SliceStable(matches, func(i, j int) bool {
		a, b := matches[i], matches[j]
		if p.order == "desc" {
			a, b = b, a
		}
		if p.orderby != "id" && !a.created.Equal(b.created) {
			return a.created.Before(b.created)
		}
		return a.id < b.id
	})
	start, end := p.window(len(matches))
	answer := make([]FakeOrder, 0, end-start)
	for _, order := range matches[start:end] {
		answer = append(answer, f.renderOrder(r, order, decimals))
	}
	setPagingHeaders(w, r, len(matches), p)
	f.writeJSON(w, http.StatusOK, answer)
}

// statusMatches applies the status filter; "any" (the default) leaves out the trash.
func statusMatches(status string, wanted []string) bool {
	if len(wanted) == 0 || contains(wanted, "any") {
		return status != "trash"
	}
	return contains(wanted, status)
}

func (f *Fake) deleteOrder(w http.ResponseWriter, r *http.Request, ids []int64) {
	order := f.orders[ids[0]]
	if order == nil {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
		return
	}
	errs := paramErrors{}
	force := readBool(r.URL.Query(), "force", errs)
	if len(errs) > 0 {
		f.writeInvalidParams(w, errs)
		return
	}
	if !force {
		if order.status == "trash" {
			f.writeError(w, http.StatusGone, "woocommerce_rest_already_trashed", "The shop_order has already been deleted.")
			return
		}
		order.status, order.modified = "trash", f.now()
		f.writeJSON(w, http.StatusOK, f.renderOrder(r, order, f.decimals))
		return
	}
	answer := f.renderOrder(r, order, f.decimals)
	delete(f.orders, order.id)
	for i, id := range f.orderIDs {
		if id == order.id {
			f.orderIDs = append(f.orderIDs[:i:i], f.orderIDs[i+1:]...)
			break
		}
	}
	f.writeJSON(w, http.StatusOK, answer)
}

func (f *Fake) renderOrder(r *http.Request, o *fakeOrder, decimals int) FakeOrder {
	var linesTotal, discount, shippingTotal, feesTotal int64
	lines := make([]FakeLineItem, 0, len(o.lines))
	for _, line := range o.lines {
		linesTotal += line.total
		discount += line.subtotal - line.total
		price := 0.0
		if line.quantity != 0 {
			price = float64(line.total) / 1e6 / float64(line.quantity)
		}
		lines = append(lines, FakeLineItem{
			ID: line.id, Name: line.name, ProductID: line.productID, VariationID: line.variationID,
			Quantity: line.quantity, Subtotal: formatMicro(line.subtotal, decimals), SubtotalTax: formatMicro(0, decimals),
			Total: formatMicro(line.total, decimals), TotalTax: formatMicro(0, decimals),
			Taxes: emptyRaw(), MetaData: append([]FakeMeta{}, line.meta...), SKU: line.sku, Price: price,
		})
	}
	shippingLines := make([]FakeShippingLine, 0, len(o.shippingLines))
	for _, line := range o.shippingLines {
		shippingTotal += line.total
		shippingLines = append(shippingLines, FakeShippingLine{
			ID: line.id, MethodTitle: line.methodTitle, MethodID: line.methodID,
			Total: formatMicro(line.total, decimals), TotalTax: formatMicro(0, decimals), Taxes: emptyRaw(), MetaData: []FakeMeta{},
		})
	}
	fees := make([]FakeFeeLine, 0, len(o.fees))
	for _, fee := range o.fees {
		feesTotal += fee.total
		fees = append(fees, FakeFeeLine{
			ID: fee.id, Name: fee.name, TaxStatus: fee.taxStatus,
			Total: formatMicro(fee.total, decimals), TotalTax: formatMicro(0, decimals), Taxes: emptyRaw(), MetaData: []FakeMeta{},
		})
	}
	refunds := make([]json.RawMessage, 0, len(o.refunds))
	for _, refund := range o.refunds {
		refunds = append(refunds, mustJSON(map[string]any{"id": refund.id, "reason": refund.reason, "total": formatMicro(-refund.total, decimals)}))
	}
	paid, paidGMT := f.optionalDates(o.paid)
	completed, completedGMT := f.optionalDates(o.completed)
	zero := formatMicro(0, decimals)
	return FakeOrder{
		ID: o.id, Number: strconv.FormatInt(o.id, 10), OrderKey: o.orderKey, CreatedVia: "rest-api", Version: fakeVersion,
		Status: o.status, Currency: o.currency,
		DateCreated: f.localDate(o.created), DateCreatedGMT: gmtDate(o.created),
		DateModified: f.localDate(o.modified), DateModifiedGMT: gmtDate(o.modified),
		DiscountTotal: formatMicro(discount, decimals), DiscountTax: zero,
		ShippingTotal: formatMicro(shippingTotal, decimals), ShippingTax: zero, CartTax: zero,
		Total: formatMicro(linesTotal+shippingTotal+feesTotal, decimals), TotalTax: zero,
		CustomerID: o.customerID, CustomerNote: o.customerNote, Billing: o.billing, Shipping: o.shipping,
		PaymentMethod: o.paymentMethod, PaymentMethodTitle: o.paymentMethodTitle, TransactionID: o.transactionID,
		DatePaid: paid, DatePaidGMT: paidGMT, DateCompleted: completed, DateCompletedGMT: completedGMT,
		MetaData: append([]FakeMeta{}, o.meta...), LineItems: lines, TaxLines: emptyRaw(),
		ShippingLines: shippingLines, FeeLines: fees, CouponLines: emptyRaw(), Refunds: refunds,
		Links: selfLinks(r, "orders", o.id, ""),
	}
}

// fakeVersion is the WooCommerce version the fake claims to be.
const fakeVersion = "8.9.3"

func readIDs(query url.Values, name string) map[int64]bool {
	ids := map[int64]bool{}
	for _, text := range readList(query, name) {
		if id, err := strconv.ParseInt(text, 10, 64); err == nil {
			ids[id] = true
		}
	}
	return ids
}
