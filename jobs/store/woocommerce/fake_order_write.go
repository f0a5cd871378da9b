package woocommerce

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// createOrder follows WooCommerce's create: read and check the body, build the order with
// its lines (by sku or product_id, the catalogue price when no totals are posted), save it
// as pending, then apply set_paid and the requested status, which move stock.
func (f *Fake) createOrder(w http.ResponseWriter, r *http.Request, _ []int64) {
	if rejection := f.rejectCreate; rejection != nil {
		f.rejectCreate = nil
		f.writeJSON(w, http.StatusBadRequest, rejection)
		return
	}
	body, err := readJSONBody(r)
	if err != nil {
		f.writeError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	in, errs := readOrderInput(body)
	if len(errs) > 0 {
		f.writeInvalidParams(w, errs)
		return
	}
	now := f.now()
	order := &fakeOrder{status: "pending", currency: f.currency, created: now, modified: now}
	if failure := f.applyOrderInput(order, in, true); failure != nil {
		f.writeJSON(w, http.StatusBadRequest, failure)
		return
	}
	order.id = f.newPostID()
	order.orderKey = "wc_order_" + randomToken(13)
	f.orders[order.id] = order
	f.orderIDs = append(f.orderIDs, order.id)
	if in.setPaid {
		f.paymentComplete(order)
	}
	if in.status != nil {
		f.setStatus(order, *in.status)
	}
	w.Header().Set("Location", fmt.Sprintf("%s/wp-json/wc/v3/orders/%d", baseURL(r), order.id))
	f.writeJSON(w, http.StatusCreated, f.renderOrder(r, order, f.decimals))
}

// updateOrder applies a PUT: every save moves date_modified, even one that changes nothing.
func (f *Fake) updateOrder(w http.ResponseWriter, r *http.Request, ids []int64) {
	order := f.orders[ids[0]]
	if order == nil {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
		return
	}
	body, err := readJSONBody(r)
	if err != nil {
		f.writeError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	in, errs := readOrderInput(body)
	if len(errs) > 0 {
		f.writeInvalidParams(w, errs)
		return
	}
	if failure := f.applyOrderInput(order, in, false); failure != nil {
		f.writeJSON(w, http.StatusBadRequest, failure)
		return
	}
	if in.setPaid {
		f.paymentComplete(order)
	}
	if in.status != nil {
		f.setStatus(order, *in.status)
	}
	order.modified = f.now()
	f.writeJSON(w, http.StatusOK, f.renderOrder(r, order, f.decimals))
}

// applyOrderInput sets the posted fields. Lines are read on create only (updating lines is
// not reproduced).
func (f *Fake) applyOrderInput(order *fakeOrder, in orderInput, creating bool) *restError {
	setString := func(target *string, value *string) {
		if value != nil {
			*target = *value
		}
	}
	setString(&order.currency, in.currency)
	setString(&order.customerNote, in.customerNote)
	setString(&order.paymentMethod, in.paymentMethod)
	setString(&order.paymentMethodTitle, in.paymentMethodTitle)
	setString(&order.transactionID, in.transactionID)
	if in.customerID != nil {
		order.customerID = *in.customerID
	}
	if email, ok := in.billing["email"]; ok && email != "" && !looksLikeEmail(email) {
		return &restError{Code: "order_invalid_billing_email", Message: "Invalid billing email address", Data: map[string]any{"status": http.StatusBadRequest}}
	}
	applyBilling(&order.billing, in.billing)
	applyShipping(&order.shipping, in.shipping)
	for _, entry := range in.meta {
		order.meta = f.updateMeta(order.meta, entry)
	}
	if !creating {
		return nil
	}
	for _, lineIn := range in.lines {
		line, failure := f.newLine(lineIn)
		if failure != nil {
			return failure
		}
		order.lines = append(order.lines, line)
	}
	for _, shippingIn := range in.shippingLines {
		line := fakeShippingLine{id: f.newItemID(), methodTitle: shippingIn.methodTitle, methodID: shippingIn.methodID}
		if shippingIn.total != nil {
			line.total, _ = parseMicro(*shippingIn.total)
		}
		order.shippingLines = append(order.shippingLines, line)
	}
	for _, feeIn := range in.fees {
		fee := fakeFee{id: f.newItemID(), name: feeIn.name, taxStatus: feeIn.taxStatus}
		if feeIn.total != nil {
			fee.total, _ = parseMicro(*feeIn.total)
		}
		order.fees = append(order.fees, fee)
	}
	return nil
}

// newLine resolves the product as WooCommerce does (sku first, then product_id, then
// variation_id) and prices it: posted totals win, else the catalogue price times quantity.
func (f *Fake) newLine(in lineInput) (*fakeLine, *restError) {
	var product *fakeProduct
	switch {
	case in.sku != "":
		product = f.productBySKU(in.sku)
	case in.productID != 0 && in.variationID == 0:
		product = f.products[in.productID]
	case in.variationID != 0:
		product = f.products[in.variationID]
	default:
		return nil, badRequest("woocommerce_rest_required_product_reference", "Product ID or SKU is required.")
	}
	if product == nil || product.status == "trash" {
		if in.sku != "" {
			return nil, badRequest("woocommerce_rest_invalid_product_id", fmt.Sprintf("Invalid product SKU %q.", in.sku))
		}
		return nil, badRequest("woocommerce_rest_invalid_product_id", "Invalid product ID.")
	}
	line := &fakeLine{id: f.newItemID(), productID: product.id, name: product.name, sku: product.sku, quantity: 1}
	if product.kind == "variation" {
		line.productID, line.variationID = product.parentID, product.id
		line.sku = defaultString(product.sku, f.products[product.parentID].sku)
	}
	if in.quantity != nil {
		line.quantity = int(*in.quantity)
	}
	if in.name != nil {
		line.name = *in.name
	}
	unit, _ := parseMicro(f.price(product))
	line.subtotal, line.total = unit*int64(line.quantity), unit*int64(line.quantity)
	if in.subtotal != nil {
		line.subtotal, _ = parseMicro(*in.subtotal)
	}
	if in.total != nil {
		line.total, _ = parseMicro(*in.total)
	}
	for _, entry := range in.meta {
		line.meta = f.updateMeta(line.meta, entry)
	}
	return line, nil
}

func badRequest(code, message string) *restError {
	return &restError{Code: code, Message: message, Data: map[string]any{"status": http.StatusBadRequest}}
}

// updateMeta sets one meta entry: by id when given, else the first with the key, else added.
func (f *Fake) updateMeta(meta []FakeMeta, entry metaInput) []FakeMeta {
	for i := range meta {
		if entry.id != 0 && meta[i].ID == entry.id || entry.id == 0 && meta[i].Key == entry.key {
			if entry.key != "" {
				meta[i].Key = entry.key
			}
			meta[i].Value = entry.value
			return meta
		}
	}
	f.nextMetaID++
	return append(meta, FakeMeta{ID: f.nextMetaID, Key: entry.key, Value: entry.value})
}

// paymentComplete is WooCommerce's payment_complete: a pending, on-hold, failed or cancelled
// order becomes processing, paid now, and its stock is taken.
func (f *Fake) paymentComplete(order *fakeOrder) {
	if !contains([]string{"pending", "on-hold", "failed", "cancelled"}, order.status) {
		return
	}
	if order.paid.IsZero() {
		order.paid = f.now()
	}
	f.setStatus(order, "processing")
}

// setStatus changes the status with WooCommerce's side effects: a note, the stock taken on
// processing, completed or on-hold and put back on cancelled or pending, the paid and
// completed dates, and a full refund recorded on refunded.
func (f *Fake) setStatus(order *fakeOrder, status string) {
	old := order.status
	if old == status {
		return
	}
	now := f.now()
	order.status, order.modified = status, now
	f.addNote(order, fmt.Sprintf("Order status changed from %s to %s.", orderStatusLabels[old], orderStatusLabels[status]), false, "system")
	switch status {
	case "processing", "completed", "on-hold":
		f.reduceStock(order)
	case "cancelled", "pending":
		f.restoreStock(order)
	case "refunded":
		f.refundRemaining(order)
	}
	if (status == "processing" || status == "completed") && order.paid.IsZero() {
		order.paid = now
	}
	if status == "completed" {
		order.completed = now
	}
}

func (f *Fake) reduceStock(order *fakeOrder) {
	if order.stockReduced {
		return
	}
	order.stockReduced = true
	var changes []string
	for _, line := range order.lines {
		product := f.products[defaultID(line.variationID, line.productID)]
		if product == nil {
			continue
		}
		if parent := f.products[line.productID]; parent != nil {
			parent.totalSales += line.quantity
		}
		holder, before := f.changeStock(product, -line.quantity)
		if holder == nil {
			continue
		}
		line.reducedStock = line.quantity
		changes = append(changes, fmt.Sprintf("%s (%s) %d&rarr;%d", product.name, defaultString(product.sku, "#"+strconv.FormatInt(product.id, 10)), before, holder.stock))
	}
	if len(changes) > 0 {
		f.addNote(order, "Stock levels reduced: "+strings.Join(changes, ", "), false, "system")
	}
}

func (f *Fake) restoreStock(order *fakeOrder) {
	if !order.stockReduced {
		return
	}
	order.stockReduced = false
	var changes []string
	for _, line := range order.lines {
		product := f.products[defaultID(line.variationID, line.productID)]
		if product == nil || line.reducedStock == 0 {
			continue
		}
		holder, before := f.changeStock(product, line.reducedStock)
		line.reducedStock = 0
		if holder != nil {
			changes = append(changes, fmt.Sprintf("%s (%s) %d&rarr;%d", product.name, defaultString(product.sku, "#"+strconv.FormatInt(product.id, 10)), before, holder.stock))
		}
	}
	if len(changes) > 0 {
		f.addNote(order, "Stock levels increased: "+strings.Join(changes, ", "), false, "system")
	}
}

// refundRemaining records what WooCommerce does when an order is set refunded by hand: one
// refund of what was not refunded yet, without restocking.
func (f *Fake) refundRemaining(order *fakeOrder) {
	var total, refunded int64
	for _, line := range order.lines {
		total += line.total
	}
	for _, line := range order.shippingLines {
		total += line.total
	}
	for _, fee := range order.fees {
		total += fee.total
	}
	for _, refund := range order.refunds {
		refunded += refund.total
	}
	if remaining := total - refunded; remaining > 0 {
		order.refunds = append(order.refunds, fakeRefund{id: f.newPostID(), reason: "Order fully refunded.", total: remaining})
	}
}

func defaultID(id, fallback int64) int64 {
	if id != 0 {
		return id
	}
	return fallback
}

func applyBilling(billing *FakeBilling, fields map[string]string) {
	targets := map[string]*string{
		"first_name": &billing.FirstName, "last_name": &billing.LastName, "company": &billing.Company,
		"address_1": &billing.Address1, "address_2": &billing.Address2, "city": &billing.City, "state": &billing.State,
		"postcode": &billing.Postcode, "country": &billing.Country, "email": &billing.Email, "phone": &billing.Phone,
	}
	for name, value := range fields {
		if target, ok := targets[name]; ok {
			*target = value
		}
	}
}

// applyShipping ignores email, which shipping addresses do not have.
func applyShipping(shipping *FakeShipping, fields map[string]string) {
	targets := map[string]*string{
		"first_name": &shipping.FirstName, "last_name": &shipping.LastName, "company": &shipping.Company,
		"address_1": &shipping.Address1, "address_2": &shipping.Address2, "city": &shipping.City, "state": &shipping.State,
		"postcode": &shipping.Postcode, "country": &shipping.Country, "phone": &shipping.Phone,
	}
	for name, value := range fields {
		if target, ok := targets[name]; ok {
			*target = value
		}
	}
}

func (f *Fake) newItemID() int64 {
	f.nextItemID++
	return f.nextItemID
}

// randomToken returns n random lower-case alphanumerics, like WooCommerce's order keys.
func randomToken(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	random := make([]byte, n)
	rand.Read(random)
	for i, b := range random {
		random[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(random)
}
