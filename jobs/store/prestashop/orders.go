package prestashop

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// The marker orderhub writes in the cart's gift_message, which PrestaShop copies onto the
// order. PrestaShop orders carry no free metadata, and the marker must be in the store before
// the order POST (whose answer may be lost), so the cart, created first, holds it: FindOrder
// searches carts by it, then the order of that cart.
func orderMarker(order *models.Order) string {
	return fmt.Sprintf("orderhub:%d:%d", order.ID, order.ConnectionID)
}

const markerPrefix = "orderhub:"

// orderLine is one cart row: a line resolved to the shop's product or combination.
type orderLine struct {
	sku         string
	productID   int64
	attributeID int64
	taxGroup    int64
	quantity    int
	unitPrice   int64 // tax included, the marketplace's
}

// CreateOrder creates the order through the webservice chain: customer (found by e-mail or
// created as a guest), delivery and invoice addresses, a cart holding orderhub's marker and
// the lines, one cart-bound specific price per line so that PrestaShop charges the
// marketplace's price instead of its catalogue's, then the order through the configured
// payment module. PrestaShop computes the shipping from the configured carrier, so the
// marketplace's shipping amount cannot be charged; the payment label records it. Unknown
// references and missing stock are refused before anything is written.
func (c *Client) CreateOrder(ctx context.Context, order *models.Order) (string, error) {
	if len(order.Currency) != 3 {
		return "", fmt.Errorf("order %d has no ISO 4217 currency (got %q)", order.ID, order.Currency)
	}
	if len(order.Lines) == 0 {
		return "", fmt.Errorf("order %d has no lines", order.ID)
	}
	lines, err := c.resolveLines(ctx, order)
	if err != nil {
		return "", err
	}
	currencyID, err := c.currencyID(ctx, order.Currency)
	if err != nil {
		return "", err
	}
	billing := order.Billing
	if billing.Street1 == "" && billing.PostalCode == "" {
		// Marketplaces that give no billing address bill the shipping one.
		billing = order.Shipping
	}
	customerID, err := c.customerFor(ctx, order, billing)
	if err != nil {
		return "", err
	}
	deliveryCountry, err := c.country(ctx, order.Shipping.Country)
	if err != nil {
		return "", err
	}
	deliveryID, err := c.createAddress(ctx, customerID, deliveryCountry, order.Shipping, order.Shipping.Phone, "Marketplace delivery")
	if err != nil {
		return "", err
	}
	invoiceID := deliveryID
	if billing != order.Shipping {
		invoiceCountry, err := c.country(ctx, billing.Country)
		if err != nil {
			return "", err
		}
		phone := firstNonEmpty(billing.Phone, order.Shipping.Phone)
		if invoiceID, err = c.createAddress(ctx, customerID, invoiceCountry, billing, phone, "Marketplace invoice"); err != nil {
			return "", err
		}
	}

	cart := xmlCart{
		IDCurrency:        currencyID,
		IDLang:            c.cfg.LanguageID,
		IDCustomer:        customerID,
		IDAddressDelivery: deliveryID,
		IDAddressInvoice:  invoiceID,
		IDCarrier:         c.cfg.CarrierID,
		GiftMessage:       orderMarker(order),
	}
	for _, line := range lines {
		cart.Rows = append(cart.Rows, xmlCartRow{IDProduct: line.productID, IDProductAttribute: line.attributeID, IDAddressDelivery: deliveryID, Quantity: line.quantity})
	}
	cartID, err := c.create(ctx, "carts", "cart", cart, true, nil)
	if err != nil {
		return "", err
	}

	exponent := models.CurrencyExponent(order.Currency)
	var totalIncl int64
	var totalExcl float64
	rates := map[int64]float64{}
	for _, line := range lines {
		rate, ok := rates[line.taxGroup]
		if !ok {
			if rate, err = c.taxRate(ctx, line.taxGroup, deliveryCountry.ID.Value); err != nil {
				return "", err
			}
			rates[line.taxGroup] = rate
		}
		priceExcl := taxExcluded(line.unitPrice, exponent, rate)
		if _, err := c.create(ctx, "specific_prices", "specific_price", xmlSpecificPrice{
			IDCart: cartID, IDProduct: line.productID, IDProductAttribute: line.attributeID,
			Price: priceExcl, FromQuantity: 1, Reduction: "0", ReductionTax: 1, ReductionType: "amount",
			From: "0000-00-00 00:00:00", To: "0000-00-00 00:00:00",
		}, true, nil); err != nil {
			return "", err
		}
		totalIncl += line.unitPrice * int64(line.quantity)
		excl, _ := strconv.ParseFloat(priceExcl, 64)
		totalExcl += excl * float64(line.quantity)
	}

	reference := order.MarketplaceOrderID
	if order.MarketplaceReference != "" && order.MarketplaceReference != reference {
		reference += " / " + order.MarketplaceReference
	}
	payment := "Marketplace order " + reference
	if order.ShippingAmount != 0 {
		payment += fmt.Sprintf(" (marketplace shipping %s %s not in the store total)", models.FormatDecimal(order.ShippingAmount, exponent), strings.ToUpper(order.Currency))
	}
	// total_paid must equal what PrestaShop computes for the cart (lines at the marketplace's
	// prices, the free carrier), or the order lands in "Payment error".
	paid := models.FormatDecimal(totalIncl, exponent)
	created, err := c.create(ctx, "orders", "order", xmlOrder{
		IDAddressDelivery: deliveryID,
		IDAddressInvoice:  invoiceID,
		IDCart:            cartID,
		IDCurrency:        currencyID,
		IDLang:            c.cfg.LanguageID,
		IDCustomer:        customerID,
		IDCarrier:         c.cfg.CarrierID,
		Module:            c.cfg.PaymentModule,
		Payment:           clipText(sanitizeGeneric(payment), 255),
		TotalPaid:         paid,
		TotalPaidReal:     paid,
		TotalProducts:     strconv.FormatFloat(totalExcl, 'f', 6, 64),
		TotalProductsWt:   paid,
		TotalShipping:     "0.00",
		ConversionRate:    "1.000000",
	}, false, nil)
	if err != nil {
		return "", c.orderRefusal(err)
	}
	if order.FulfilledByMarketplace {
		// Nothing left to ship: the order goes straight to the fulfilled state. Should this
		// call fail, the order stays "Remote payment accepted" for the merchant to close.
		_ = c.setState(ctx, created, c.cfg.FulfilledState)
	}
	return strconv.FormatInt(created, 10), nil
}

// orderRefusal makes the order POST's module failures permanent: PrestaShop answers them
// with a 500 although trying again cannot help.
func (c *Client) orderRefusal(err error) error {
	apiErr, ok := err.(*apiclient.Error)
	if !ok || apiErr.Status != http.StatusInternalServerError {
		return err
	}
	message := strings.ToLower(apiErr.Message)
	if strings.Contains(message, "module") || strings.Contains(message, "cart cannot be loaded") {
		refused := *apiErr
		refused.Status = http.StatusUnprocessableEntity
		refused.Message = fmt.Sprintf("%s (PrestaShop answered 500; check the payment module %q is installed and enabled)", apiErr.Message, c.cfg.PaymentModule)
		return &refused
	}
	return err
}

// refusal is a permanent error for what the store's own data refuses (an unknown reference,
// missing stock): the engine blocks the order with its message.
func refusal(path string, status int, code, message string) error {
	return &apiclient.Error{Method: http.MethodGet, URL: apiPath + path, Status: status, Code: code, Message: message}
}

// resolveLines finds each line's product or combination by reference and checks its stock.
// Lines naming the same item are merged: a cart holds one row per item.
func (c *Client) resolveLines(ctx context.Context, order *models.Order) ([]orderLine, error) {
	var lines []orderLine
	index := map[string]int{}
	for _, line := range order.Lines {
		if i, ok := index[line.SKU]; ok {
			lines[i].quantity += line.Quantity
			continue
		}
		if line.Quantity <= 0 {
			return nil, fmt.Errorf("order %d: line %q has quantity %d", order.ID, line.SKU, line.Quantity)
		}
		resolved, err := c.resolveSKU(ctx, line.SKU)
		if err != nil {
			return nil, err
		}
		resolved.quantity, resolved.unitPrice = line.Quantity, line.UnitPrice
		index[line.SKU] = len(lines)
		lines = append(lines, resolved)
	}
	if order.SkipStockCheck {
		return lines, nil
	}
	for _, line := range lines {
		var stocks []wireStockAvailable
		if err := c.list(ctx, "stock_availables", url.Values{
			"display":                      {"[id,id_product,id_product_attribute,quantity,out_of_stock]"},
			"filter[id_product]":           {idsFilter([]int64{line.productID})},
			"filter[id_product_attribute]": {idsFilter([]int64{line.attributeID})},
		}, &stocks); err != nil {
			return nil, err
		}
		// Without a stock row PrestaShop counts nothing; 1 accepts orders beyond the stock.
		if len(stocks) == 0 || stocks[0].OutOfStock.Value == 1 {
			continue
		}
		if available := stocks[0].Quantity.Value; available < int64(line.quantity) {
			return nil, refusal("/stock_availables", http.StatusConflict, "out_of_stock",
				fmt.Sprintf("PrestaShop has %d of reference %q in stock, the order needs %d, and the product does not accept orders when out of stock", available, line.sku, line.quantity))
		}
	}
	return lines, nil
}

// resolveSKU finds the product whose reference is sku, or else the combination.
func (c *Client) resolveSKU(ctx context.Context, sku string) (orderLine, error) {
	filter, err := filterValue(sku)
	if err != nil {
		return orderLine{}, refusal("/products", http.StatusNotFound, "unknown_product", err.Error())
	}
	line := orderLine{sku: sku}
	var products []wireProduct
	if err := c.list(ctx, "products", url.Values{"display": {productFields}, "filter[reference]": {filter}}, &products); err != nil {
		return line, err
	}
	if len(products) == 0 {
		var combinations []wireCombination
		if err := c.list(ctx, "combinations", url.Values{"display": {"[id,id_product,reference]"}, "filter[reference]": {filter}}, &combinations); err != nil {
			return line, err
		}
		if len(combinations) == 0 {
			return line, refusal("/products", http.StatusNotFound, "unknown_product",
				fmt.Sprintf("PrestaShop has no product or combination with reference %q", sku))
		}
		line.attributeID = combinations[0].ID.Value
		if err := c.list(ctx, "products", url.Values{"display": {productFields}, "filter[id]": {idsFilter([]int64{combinations[0].IDProduct.Value})}}, &products); err != nil {
			return line, err
		}
		if len(products) == 0 {
			return line, refusal("/products", http.StatusNotFound, "unknown_product",
				fmt.Sprintf("PrestaShop's combination with reference %q belongs to no product", sku))
		}
	}
	product := products[0]
	if product.Active != "1" || product.AvailableForOrder == "0" {
		return line, refusal("/products", http.StatusNotFound, "unknown_product",
			fmt.Sprintf("PrestaShop's product with reference %q is disabled or not available for order", sku))
	}
	line.productID, line.taxGroup = product.ID.Value, product.IDTaxRulesGroup.Value
	return line, nil
}

func (c *Client) currencyID(ctx context.Context, code string) (int64, error) {
	var currencies []struct {
		ID     flexInt    `json:"id"`
		Active flexString `json:"active"`
	}
	code = strings.ToUpper(code)
	if err := c.list(ctx, "currencies", url.Values{"display": {"[id,iso_code,active]"}, "filter[iso_code]": {"[" + code + "]"}}, &currencies); err != nil {
		return 0, err
	}
	if len(currencies) == 0 || currencies[0].Active == "0" {
		return 0, refusal("/currencies", http.StatusNotFound, "unknown_currency",
			fmt.Sprintf("the currency %s is not enabled in PrestaShop (International > Localization > Currencies)", code))
	}
	return currencies[0].ID.Value, nil
}

func (c *Client) country(ctx context.Context, iso string) (wireCountry, error) {
	iso = strings.ToUpper(strings.TrimSpace(iso))
	var countries []wireCountry
	if len(iso) == 2 {
		if err := c.list(ctx, "countries", url.Values{"display": {"[id,iso_code,contains_states]"}, "filter[iso_code]": {"[" + iso + "]"}}, &countries); err != nil {
			return wireCountry{}, err
		}
	}
	if len(countries) == 0 {
		return wireCountry{}, refusal("/countries", http.StatusNotFound, "unknown_country",
			fmt.Sprintf("PrestaShop has no country with ISO code %q", iso))
	}
	return countries[0], nil
}

// customerFor finds the buyer's customer by e-mail, or creates a guest. Marketplaces that hide
// the buyer's address get one built from the order id, since PrestaShop requires an e-mail.
func (c *Client) customerFor(ctx context.Context, order *models.Order, billing models.Address) (int64, error) {
	email := strings.TrimSpace(firstNonEmpty(billing.Email, order.Billing.Email, order.Shipping.Email))
	if email == "" || strings.ContainsAny(email, "[]|,% ") {
		email = "marketplace-" + sanitizeLocalPart(order.MarketplaceOrderID) + "@orderhub.invalid"
	}
	var customers []wireID
	if err := c.list(ctx, "customers", url.Values{"display": {"[id]"}, "filter[email]": {"[" + email + "]"}, "sort": {"[id_ASC]"}}, &customers); err != nil {
		return 0, err
	}
	if len(customers) > 0 {
		return customers[0].ID.Value, nil
	}
	return c.create(ctx, "customers", "customer", xmlCustomer{
		Passwd:    randomPassword(),
		Lastname:  personName(billing.LastName),
		Firstname: personName(billing.FirstName),
		Email:     email,
		IsGuest:   1,
		Active:    1,
		IDLang:    c.cfg.LanguageID,
	}, true, nil)
}

func (c *Client) createAddress(ctx context.Context, customerID int64, country wireCountry, a models.Address, phone, alias string) (int64, error) {
	var stateID int64
	if country.ContainsState == "1" && a.State != "" {
		var states []wireID
		if err := c.list(ctx, "states", url.Values{
			"display":            {"[id]"},
			"filter[iso_code]":   {"[" + strings.ToUpper(sanitizeLocalPart(a.State)) + "]"},
			"filter[id_country]": {idsFilter([]int64{country.ID.Value})},
		}, &states); err != nil {
			return 0, err
		}
		if len(states) > 0 {
			stateID = states[0].ID.Value
		}
	}
	return c.create(ctx, "addresses", "address", xmlAddress{
		IDCustomer: customerID,
		IDCountry:  country.ID.Value,
		IDState:    stateID,
		Alias:      alias,
		Company:    clipText(sanitizeGeneric(a.Company), 255),
		Lastname:   personName(a.LastName),
		Firstname:  personName(a.FirstName),
		Address1:   clipText(sanitizeGeneric(a.Street1), 128),
		Address2:   clipText(sanitizeGeneric(a.Street2), 128),
		Postcode:   clipText(strings.TrimSpace(a.PostalCode), 12),
		City:       clipText(sanitizeGeneric(a.City), 64),
		Phone:      clipText(sanitizePhone(phone), 32),
	}, true, nil)
}

// taxRate returns the rate, in percent, of a tax rules group in a country; 0 for none.
func (c *Client) taxRate(ctx context.Context, group, countryID int64) (float64, error) {
	if group == 0 {
		return 0, nil
	}
	var rules []wireTaxRule
	if err := c.list(ctx, "tax_rules", url.Values{
		"display":                    {"[id,id_tax]"},
		"filter[id_tax_rules_group]": {idsFilter([]int64{group})},
		"filter[id_country]":         {idsFilter([]int64{countryID})},
	}, &rules); err != nil {
		return 0, err
	}
	if len(rules) == 0 || rules[0].IDTax.Value == 0 {
		return 0, nil
	}
	var tax wireTax
	if err := c.get(ctx, "taxes", "tax", rules[0].IDTax.Value, &tax); err != nil {
		return 0, err
	}
	rate, err := strconv.ParseFloat(string(tax.Rate), 64)
	if err != nil {
		return 0, fmt.Errorf("prestashop tax %d has rate %q", rules[0].IDTax.Value, tax.Rate)
	}
	return rate, nil
}

// FindOrder looks for the order orderhub created for order: the carts holding its marker,
// then the order of one of them. A cart left without an order by a failed attempt is ignored.
func (c *Client) FindOrder(ctx context.Context, order *models.Order) (string, error) {
	if order.StoreAttemptAt == nil {
		return "", nil
	}
	var carts []wireCart
	if err := c.list(ctx, "carts", url.Values{"display": {"[id]"}, "filter[gift_message]": {"[" + orderMarker(order) + "]"}}, &carts); err != nil {
		return "", err
	}
	if len(carts) == 0 {
		return "", nil
	}
	ids := make([]int64, len(carts))
	for i, cart := range carts {
		ids[i] = cart.ID.Value
	}
	var orders []wireOrder
	if err := c.list(ctx, "orders", url.Values{"display": {"[id,id_cart]"}, "filter[id_cart]": {idsFilter(ids)}, "sort": {"[id_ASC]"}}, &orders); err != nil {
		return "", err
	}
	if len(orders) == 0 {
		return "", nil
	}
	return strconv.FormatInt(orders[0].ID.Value, 10), nil
}

// CancelOrder moves the order to the cancelled state (PrestaShop puts the stock back). An order
// already in a cancelled state is left alone: a second history row would send a second mail.
func (c *Client) CancelOrder(ctx context.Context, storeOrderID string) error {
	id, err := strconv.ParseInt(storeOrderID, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%q is not a PrestaShop order id", storeOrderID)
	}
	var current wireOrder
	if err := c.get(ctx, "orders", "order", id, &current); err != nil {
		return err
	}
	for _, state := range c.cfg.CancelledStates {
		if current.CurrentState.Value == state {
			return nil
		}
	}
	return c.setState(ctx, id, c.cfg.CancelledStates[0])
}

// setState adds an order_histories row, which moves the order's current_state.
func (c *Client) setState(ctx context.Context, orderID, state int64) error {
	_, err := c.create(ctx, "order_histories", "order_history", xmlOrderHistory{IDOrder: orderID, IDOrderState: state}, false, nil)
	return err
}

func randomPassword() string {
	random := make([]byte, 16)
	rand.Read(random)
	return hex.EncodeToString(random)
}

// personName keeps what PrestaShop's isCustomerName accepts (no digits nor !<>,;?=+()@#"°{}_$%:)
// and never leaves it empty, since names are required.
func personName(name string) string {
	cleaned := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || strings.ContainsRune("!<>,;?=+()@#\"°{}_$%:/\\*^[]|&~", r) {
			return -1
		}
		return r
	}, name)
	cleaned = clipText(strings.Join(strings.Fields(cleaned), " "), 255)
	if cleaned == "" {
		return "Marketplace"
	}
	return cleaned
}

// sanitizeGeneric removes what isGenericName and isAddress refuse (<>={}).
func sanitizeGeneric(text string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if strings.ContainsRune("<>={}", r) {
			return -1
		}
		return r
	}, text))
}

func sanitizePhone(phone string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || strings.ContainsRune("+-. ()/", r) {
			return r
		}
		return -1
	}, phone)
}

func sanitizeLocalPart(text string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '.' {
			return r
		}
		return '-'
	}, text)
}

func clipText(text string, limit int) string {
	runes := []rune(text)
	if len(runes) > limit {
		return string(runes[:limit])
	}
	return text
}

func firstNonEmpty(values ...string) string {
	for _, value := range values {
		if value != "" {
			return value
		}
	}
	return ""
}
