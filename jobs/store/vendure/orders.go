package vendure

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Orders orderhub creates carry two Order custom fields (declared in the Vendure config, see
// NOTES.md): externalOrderId, the marketplace's order id, which merchants search by, and
// externalChannel, orderhub's marker "orderhub:<connection id>:<orderhub order id>", which
// makes the lookup exact and tells orderhub's orders from others.
const markerPrefix = "orderhub:"

func orderMarker(order *models.Order) string {
	return fmt.Sprintf("%s%d:%d", markerPrefix, order.ConnectionID, order.ID)
}

// parseMarker reads back orderhub's order id from externalChannel.
func parseMarker(value string) (connectionID, orderID int64, ok bool) {
	rest, found := strings.CutPrefix(value, markerPrefix)
	if !found {
		return 0, 0, false
	}
	connection, order, found := strings.Cut(rest, ":")
	if !found {
		return 0, 0, false
	}
	c, err1 := strconv.ParseInt(connection, 10, 64)
	o, err2 := strconv.ParseInt(order, 10, 64)
	return c, o, err1 == nil && err2 == nil
}

const findOrderQuery = `query($o:OrderListOptions){ orders(options:$o){ totalItems items{ id code state customFields{ externalChannel externalOrderId } } } }`

// existingOrder looks up the order orderhub made for order, in any state.
func (c *Client) existingOrder(ctx context.Context, order *models.Order) (*wireOrder, error) {
	var data struct {
		Orders wireOrderList `json:"orders"`
	}
	options := map[string]any{
		"filter": map[string]any{
			"externalOrderId": map[string]any{"eq": order.MarketplaceOrderID},
			"externalChannel": map[string]any{"eq": orderMarker(order)},
		},
		"sort": map[string]any{"id": "ASC"},
		"take": 10,
	}
	if err := c.query(ctx, findOrderQuery, map[string]any{"o": options}, &data); err != nil {
		return nil, err
	}
	// A finished order wins over leftovers of an interrupted attempt.
	var found *wireOrder
	for i, item := range data.Orders.Items {
		if found == nil || (unfinished(found.State) && !unfinished(item.State)) {
			found = &data.Orders.Items[i]
		}
	}
	return found, nil
}

// unfinished: the creation chain stopped before the payment, the last step.
func unfinished(state string) bool { return state == "Draft" || state == "ArrangingPayment" }

// awaitsMarketplaceFulfilment: an order the marketplace shipped itself was paid but its
// fulfilment, the chain's last step for such orders, was not recorded.
func awaitsMarketplaceFulfilment(order *models.Order, state string) bool {
	return order.FulfilledByMarketplace && state == "PaymentSettled"
}

// FindOrder returns the store's id of the order orderhub created for order, or "". An order
// left in Draft or ArrangingPayment by an interrupted create is not a created order:
// CreateOrder finishes or replaces it.
func (c *Client) FindOrder(ctx context.Context, order *models.Order) (string, error) {
	if order.StoreAttemptAt == nil {
		return "", nil
	}
	found, err := c.existingOrder(ctx, order)
	if err != nil || found == nil || unfinished(found.State) || awaitsMarketplaceFulfilment(order, found.State) {
		return "", err
	}
	return found.ID, nil
}

// CreateOrder creates the order the way an administrator does by hand: a draft order with the
// variants, customer, addresses and shipping method, moved to ArrangingPayment and paid by a
// manual payment (the marketplace took the money). Vendure prices lines from its catalogue
// and shipping from the shipping method's calculator; the Admin API has no way to set another
// price on a draft line, so where the marketplace's prices differ, a private note on the order
// lists both. The payment is recorded for Vendure's total (the manual payment takes no amount).
func (c *Client) CreateOrder(ctx context.Context, order *models.Order) (string, error) {
	if c.configErr != nil {
		return "", c.configErr
	}
	if len(order.Lines) == 0 {
		return "", errors.New("the order has no lines")
	}
	variants, err := c.resolveVariants(ctx, order)
	if err != nil {
		return "", err
	}
	existing, err := c.existingOrder(ctx, order)
	if err != nil {
		return "", err
	}
	if existing != nil {
		switch existing.State {
		case "Draft":
			// An earlier attempt stopped half-way: start again from a clean draft.
			if err := c.deleteDraft(ctx, existing.ID); err != nil {
				return "", err
			}
		case "ArrangingPayment":
			return existing.ID, c.finish(ctx, existing.ID, order)
		case "PaymentSettled":
			if order.FulfilledByMarketplace {
				return existing.ID, c.fulfilByMarketplace(ctx, existing.ID)
			}
			return existing.ID, nil
		default:
			return existing.ID, nil
		}
	}
	var created struct {
		CreateDraftOrder struct {
			ID string `json:"id"`
		} `json:"createDraftOrder"`
	}
	if err := c.mutate(ctx, `mutation{ createDraftOrder{ id code state } }`, nil, &created); err != nil {
		return "", err
	}
	id := created.CreateDraftOrder.ID
	if id == "" {
		return "", errors.New("vendure answered createDraftOrder without an order id")
	}
	if err := c.fillDraft(ctx, id, order, variants); err != nil {
		if apiclient.IsPermanent(err) {
			// Refused: leave nothing behind. A temporary failure keeps the draft for the
			// next attempt to replace.
			_ = c.deleteDraft(ctx, id)
		}
		return "", err
	}
	return id, c.finish(ctx, id, order)
}

const variantBySKUQuery = `query($sku:String!){ productVariants(options:{filter:{sku:{eq:$sku}}}){ totalItems items{ ` + variantFields + ` } } }`

// resolveVariants finds each line's variant by SKU before anything is created. A SKU Vendure
// does not know, or a variant priced in another currency, is a refusal.
func (c *Client) resolveVariants(ctx context.Context, order *models.Order) (map[string]wireVariant, error) {
	variants := map[string]wireVariant{}
	for _, line := range order.Lines {
		if _, done := variants[line.SKU]; done {
			continue
		}
		var data struct {
			ProductVariants struct {
				Items []wireVariant `json:"items"`
			} `json:"productVariants"`
		}
		if err := c.query(ctx, variantBySKUQuery, map[string]any{"sku": line.SKU}, &data); err != nil {
			return nil, err
		}
		var match *wireVariant
		for i, item := range data.ProductVariants.Items {
			if item.SKU == line.SKU {
				match = &data.ProductVariants.Items[i]
				break
			}
		}
		if match == nil {
			return nil, c.refusal("UNKNOWN_SKU", fmt.Sprintf("no product variant with SKU %q in the Vendure channel", line.SKU))
		}
		if !match.Enabled || !match.Product.Enabled {
			// Vendure would answer ENTITY_NOT_FOUND for it when adding it to the draft.
			return nil, c.refusal("VARIANT_DISABLED", fmt.Sprintf("the product variant with SKU %q is disabled in Vendure", line.SKU))
		}
		if order.Currency != "" && match.CurrencyCode != "" && !strings.EqualFold(match.CurrencyCode, order.Currency) {
			return nil, c.refusal("CURRENCY_MISMATCH", fmt.Sprintf("the Vendure channel sells %s in %s, the order is in %s", line.SKU, match.CurrencyCode, order.Currency))
		}
		variants[line.SKU] = *match
	}
	return variants, nil
}

func (c *Client) refusal(code, message string) error {
	return &apiclient.Error{Method: http.MethodPost, URL: c.cfg.BaseURL, Status: http.StatusOK, Code: code, Message: message}
}

// The draft order's mutations, in the order fillDraft calls them (shapes as in the e2e transcript).
const (
	setCustomFieldsMutation   = `mutation($id:ID!,$i:UpdateOrderInput!){ setDraftOrderCustomFields(orderId:$id,input:$i){ id customFields{ externalChannel externalOrderId } } }`
	addItemMutation           = `mutation($id:ID!,$i:AddItemToDraftOrderInput!){ addItemToDraftOrder(orderId:$id,input:$i){ ... on Order{ id lines{ id quantity unitPriceWithTax productVariant{ sku } } } ... on ErrorResult{ errorCode message } } }`
	setCustomerMutation       = `mutation($id:ID!,$i:CreateCustomerInput){ setCustomerForDraftOrder(orderId:$id,input:$i){ ... on Order{ id customer{ id emailAddress } } ... on ErrorResult{ errorCode message } } }`
	setShippingAddrMutation   = `mutation($id:ID!,$i:CreateAddressInput!){ setDraftOrderShippingAddress(orderId:$id,input:$i){ id } }`
	setBillingAddrMutation    = `mutation($id:ID!,$i:CreateAddressInput!){ setDraftOrderBillingAddress(orderId:$id,input:$i){ id } }`
	eligibleShippingQuery     = `query($id:ID!){ eligibleShippingMethodsForDraftOrder(orderId:$id){ id code name priceWithTax } }`
	setShippingMethodMutation = `mutation($id:ID!,$sm:ID!){ setDraftOrderShippingMethod(orderId:$id,shippingMethodId:$sm){ ... on Order{ id shippingWithTax totalWithTax } ... on ErrorResult{ errorCode message } } }`
	addNoteMutation           = `mutation($i:AddNoteToOrderInput!){ addNoteToOrder(input:$i){ id } }`
	toArrangingPayment        = `mutation($id:ID!){ transitionOrderToState(id:$id,state:"ArrangingPayment"){ ... on Order{ id state } ... on OrderStateTransitionError{ errorCode message transitionError } } }`
	addPaymentMutation        = `mutation($i:ManualPaymentInput!){ addManualPaymentToOrder(input:$i){ ... on Order{ id code state totalWithTax payments{ id method amount state transactionId } lines{ id quantity } } ... on ErrorResult{ errorCode message } } }`
	deleteDraftMutation       = `mutation($id:ID!){ deleteDraftOrder(orderId:$id){ result message } }`
	addFulfillmentMutation    = `mutation($i:FulfillOrderInput!){ addFulfillmentToOrder(input:$i){ ... on Fulfillment{ id state method trackingCode } ... on ErrorResult{ errorCode message } } }`
	transitionFulfillment     = `mutation($id:ID!,$s:String!){ transitionFulfillmentToState(id:$id,state:$s){ ... on Fulfillment{ id state } ... on ErrorResult{ errorCode message } } }`
	cancelOrderMutation       = `mutation($i:CancelOrderInput!){ cancelOrder(input:$i){ ... on Order{ id state } ... on OrderStateTransitionError{ transitionError } ... on ErrorResult{ errorCode message } } }`
	orderStateQuery           = `query($id:ID!){ order(id:$id){ id state lines{ id quantity } } }`
)

type wireLine struct {
	ID               string `json:"id"`
	Quantity         int    `json:"quantity"`
	UnitPriceWithTax int64  `json:"unitPriceWithTax"`
	ProductVariant   struct {
		SKU string `json:"sku"`
	} `json:"productVariant"`
}

// fillDraft runs every step up to ArrangingPayment.
func (c *Client) fillDraft(ctx context.Context, id string, order *models.Order, variants map[string]wireVariant) error {
	fields := map[string]any{"id": id, "customFields": map[string]any{"externalChannel": orderMarker(order), "externalOrderId": order.MarketplaceOrderID}}
	if err := c.mutate(ctx, setCustomFieldsMutation, map[string]any{"id": id, "i": fields}, nil); err != nil {
		return err
	}
	var lines []wireLine
	for _, line := range order.Lines {
		var data struct {
			AddItemToDraftOrder struct {
				errorResult
				Lines []wireLine `json:"lines"`
			} `json:"addItemToDraftOrder"`
		}
		input := map[string]any{"productVariantId": variants[line.SKU].ID, "quantity": line.Quantity}
		if c.cfg.MarketplacePrices {
			input["customFields"] = map[string]any{"marketplaceUnitPrice": line.UnitPrice}
		}
		if err := c.mutate(ctx, addItemMutation, map[string]any{"id": id, "i": input}, &data); err != nil {
			return fmt.Errorf("SKU %s: %w", line.SKU, err)
		}
		if result := data.AddItemToDraftOrder.errorResult; result.ErrorCode != "" {
			result.Message = fmt.Sprintf("SKU %s: %s", line.SKU, result.Message)
			return result.apiError(c.cfg.BaseURL)
		}
		lines = data.AddItemToDraftOrder.Lines
	}
	var customer struct {
		SetCustomerForDraftOrder errorResult `json:"setCustomerForDraftOrder"`
	}
	if err := c.mutate(ctx, setCustomerMutation, map[string]any{"id": id, "i": customerInput(order)}, &customer); err != nil {
		return err
	}
	if result := customer.SetCustomerForDraftOrder; result.ErrorCode != "" {
		return result.apiError(c.cfg.BaseURL)
	}
	billing := order.Billing
	if billing.Street1 == "" && billing.PostalCode == "" {
		billing = order.Shipping // marketplaces that give no billing address bill the shipping one
	}
	if err := c.mutate(ctx, setShippingAddrMutation, map[string]any{"id": id, "i": addressInput(order.Shipping)}, nil); err != nil {
		return err
	}
	if err := c.mutate(ctx, setBillingAddrMutation, map[string]any{"id": id, "i": addressInput(billing)}, nil); err != nil {
		return err
	}
	shippingWithTax, totalWithTax, err := c.setShippingMethod(ctx, id)
	if err != nil {
		return err
	}
	if note := priceNote(order, lines, shippingWithTax, totalWithTax); note != "" {
		input := map[string]any{"id": id, "note": note, "isPublic": false}
		if err := c.mutate(ctx, addNoteMutation, map[string]any{"i": input}, nil); err != nil {
			return err
		}
	}
	var moved struct {
		TransitionOrderToState errorResult `json:"transitionOrderToState"`
	}
	if err := c.mutate(ctx, toArrangingPayment, map[string]any{"id": id}, &moved); err != nil {
		return err
	}
	if result := moved.TransitionOrderToState; result.ErrorCode != "" {
		return result.apiError(c.cfg.BaseURL)
	}
	return nil
}

// setShippingMethod picks the configured method among those Vendure offers for the draft.
func (c *Client) setShippingMethod(ctx context.Context, id string) (shippingWithTax, totalWithTax int64, err error) {
	var eligible struct {
		Methods []struct {
			ID   string `json:"id"`
			Code string `json:"code"`
		} `json:"eligibleShippingMethodsForDraftOrder"`
	}
	if err := c.query(ctx, eligibleShippingQuery, map[string]any{"id": id}, &eligible); err != nil {
		return 0, 0, err
	}
	methodID := ""
	var offered []string
	for _, method := range eligible.Methods {
		offered = append(offered, method.Code)
		if method.Code == c.cfg.ShippingMethodCode {
			methodID = method.ID
		}
	}
	if methodID == "" {
		return 0, 0, c.refusal("SHIPPING_METHOD_NOT_ELIGIBLE", fmt.Sprintf("the shipping method %q is not offered for this order (eligible: %s): check the shipping method code in the connection settings and the method's zones in Vendure",
			c.cfg.ShippingMethodCode, strings.Join(offered, ", ")))
	}
	var set struct {
		SetDraftOrderShippingMethod struct {
			errorResult
			ShippingWithTax int64 `json:"shippingWithTax"`
			TotalWithTax    int64 `json:"totalWithTax"`
		} `json:"setDraftOrderShippingMethod"`
	}
	if err := c.mutate(ctx, setShippingMethodMutation, map[string]any{"id": id, "sm": methodID}, &set); err != nil {
		return 0, 0, err
	}
	if result := set.SetDraftOrderShippingMethod.errorResult; result.ErrorCode != "" {
		return 0, 0, result.apiError(c.cfg.BaseURL)
	}
	return set.SetDraftOrderShippingMethod.ShippingWithTax, set.SetDraftOrderShippingMethod.TotalWithTax, nil
}

// finish pays the order (its final step), and ships it at once when the marketplace shipped
// it from its own warehouse.
func (c *Client) finish(ctx context.Context, id string, order *models.Order) error {
	reference := order.MarketplaceOrderID
	if order.MarketplaceReference != "" && order.MarketplaceReference != reference {
		reference += " / " + order.MarketplaceReference
	}
	// metadata must be sent: without it Vendure fails on its NOT NULL payment.metadata column.
	metadata := map[string]any{"orderhubOrderId": strconv.FormatInt(order.ID, 10), "marketplaceOrder": reference}
	if order.Test {
		metadata["test"] = true
	}
	input := map[string]any{"orderId": id, "method": c.cfg.PaymentMethodCode, "transactionId": order.MarketplaceOrderID, "metadata": metadata}
	var paid struct {
		AddManualPaymentToOrder struct {
			errorResult
			State string `json:"state"`
			Lines []struct {
				ID       string `json:"id"`
				Quantity int    `json:"quantity"`
			} `json:"lines"`
		} `json:"addManualPaymentToOrder"`
	}
	if err := c.mutate(ctx, addPaymentMutation, map[string]any{"i": input}, &paid); err != nil {
		return err
	}
	if result := paid.AddManualPaymentToOrder.errorResult; result.ErrorCode != "" {
		return result.apiError(c.cfg.BaseURL)
	}
	if !order.FulfilledByMarketplace {
		return nil
	}
	var lines []map[string]any
	for _, line := range paid.AddManualPaymentToOrder.Lines {
		lines = append(lines, map[string]any{"orderLineId": line.ID, "quantity": line.Quantity})
	}
	return c.fulfil(ctx, lines, "Marketplace", "", "Shipped", "Delivered")
}

// fulfilByMarketplace records the marketplace's own shipment of a paid order.
func (c *Client) fulfilByMarketplace(ctx context.Context, id string) error {
	var data struct {
		Order *struct {
			Lines []struct {
				ID       string `json:"id"`
				Quantity int    `json:"quantity"`
			} `json:"lines"`
		} `json:"order"`
	}
	if err := c.query(ctx, orderStateQuery, map[string]any{"id": id}, &data); err != nil {
		return err
	}
	if data.Order == nil {
		return c.refusal("ENTITY_NOT_FOUND", fmt.Sprintf("order %s disappeared from Vendure", id))
	}
	var lines []map[string]any
	for _, line := range data.Order.Lines {
		lines = append(lines, map[string]any{"orderLineId": line.ID, "quantity": line.Quantity})
	}
	return c.fulfil(ctx, lines, "Marketplace", "", "Shipped", "Delivered")
}

// fulfil adds one fulfilment for lines and moves it through states.
func (c *Client) fulfil(ctx context.Context, lines []map[string]any, method, trackingCode string, states ...string) error {
	input := map[string]any{
		"lines": lines,
		"handler": map[string]any{"code": c.cfg.FulfillmentHandler, "arguments": []map[string]any{
			{"name": "method", "value": method}, {"name": "trackingCode", "value": trackingCode},
		}},
	}
	var added struct {
		AddFulfillmentToOrder struct {
			errorResult
			ID string `json:"id"`
		} `json:"addFulfillmentToOrder"`
	}
	if err := c.mutate(ctx, addFulfillmentMutation, map[string]any{"i": input}, &added); err != nil {
		return err
	}
	if result := added.AddFulfillmentToOrder.errorResult; result.ErrorCode != "" {
		return result.apiError(c.cfg.BaseURL)
	}
	for _, state := range states {
		var moved struct {
			TransitionFulfillmentToState errorResult `json:"transitionFulfillmentToState"`
		}
		if err := c.mutate(ctx, transitionFulfillment, map[string]any{"id": added.AddFulfillmentToOrder.ID, "s": state}, &moved); err != nil {
			return err
		}
		if result := moved.TransitionFulfillmentToState; result.ErrorCode != "" {
			return result.apiError(c.cfg.BaseURL)
		}
	}
	return nil
}

func (c *Client) deleteDraft(ctx context.Context, id string) error {
	var deleted struct {
		DeleteDraftOrder struct {
			Result  string `json:"result"`
			Message string `json:"message"`
		} `json:"deleteDraftOrder"`
	}
	if err := c.mutate(ctx, deleteDraftMutation, map[string]any{"id": id}, &deleted); err != nil {
		return err
	}
	if deleted.DeleteDraftOrder.Result != "DELETED" {
		return c.refusal("NOT_DELETED", fmt.Sprintf("the draft order %s left by an earlier attempt could not be deleted: %s", id, deleted.DeleteDraftOrder.Message))
	}
	return nil
}

// CancelOrder cancels every line and the shipping; Vendure releases the allocated stock. An
// order already cancelled is success.
func (c *Client) CancelOrder(ctx context.Context, storeOrderID string) error {
	if strings.TrimSpace(storeOrderID) == "" {
		return fmt.Errorf("%q is not a Vendure order id", storeOrderID)
	}
	input := map[string]any{"orderId": storeOrderID, "reason": "Cancelled on the marketplace (orderhub)", "cancelShipping": true}
	var data struct {
		CancelOrder struct {
			errorResult
			State string `json:"state"`
		} `json:"cancelOrder"`
	}
	if err := c.mutate(ctx, cancelOrderMutation, map[string]any{"i": input}, &data); err != nil {
		return err
	}
	result := data.CancelOrder.errorResult
	if result.ErrorCode == "" {
		return nil
	}
	var current struct {
		Order *struct {
			State string `json:"state"`
		} `json:"order"`
	}
	if err := c.query(ctx, orderStateQuery, map[string]any{"id": storeOrderID}, &current); err == nil && current.Order != nil && current.Order.State == "Cancelled" {
		return nil
	}
	return result.apiError(c.cfg.BaseURL)
}
