package magento

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

type fakeCart struct {
	masked     string
	id         int64
	active     bool
	items      []*fakeCartItem
	estimated  map[string]bool // carrier_method codes offered to the estimated address
	shipping   *wireAddress
	billing    *wireAddress
	carrier    string
	method     string
	shippingAt int64 // shipping amount in cents
}

type fakeCartItem struct {
	itemID int64
	sku    string
	qty    int
}

const cartMissing = "No such entity with %fieldName = %fieldValue"

func newMaskedID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	random := make([]byte, 32)
	rand.Read(random)
	for i, b := range random {
		random[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(random)
}

// createCart answers POST /V1/guest-carts with the masked cart id, a bare JSON string.
func (f *Fake) createCart(w http.ResponseWriter, r *http.Request, _ []string) {
	cart := &fakeCart{masked: newMaskedID(), id: f.newID(), active: true}
	f.carts[cart.masked] = cart
	f.writeJSON(w, http.StatusOK, cart.masked)
}

// cart finds an active cart; a placed cart is inactive and no longer found.
func (f *Fake) cart(w http.ResponseWriter, masked string) (*fakeCart, bool) {
	cart, ok := f.carts[masked]
	if !ok || !cart.active {
		f.writeError(w, http.StatusNotFound, cartMissing, map[string]string{"fieldName": "cartId", "fieldValue": masked})
		return nil, false
	}
	return cart, true
}

func (f *Fake) getCart(w http.ResponseWriter, r *http.Request, args []string) {
	cart, ok := f.cart(w, args[0])
	if !ok {
		return
	}
	f.writeJSON(w, http.StatusOK, map[string]any{"id": cart.id, "is_active": true, "items": f.cartItemsWire(cart),
		"items_count": len(cart.items), "currency": map[string]string{"quote_currency_code": f.currency}})
}

func (f *Fake) cartItemsWire(cart *fakeCart) []map[string]any {
	items := []map[string]any{}
	for _, item := range cart.items {
		p := f.products[item.sku]
		items = append(items, map[string]any{"item_id": item.itemID, "sku": item.sku, "qty": item.qty, "name": p.name,
			"price": money(p.price, 2), "product_type": "simple", "quote_id": cart.masked})
	}
	return items
}

func (f *Fake) listCartItems(w http.ResponseWriter, r *http.Request, args []string) {
	if cart, ok := f.cart(w, args[0]); ok {
		f.writeJSON(w, http.StatusOK, f.cartItemsWire(cart))
	}
}

// addCartItem answers POST /V1/guest-carts/{id}/items: by SKU, the catalogue's price, the
// stock checked against what the cart already holds of it.
func (f *Fake) addCartItem(w http.ResponseWriter, r *http.Request, args []string) {
	cart, ok := f.cart(w, args[0])
	if !ok {
		return
	}
	body, ok := f.decodeBody(w, r)
	if !ok {
		return
	}
	var in struct {
		SKU     string          `json:"sku"`
		Qty     json.RawMessage `json:"qty"`
		QuoteID string          `json:"quote_id"`
	}
	if raw, present := body["cartItem"]; !present || json.Unmarshal(raw, &in) != nil {
		f.writeError(w, http.StatusBadRequest, `"%fieldName" is required. Enter and try again.`, map[string]string{"fieldName": "cartItem"})
		return
	}
	qty, err := strconv.ParseFloat(strings.Trim(string(in.Qty), `"`), 64)
	if len(in.Qty) > 0 && err != nil {
		f.writeError(w, http.StatusBadRequest, `The "%value" value's type is invalid. The "%type" type was expected. Verify and try again.`, map[string]string{"value": string(in.Qty), "type": "float"})
		return
	}
	if qty <= 0 {
		f.writeError(w, http.StatusBadRequest, "The qty value is required to update quote item.")
		return
	}
	if in.QuoteID != "" && in.QuoteID != cart.masked {
		f.writeError(w, http.StatusBadRequest, "The quote_id in the cart item does not match the cart.")
		return
	}
	p, found := f.products[in.SKU]
	if in.SKU == "" || !found {
		f.writeError(w, http.StatusNotFound, productMissing)
		return
	}
	if !p.enabled {
		f.writeError(w, http.StatusBadRequest, "Product that you are trying to add is not available.")
		return
	}
	var item *fakeCartItem
	for _, existing := range cart.items {
		if existing.sku == in.SKU {
			item = existing
		}
	}
	inCart := 0
	if item != nil {
		inCart = item.qty
	}
	if p.manageStock && inCart+int(qty) > p.salable() {
		f.writeError(w, http.StatusBadRequest, "The requested qty is not available")
		return
	}
	if item == nil {
		item = &fakeCartItem{itemID: f.newID(), sku: in.SKU}
		cart.items = append(cart.items, item)
	}
	item.qty += int(qty)
	cart.estimated, cart.carrier, cart.method = nil, "", "" // rates are collected again
	f.writeJSON(w, http.StatusOK, map[string]any{"item_id": item.itemID, "sku": item.sku, "qty": item.qty, "name": p.name,
		"price": money(p.price, 2), "product_type": "simple", "quote_id": cart.masked})
}

// shippingMethods are the fake's carriers: flat rate per item, enabled; free shipping,
// disabled as in a fresh store.
func (f *Fake) shippingMethods(cart *fakeCart) []map[string]any {
	items := 0
	for _, item := range cart.items {
		items += item.qty
	}
	amount := money(f.flatRate*int64(items), 2)
	return []map[string]any{{
		"carrier_code": "flatrate", "method_code": "flatrate", "carrier_title": "Flat Rate", "method_title": "Fixed",
		"amount": amount, "base_amount": amount, "available": true, "error_message": "",
		"price_excl_tax": amount, "price_incl_tax": amount,
	}}
}

func (f *Fake) estimateShipping(w http.ResponseWriter, r *http.Request, args []string) {
	cart, ok := f.cart(w, args[0])
	if !ok {
		return
	}
	body, ok := f.decodeBody(w, r)
	if !ok {
		return
	}
	var address wireAddress
	if raw, present := body["address"]; !present || json.Unmarshal(raw, &address) != nil {
		f.writeError(w, http.StatusBadRequest, `"%fieldName" is required. Enter and try again.`, map[string]string{"fieldName": "address"})
		return
	}
	methods := f.shippingMethods(cart)
	if len(cart.items) == 0 {
		methods = []map[string]any{}
	}
	cart.estimated = map[string]bool{}
	for _, m := range methods {
		cart.estimated[m["carrier_code"].(string)+"_"+m["method_code"].(string)] = true
	}
	f.writeJSON(w, http.StatusOK, methods)
}

// requiredAddressFields are what a default store requires of an address.
var requiredAddressFields = []struct {
	name string
	get  func(wireAddress) string
}{
	{"firstname", func(a wireAddress) string { return a.Firstname }},
	{"lastname", func(a wireAddress) string { return a.Lastname }},
	{"street", func(a wireAddress) string { return strings.Join(a.Street, "") }},
	{"city", func(a wireAddress) string { return a.City }},
	{"postcode", func(a wireAddress) string { return a.Postcode }},
	{"country_id", func(a wireAddress) string { return a.CountryID }},
	{"telephone", func(a wireAddress) string { return a.Telephone }},
}

func (f *Fake) checkAddress(w http.ResponseWriter, a wireAddress) bool {
	for _, field := range requiredAddressFields {
		if strings.TrimSpace(field.get(a)) == "" {
			f.writeError(w, http.StatusBadRequest, `"%fieldName" is required. Enter and try again.`, map[string]string{"fieldName": field.name})
			return false
		}
	}
	if len(a.CountryID) != 2 || strings.ToUpper(a.CountryID) != a.CountryID {
		f.writeError(w, http.StatusBadRequest, `Invalid value of "%value" provided for the %fieldName field.`, map[string]string{"value": a.CountryID, "fieldName": "countryId"})
		return false
	}
	return true
}

// setShippingInformation answers POST /V1/guest-carts/{id}/shipping-information with the
// payment methods and totals. The method must be one the estimate offered.
func (f *Fake) setShippingInformation(w http.ResponseWriter, r *http.Request, args []string) {
	cart, ok := f.cart(w, args[0])
	if !ok {
		return
	}
	body, ok := f.decodeBody(w, r)
	if !ok {
		return
	}
	var info wireAddressInformation
	if raw, present := body["addressInformation"]; !present || json.Unmarshal(raw, &info) != nil {
		f.writeError(w, http.StatusBadRequest, `"%fieldName" is required. Enter and try again.`, map[string]string{"fieldName": "addressInformation"})
		return
	}
	if len(cart.items) == 0 {
		f.writeError(w, http.StatusBadRequest, "The shipping method can't be set for an empty cart. Add an item to cart and try again.")
		return
	}
	if !f.checkAddress(w, info.ShippingAddress) {
		return
	}
	code := info.ShippingCarrierCode + "_" + info.ShippingMethodCode
	if !cart.estimated[code] {
		f.writeError(w, http.StatusBadRequest, "The shipping method is missing. Select the shipping method and try again.")
		return
	}
	billing := info.BillingAddress
	if billing.Lastname == "" {
		billing = info.ShippingAddress
	}
	if !f.checkAddress(w, billing) {
		return
	}
	cart.shipping, cart.billing = &info.ShippingAddress, &billing
	cart.carrier, cart.method = info.ShippingCarrierCode, info.ShippingMethodCode
	items := 0
	var subtotal int64
	for _, item := range cart.items {
		items += item.qty
		subtotal += f.products[item.sku].price * int64(item.qty)
	}
	cart.shippingAt = f.flatRate * int64(items)
	f.writeJSON(w, http.StatusOK, map[string]any{
		"payment_methods": []map[string]string{{"code": "checkmo", "title": "Check / Money order"}},
		"totals": map[string]any{
			"grand_total": money(subtotal+cart.shippingAt, 2), "subtotal": money(subtotal, 2),
			"shipping_amount": money(cart.shippingAt, 2), "base_currency_code": f.currency,
			"quote_currency_code": f.currency, "items_qty": items, "items": f.cartItemsWire(cart),
		},
	})
}

// placeOrder answers PUT /V1/guest-carts/{id}/order with the new order's id (a JSON string).
// The order is new/pending, priced from the catalogue; with MSI the stock is reserved,
// without it the stock item's qty drops at once.
func (f *Fake) placeOrder(w http.ResponseWriter, r *http.Request, args []string) {
	cart, ok := f.cart(w, args[0])
	if !ok {
		return
	}
	body, ok := f.decodeBody(w, r)
	if !ok {
		return
	}
	var payment struct {
		Method string `json:"method"`
	}
	if raw, present := body["paymentMethod"]; !present || json.Unmarshal(raw, &payment) != nil || payment.Method == "" {
		f.writeError(w, http.StatusBadRequest, `"%fieldName" is required. Enter and try again.`, map[string]string{"fieldName": "paymentMethod"})
		return
	}
	if cart.shipping == nil || cart.carrier == "" {
		f.writeError(w, http.StatusBadRequest, "The shipping method is missing. Select the shipping method and try again.")
		return
	}
	if payment.Method != "checkmo" {
		f.writeError(w, http.StatusBadRequest, "The requested Payment Method is not available.")
		return
	}
	if !strings.Contains(cart.billing.Email, "@") {
		f.writeError(w, http.StatusBadRequest, "Email has a wrong format")
		return
	}
	for _, item := range cart.items {
		if p := f.products[item.sku]; p.manageStock && item.qty > p.salable() {
			f.writeError(w, http.StatusBadRequest, "The requested qty is not available")
			return
		}
	}
	now := f.now()
	f.increments++
	order := &fakeOrder{
		id: f.newID(), increment: strconv.Itoa(1000000000 + f.increments)[1:], state: "new", status: "pending",
		email: cart.billing.Email, shipping: *cart.shipping, billing: *cart.billing, quoteID: cart.id,
		shippingMethod: cart.carrier + "_" + cart.method, shippingAmount: cart.shippingAt, created: now, updated: now,
	}
	for _, item := range cart.items {
		p := f.products[item.sku]
		order.items = append(order.items, &fakeOrderItem{itemID: f.newID(), sku: p.sku, name: p.name, qty: item.qty,
			price: p.price, row: p.price * int64(item.qty)})
		if p.manageStock {
			if f.msi {
				p.reserved += item.qty
			} else {
				p.qty -= item.qty
				p.updated = now
			}
		}
		order.subtotal += p.price * int64(item.qty)
	}
	order.grand = order.subtotal + order.shippingAmount
	cart.active = false
	f.orders[order.id] = order
	f.orderIDs = append(f.orderIDs, order.id)
	f.writeJSON(w, http.StatusOK, strconv.FormatInt(order.id, 10))
}
