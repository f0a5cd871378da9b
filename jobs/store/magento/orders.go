package magento

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// findOrderMargin widens FindOrder's search before the first attempt, for clock differences
// between orderhub and the store.
const findOrderMargin = time.Hour

// extOrderID is what orderhub writes in the order's ext_order_id (a 32-character column):
// FindOrder searches on it.
func extOrderID(order *models.Order) string {
	return fmt.Sprintf("orderhub-%d-%d", order.ConnectionID, order.ID)
}

// CreateOrder places the order through the guest-cart checkout, the flow Adobe documents and
// the only one core Magento's REST API offers that checks SKUs and stock and reserves the
// stock as any checkout does:
//
//	POST /guest-carts, POST /guest-carts/{id}/items per SKU, estimate-shipping-methods,
//	shipping-information, PUT /guest-carts/{id}/order.
//
// The cart prices the items from the catalogue and core REST has no custom price on a cart
// item, so the placed order is then corrected to the marketplace's prices and shipping amount
// by saving it through POST /V1/orders, which also writes orderhub's ext_order_id. A comment
// tells the merchant where the order comes from, and an invoice (captured offline) marks it
// paid: the marketplace has the buyer's money. See finish.
//
// The cart calls are never retried after they may have reached the store; the placement's
// answer may be lost, and FindOrder then finds the untagged order and finishes it.
func (c *Client) CreateOrder(ctx context.Context, order *models.Order) (string, error) {
	plan, err := planOrder(order)
	if err != nil {
		return "", err
	}
	var cartID string
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/guest-carts", Out: &cartID}); err != nil {
		return "", err
	}
	if cartID == "" {
		return "", errors.New("magento answered the cart creation without a cart id")
	}
	cartPath := "/guest-carts/" + url.PathEscape(cartID)
	for _, line := range plan.lines {
		item := map[string]wireCartItemIn{"cartItem": {SKU: line.sku, Qty: line.quantity, QuoteID: cartID}}
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: cartPath + "/items", Body: item}); err != nil {
			return "", fmt.Errorf("adding %s × %d to the cart: %w", line.sku, line.quantity, err)
		}
	}
	// Magento collects the shipping rates of an address before it takes a method for it.
	var methods []wireShippingMethod
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: cartPath + "/estimate-shipping-methods",
		Body: map[string]wireAddress{"address": plan.shipping}, Out: &methods}); err != nil {
		return "", err
	}
	var details wirePaymentDetails
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: cartPath + "/shipping-information",
		Body: map[string]wireAddressInformation{"addressInformation": {
			ShippingAddress:     plan.shipping,
			BillingAddress:      plan.billing,
			ShippingCarrierCode: c.cfg.ShippingCarrierCode,
			ShippingMethodCode:  c.cfg.ShippingMethodCode,
		}}, Out: &details}); err != nil {
		return "", err
	}
	if currency := details.Totals.QuoteCurrencyCode; currency != "" && !strings.EqualFold(currency, order.Currency) {
		return "", refusal(http.MethodPost, cartPath+"/shipping-information", fmt.Sprintf(
			"the store view %q sells in %s and the order is in %s: set the connection's store view to one whose currency is %s",
			c.cfg.StoreCode, currency, strings.ToUpper(order.Currency), strings.ToUpper(order.Currency)))
	}
	var placed orderID
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPut, Path: cartPath + "/order",
		Body:  map[string]any{"paymentMethod": map[string]string{"method": c.cfg.PaymentMethod}},
		Out:   &placed,
		Retry: apiclient.Bool(false), // a placed cart is gone: a repeat would fail or mislead
	}); err != nil {
		return "", err
	}
	if err := c.finish(ctx, order, plan, string(placed)); err != nil {
		return "", fmt.Errorf("magento order %s was placed but not completed (it is found and completed on the next attempt): %w", placed, err)
	}
	return string(placed), nil
}

// orderPlan is the order as the store takes it.
type orderPlan struct {
	exponent          int
	shipping, billing wireAddress
	lines             []planLine
}

// planLine is one SKU: Magento merges the lines of one SKU into one cart item.
type planLine struct {
	sku       string
	quantity  int
	lineTotal int64 // the marketplace's price × quantity, summed over the lines of this SKU
}

func (l planLine) unitPrice() int64 {
	if l.quantity == 0 {
		return 0
	}
	return (l.lineTotal + int64(l.quantity)/2) / int64(l.quantity)
}

func planOrder(order *models.Order) (orderPlan, error) {
	if len(order.Currency) != 3 {
		return orderPlan{}, fmt.Errorf("order %d has no ISO 4217 currency (got %q)", order.ID, order.Currency)
	}
	plan := orderPlan{exponent: models.CurrencyExponent(order.Currency)}
	email := firstNonEmpty(order.Shipping.Email, order.Billing.Email)
	if email == "" {
		// A guest order needs an email; marketplaces that hide the buyer's get a placeholder
		// on a reserved domain, so no mail leaves.
		email = "marketplace-order-" + strconv.FormatInt(order.ID, 10) + "@example.invalid"
	}
	billing := order.Billing
	if billing.Street1 == "" && billing.PostalCode == "" {
		// Marketplaces that give no billing address bill the shipping one.
		billing = order.Shipping
	}
	plan.shipping = addressToWire(order.Shipping, email, firstNonEmpty(order.Shipping.Phone, order.Billing.Phone))
	plan.billing = addressToWire(billing, email, firstNonEmpty(billing.Phone, order.Shipping.Phone))
	index := map[string]int{}
	for _, line := range order.Lines {
		if line.SKU == "" || line.Quantity <= 0 {
			return orderPlan{}, fmt.Errorf("order %d has a line without SKU or quantity (%q × %d)", order.ID, line.SKU, line.Quantity)
		}
		i, seen := index[line.SKU]
		if !seen {
			i = len(plan.lines)
			index[line.SKU] = i
			plan.lines = append(plan.lines, planLine{sku: line.SKU})
		}
		plan.lines[i].quantity += line.Quantity
		plan.lines[i].lineTotal += line.UnitPrice * int64(line.Quantity)
	}
	if len(plan.lines) == 0 {
		return orderPlan{}, fmt.Errorf("order %d has no lines", order.ID)
	}
	return plan, nil
}

func addressToWire(a models.Address, email, phone string) wireAddress {
	street := []string{a.Street1}
	if a.Street2 != "" {
		street = append(street, a.Street2)
	}
	return wireAddress{
		Firstname: a.FirstName,
		Lastname:  a.LastName,
		Company:   a.Company,
		Street:    street,
		City:      a.City,
		Postcode:  a.PostalCode,
		CountryID: strings.ToUpper(a.Country),
		Region:    a.State,
		Telephone: phone,
		Email:     email,
	}
}

// finish brings a placed order to what orderhub wants, each step only if it is not done yet,
// so it can run again after any lost answer: the marketplace's prices and orderhub's
// ext_order_id, a comment naming the marketplace order, an invoice (paid), and for an order
// the marketplace shipped from its own warehouse, a shipment (complete).
func (c *Client) finish(ctx context.Context, order *models.Order, plan orderPlan, storeOrderID string) error {
	stored, err := c.order(ctx, storeOrderID)
	if err != nil {
		return err
	}
	edit, changed, err := priceEdit(order, plan, stored)
	if err != nil {
		return err
	}
	if changed {
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/orders", Body: map[string]wireOrderEdit{"entity": edit}}); err != nil {
			return fmt.Errorf("setting the marketplace's prices: %w", err)
		}
	}
	orderPath := "/orders/" + url.PathEscape(storeOrderID)
	note := orderNote(order)
	if !hasComment(stored, note) {
		comment := map[string]any{"statusHistory": map[string]any{
			"comment": note, "is_customer_notified": 0, "is_visible_on_front": 0, "parent_id": stored.EntityID,
		}}
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: orderPath + "/comments", Body: comment}); err != nil {
			return fmt.Errorf("adding the marketplace comment: %w", err)
		}
	}
	invoiced, _ := stored.TotalInvoiced.minor(plan.exponent)
	if invoiced == 0 && stored.State != "canceled" && stored.State != "closed" {
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/order/" + url.PathEscape(storeOrderID) + "/invoice",
			Body: map[string]any{"capture": true, "notify": false}}); err != nil {
			return fmt.Errorf("invoicing: %w", err)
		}
	}
	if order.FulfilledByMarketplace && stored.State != "complete" {
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/order/" + url.PathEscape(storeOrderID) + "/ship",
			Body: map[string]any{"notify": false}}); err != nil {
			return fmt.Errorf("shipping the marketplace-fulfilled order: %w", err)
		}
	}
	return nil
}

// priceEdit builds the save that sets the marketplace's prices and orderhub's id; changed is
// false when the order already has them. Marketplace prices include tax, so they go to both
// the price and price-incl-tax fields.
func priceEdit(order *models.Order, plan orderPlan, stored wireOrder) (wireOrderEdit, bool, error) {
	exp := plan.exponent
	edit := wireOrderEdit{EntityID: stored.EntityID, IncrementID: stored.IncrementID, ExtOrderID: extOrderID(order)}
	changed := stored.ExtOrderID != edit.ExtOrderID
	byID := map[string]planLine{}
	for _, line := range plan.lines {
		byID[line.sku] = line
	}
	var subtotal int64
	for _, item := range stored.Items {
		if item.ParentItemID != 0 {
			continue
		}
		line, ok := byID[item.SKU]
		if !ok {
			return edit, false, fmt.Errorf("magento order %d holds SKU %s, which the marketplace order has not", stored.EntityID, item.SKU)
		}
		unit := money(line.unitPrice(), exp)
		row := money(line.lineTotal, exp)
		if current, _ := item.RowTotalIncl.minor(exp); current != line.lineTotal {
			changed = true
		}
		edit.Items = append(edit.Items, wireOrderItemEdit{
			ItemID: item.ItemID, SKU: item.SKU,
			Price: unit, BasePrice: unit, OriginalPrice: unit, PriceInclTax: unit, BasePriceInclTax: unit,
			RowTotal: row, BaseRowTotal: row, RowTotalInclTax: row,
		})
		subtotal += line.lineTotal
	}
	grand := subtotal + order.ShippingAmount
	if current, _ := stored.GrandTotal.minor(exp); current != grand {
		changed = true
	}
	edit.Subtotal, edit.BaseSubtotal, edit.SubtotalInclTax = money(subtotal, exp), money(subtotal, exp), money(subtotal, exp)
	edit.ShippingAmount, edit.BaseShippingAmount, edit.ShippingInclTax = money(order.ShippingAmount, exp), money(order.ShippingAmount, exp), money(order.ShippingAmount, exp)
	edit.GrandTotal, edit.BaseGrandTotal = money(grand, exp), money(grand, exp)
	return edit, changed, nil
}

// orderNote tells the merchant where the order comes from; FindOrder does not depend on it.
func orderNote(order *models.Order) string {
	reference := order.MarketplaceOrderID
	if order.MarketplaceReference != "" && order.MarketplaceReference != reference {
		reference += " / " + order.MarketplaceReference
	}
	note := fmt.Sprintf("Marketplace order %s, imported by orderhub (order %d, connection %d).", reference, order.ID, order.ConnectionID)
	if order.Test {
		note = "TEST ORDER. " + note
	}
	return note
}

func hasComment(stored wireOrder, note string) bool {
	for _, history := range stored.StatusHistories {
		if history.Comment == note {
			return true
		}
	}
	return false
}

func (c *Client) order(ctx context.Context, storeOrderID string) (wireOrder, error) {
	var stored wireOrder
	if id, err := strconv.ParseInt(storeOrderID, 10, 64); err != nil || id <= 0 {
		return stored, fmt.Errorf("%q is not a Magento order id", storeOrderID)
	}
	_, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/orders/" + storeOrderID, Out: &stored})
	return stored, err
}

// FindOrder returns the store's id of the order orderhub created for order, finishing it if
// an earlier attempt stopped half-way. It searches ext_order_id first. An order whose
// placement answer was lost has no ext_order_id yet: it is recognised among the untagged
// orders created since the first attempt by the buyer's email, shipping address and SKUs
// with quantities.
func (c *Client) FindOrder(ctx context.Context, order *models.Order) (string, error) {
	if order.StoreAttemptAt == nil {
		return "", nil // never attempted: nothing to find
	}
	plan, err := planOrder(order)
	if err != nil {
		return "", err
	}
	tagged, err := c.searchOrders(ctx, searchCriteria{}.and(filter{"ext_order_id", extOrderID(order), "eq"}))
	if err != nil {
		return "", err
	}
	found := ""
	if len(tagged) > 0 {
		found = strconv.FormatInt(tagged[0].EntityID, 10)
	} else {
		untagged, err := c.searchOrders(ctx, searchCriteria{}.and(
			filter{"created_at", formatTime(order.StoreAttemptAt.Add(-findOrderMargin)), "gteq"},
			filter{"ext_order_id", "", "null"},
			filter{"customer_email", plan.billing.Email, "eq"},
		))
		if err != nil {
			return "", err
		}
		for _, candidate := range untagged {
			if samePlacement(plan, candidate) {
				found = strconv.FormatInt(candidate.EntityID, 10)
				break
			}
		}
	}
	if found == "" {
		return "", nil
	}
	if err := c.finish(ctx, order, plan, found); err != nil {
		return "", fmt.Errorf("completing magento order %s: %w", found, err)
	}
	return found, nil
}

// samePlacement tells whether an untagged order is the one placed for plan: same shipping
// name and postcode, same SKUs and quantities.
func samePlacement(plan orderPlan, candidate wireOrder) bool {
	address := candidate.shippingAddress()
	if !strings.EqualFold(address.Lastname, plan.shipping.Lastname) || !strings.EqualFold(address.Postcode, plan.shipping.Postcode) {
		return false
	}
	want := map[string]int{}
	for _, line := range plan.lines {
		want[line.sku] = line.quantity
	}
	got := map[string]int{}
	for _, item := range candidate.Items {
		if item.ParentItemID == 0 {
			got[item.SKU] += item.QtyOrdered.whole()
		}
	}
	if len(got) != len(want) {
		return false
	}
	for sku, quantity := range want {
		if got[sku] != quantity {
			return false
		}
	}
	return true
}

// searchOrders reads every order matching sc, oldest first.
func (c *Client) searchOrders(ctx context.Context, sc searchCriteria) ([]wireOrder, error) {
	sc.Sort = []sortOrder{{"entity_id", "ASC"}}
	sc.PageSize = c.pageSize
	var all []wireOrder
	for page := 1; ; page++ {
		sc.CurrentPage = page
		var list wireList[wireOrder]
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/orders", Query: sc.values(), Out: &list}); err != nil {
			return nil, err
		}
		all = append(all, list.Items...)
		if page*c.pageSize >= list.TotalCount || len(list.Items) == 0 {
			break
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].EntityID < all[j].EntityID })
	return all, nil
}

// CancelOrder cancels the order. Magento cancels only what is not invoiced, and orderhub's
// orders are invoiced when created, so a refused cancel is followed by an offline credit memo
// for everything, which closes the order and releases what was not shipped.
func (c *Client) CancelOrder(ctx context.Context, storeOrderID string) error {
	stored, err := c.order(ctx, storeOrderID)
	if err != nil {
		return err
	}
	if stored.State == "canceled" || stored.State == "closed" {
		return nil
	}
	var cancelled bool
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/orders/" + storeOrderID + "/cancel", Out: &cancelled}); err != nil {
		return err
	}
	if cancelled {
		return nil
	}
	if stored, err = c.order(ctx, storeOrderID); err != nil {
		return err
	}
	if stored.State == "canceled" || stored.State == "closed" {
		return nil
	}
	_, err = c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/order/" + storeOrderID + "/refund",
		Body: map[string]any{"notify": false}})
	if err != nil {
		return fmt.Errorf("magento would not cancel order %s, and refunding it failed: %w", storeOrderID, err)
	}
	return nil
}

// refusal is a refusal orderhub finds in a store's answer: permanent, with words to act on.
func refusal(method, path, message string) error {
	return &apiclient.Error{Method: method, URL: path, Status: http.StatusUnprocessableEntity, Message: message}
}
