package prestashop

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
)

func (f *Fake) postCustomer(table *fakeTable, v map[string]string) (*fakeRow, *fakeError) {
	if e := required(v, "passwd", "lastname", "firstname", "email"); e != nil {
		return nil, e
	}
	switch {
	case !fakeEmail.MatchString(v["email"]):
		return nil, invalid("Customer", "email")
	case !fakeCustomerName.MatchString(v["lastname"]):
		return nil, invalid("Customer", "lastname")
	case !fakeCustomerName.MatchString(v["firstname"]):
		return nil, invalid("Customer", "firstname")
	}
	now := f.tick()
	v["secure_key"], v["date_add"], v["date_upd"] = newSecureKey(), now, now
	return table.insert(v), nil
}

func (f *Fake) postAddress(table *fakeTable, v map[string]string) (*fakeRow, *fakeError) {
	if e := required(v, "id_country", "alias", "lastname", "firstname", "address1", "city"); e != nil {
		return nil, e
	}
	country, ok := f.tables["countries"].get(fakeAtoi(v["id_country"]))
	switch {
	case !ok:
		return nil, invalid("Address", "id_country")
	case !fakeCustomerName.MatchString(v["lastname"]):
		return nil, invalid("Address", "lastname")
	case !fakeCustomerName.MatchString(v["firstname"]):
		return nil, invalid("Address", "firstname")
	case country.v["need_zip_code"] == "1" && v["postcode"] == "":
		return nil, &fakeError{http.StatusBadRequest, 85, "Validation error: \"A Zip/Postal code is required.\""}
	}
	if _, ok := f.tables["customers"].get(fakeAtoi(v["id_customer"])); !ok {
		return nil, invalid("Address", "id_customer")
	}
	now := f.tick()
	v["date_add"], v["date_upd"] = now, now
	return table.insert(v), nil
}

func (f *Fake) postCart(table *fakeTable, v map[string]string, rows []map[string]string) (*fakeRow, *fakeError) {
	if e := required(v, "id_currency", "id_lang"); e != nil {
		return nil, e
	}
	if _, ok := f.tables["currencies"].get(fakeAtoi(v["id_currency"])); !ok {
		return nil, invalid("Cart", "id_currency")
	}
	for _, row := range rows {
		productID, attributeID := fakeAtoi(row["id_product"]), fakeAtoi(row["id_product_attribute"])
		product, ok := f.tables["products"].get(productID)
		combination, hasCombination := f.tables["combinations"].get(attributeID)
		if !ok || attributeID != 0 && (!hasCombination || fakeAtoi(combination.v["id_product"]) != productID) || fakeAtoi(row["quantity"]) <= 0 || product.v["active"] != "1" {
			// Cart::setWsCartRows refuses rows naming no orderable product.
			return nil, &fakeError{http.StatusInternalServerError, 85, "Error occurred while setting the cart_rows value"}
		}
	}
	now := f.tick()
	v["secure_key"], v["date_add"], v["date_upd"] = newSecureKey(), now, now
	if v["gift"] == "" {
		v["gift"] = "0"
	}
	cart := table.insert(v)
	cart.assoc["cart_rows"] = rows
	return cart, nil
}

func (f *Fake) postSpecificPrice(table *fakeTable, v map[string]string) (*fakeRow, *fakeError) {
	if e := required(v, "id_product", "price", "from_quantity", "reduction", "reduction_type", "from", "to"); e != nil {
		return nil, e
	}
	// The shop, currency, country, group and customer ids are required too, 0 meaning all.
	for _, field := range []string{"id_shop", "id_cart", "id_currency", "id_country", "id_group", "id_customer", "reduction_tax"} {
		if _, sent := v[field]; !sent {
			return nil, &fakeError{http.StatusBadRequest, 41, fmt.Sprintf("parameter %q required", field)}
		}
	}
	if !fakePrice.MatchString(v["price"]) {
		return nil, invalid("SpecificPrice", "price")
	}
	if v["reduction_type"] != "amount" && v["reduction_type"] != "percentage" {
		return nil, invalid("SpecificPrice", "reduction_type")
	}
	if _, ok := f.tables["products"].get(fakeAtoi(v["id_product"])); !ok {
		return nil, invalid("SpecificPrice", "id_product")
	}
	return table.insert(v), nil
}

// postOrder is Order::addWs: the payment module validates the cart; lines and totals come from
// the cart and the catalogue (with the cart's specific prices); the order is "Remote payment
// accepted", or "Payment error" when the posted total_paid is not the cart's total.
func (f *Fake) postOrder(table *fakeTable, v map[string]string) (*fakeRow, *fakeError) {
	if e := required(v, "id_address_delivery", "id_address_invoice", "id_cart", "id_currency", "id_lang", "id_customer", "id_carrier", "module", "payment", "total_paid", "total_paid_real", "total_products", "total_products_wt", "conversion_rate"); e != nil {
		return nil, e
	}
	for _, field := range []string{"total_paid", "total_paid_real", "total_products", "total_products_wt", "conversion_rate"} {
		if !fakePrice.MatchString(v[field]) {
			return nil, invalid("Order", field)
		}
	}
	if !f.modules[v["module"]] {
		return nil, &fakeError{http.StatusInternalServerError, 0, fmt.Sprintf("Payment module %q is not installed: validateOrder cannot be called", v["module"])}
	}
	cart, ok := f.tables["carts"].get(fakeAtoi(v["id_cart"]))
	if ok {
		for _, order := range table.rows {
			if order.v["id_cart"] == v["id_cart"] {
				ok = false
			}
		}
	}
	if !ok || len(cart.assoc["cart_rows"]) == 0 {
		return nil, &fakeError{http.StatusInternalServerError, 0, "Cart cannot be loaded or an order has already been placed using this cart"}
	}
	carrier, ok := f.tables["carriers"].get(fakeAtoi(cart.v["id_carrier"]))
	if !ok {
		return nil, &fakeError{http.StatusInternalServerError, 0, "Carrier cannot be loaded"}
	}
	var rows []map[string]string
	var total int64
	for i, cartRow := range cart.assoc["cart_rows"] {
		productID, attributeID := fakeAtoi(cartRow["id_product"]), fakeAtoi(cartRow["id_product_attribute"])
		product, _ := f.tables["products"].get(productID)
		reference := product.v["reference"]
		if combination, ok := f.tables["combinations"].get(attributeID); ok && combination.v["reference"] != "" {
			reference = combination.v["reference"]
		}
		price := fakeCents(product.v["price"])
		for _, sp := range f.tables["specific_prices"].sorted() {
			if sp.v["id_cart"] == cart.v["id"] && fakeAtoi(sp.v["id_product"]) == productID && fakeAtoi(sp.v["id_product_attribute"]) == attributeID && sp.v["price"] != "-1" {
				price = int64(math.Round(mustFloat(sp.v["price"]) * 100))
			}
		}
		quantity := fakeAtoi(cartRow["quantity"])
		total += price * quantity
		rows = append(rows, map[string]string{
			"id": strconv.Itoa(i + 1), "product_id": cartRow["id_product"], "product_attribute_id": strconv.FormatInt(attributeID, 10),
			"product_quantity": strconv.FormatInt(quantity, 10), "product_name": product.v["name"], "product_reference": reference,
			"product_price": product.v["price"], "unit_price_tax_incl": fmt.Sprintf("%d.%02d0000", price/100, price%100),
			"unit_price_tax_excl": fmt.Sprintf("%d.%02d0000", price/100, price%100),
		})
		// validateOrder takes the stock (inferred from the notes; it may go below zero).
		stock := f.stockRow(productID, attributeID)
		stock.v["quantity"] = strconv.FormatInt(fakeAtoi(stock.v["quantity"])-quantity, 10)
	}
	var shipping int64
	if carrier.v["is_free"] != "1" {
		shipping = 590 // every paid carrier of the fake costs 5.90
	}
	total += shipping
	state := int64(fakeStateWSPayment)
	if fakeCents(v["total_paid"]) != total {
		state = fakeStatePaymentError
	}
	now := f.tick()
	totalText := fmt.Sprintf("%d.%02d0000", total/100, total%100)
	order := table.insert(map[string]string{
		"reference": fakeReference(int64(len(table.rows) + 1)), "id_cart": cart.v["id"], "id_customer": cart.v["id_customer"],
		"id_address_delivery": cart.v["id_address_delivery"], "id_address_invoice": cart.v["id_address_invoice"],
		"id_currency": cart.v["id_currency"], "id_lang": cart.v["id_lang"], "id_carrier": cart.v["id_carrier"],
		"current_state": "0", "module": v["module"], "payment": v["payment"],
		"total_paid": totalText, "total_paid_real": fakeDecimal(v["total_paid"]), "total_products": totalText, "total_products_wt": totalText,
		"total_shipping": fmt.Sprintf("%d.%02d0000", shipping/100, shipping%100), "conversion_rate": v["conversion_rate"],
		"gift_message": cart.v["gift_message"], "valid": "1", "secure_key": cart.v["secure_key"], "date_add": now, "date_upd": now,
	})
	order.assoc["order_rows"] = rows
	f.tables["order_carriers"].insert(map[string]string{
		"id_order": strconv.FormatInt(order.id, 10), "id_carrier": cart.v["id_carrier"], "id_order_invoice": "0", "weight": "0.000000",
		"shipping_cost_tax_excl": fmt.Sprintf("%d.%02d0000", shipping/100, shipping%100), "shipping_cost_tax_incl": fmt.Sprintf("%d.%02d0000", shipping/100, shipping%100),
		"tracking_number": "", "date_add": now,
	})
	f.changeState(order, state)
	if state == fakeStatePaymentError {
		order.v["valid"] = "0"
	}
	return order, nil
}

func (f *Fake) postOrderHistory(v map[string]string) (*fakeRow, *fakeError) {
	if e := required(v, "id_order", "id_order_state"); e != nil {
		return nil, e
	}
	order, ok := f.tables["orders"].get(fakeAtoi(v["id_order"]))
	if !ok {
		return nil, &fakeError{http.StatusInternalServerError, 46, "Unable to save resource"}
	}
	if err := f.changeState(order, fakeAtoi(v["id_order_state"])); err != nil {
		return nil, invalid("OrderHistory", "id_order_state")
	}
	histories := f.tables["order_histories"].sorted()
	return histories[len(histories)-1], nil
}

// fakeReference makes the nine capital letters PrestaShop gives each order.
func fakeReference(n int64) string {
	var b strings.Builder
	for i := 0; i < 9; i++ {
		b.WriteByte(byte('A' + (n*7+int64(i)*11)%26))
	}
	return b.String()
}

func mustFloat(value string) float64 {
	parsed, _ := strconv.ParseFloat(value, 64)
	return parsed
}
