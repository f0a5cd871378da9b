package shopify

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

// CreateOrder resolves the lines' SKUs to variants, then creates the order paid with the
// marketplace's prices. orderCreate is never retried after it may have reached the shop: the
// caller asks FindOrder first. userErrors are the store refusing the order (permanent), with
// Shopify's message.
func (c *Client) CreateOrder(ctx context.Context, order *models.Order) (string, error) {
	if c.configErr != nil {
		return "", c.configErr
	}
	skus := make([]string, 0, len(order.Lines))
	for _, line := range order.Lines {
		if strings.TrimSpace(line.SKU) == "" {
			return "", c.permanent("MISSING_SKU", fmt.Sprintf("line %q has no SKU to find it in the Shopify store", line.Title))
		}
		skus = append(skus, line.SKU)
	}
	variants, err := c.variantsBySKU(ctx, skus)
	if err != nil {
		return "", err
	}
	var unknown []string
	variantIDs := map[string]string{}
	for _, sku := range skus {
		v, ok := variants[sku]
		if !ok {
			if !contains(unknown, sku) {
				unknown = append(unknown, sku)
			}
			continue
		}
		variantIDs[sku] = v.ID
	}
	if len(unknown) > 0 {
		return "", c.permanent("UNKNOWN_SKU", "no product variant in the Shopify store has the SKU "+strings.Join(unknown, ", "))
	}
	input, err := orderInput(order, variantIDs)
	if err != nil {
		return "", err
	}
	behaviour := c.cfg.InventoryBehaviour
	if order.SkipStockCheck && behaviour == InventoryDecrementObeyingPolicy {
		// "Import anyway": someone chose to send it whatever the stock; still take the stock.
		behaviour = InventoryDecrementIgnoringPolicy
	}
	variables := map[string]any{
		"order": input,
		"options": map[string]any{
			"inventoryBehaviour":     behaviour,
			"sendReceipt":            false,
			"sendFulfillmentReceipt": false,
		},
	}
	var out wireOrderCreate
	if err := c.graphql(ctx, "OrderCreate", mutationOrderCreate, variables, true, &out); err != nil {
		return "", err
	}
	if errs := out.OrderCreate.UserErrors; len(errs) > 0 {
		return "", userErrorsAsAPIError(errs, c.api.BaseURL)
	}
	if out.OrderCreate.Order == nil || out.OrderCreate.Order.ID == "" {
		return "", errors.New("shopify answered orderCreate without an order id")
	}
	return out.OrderCreate.Order.ID, nil
}

// FindOrder looks for the order orderhub created for order by its tag, then checks the
// metafields: two orderhub connections (or installations) may share a shop.
func (c *Client) FindOrder(ctx context.Context, order *models.Order) (string, error) {
	variables := map[string]any{"first": 5, "query": "tag:" + searchValue(orderTag(order.ID))}
	var out wireOrders
	if err := c.graphql(ctx, "Orders", queryOrders, variables, false, &out); err != nil {
		return "", err
	}
	wantOrderID := strconv.FormatInt(order.ID, 10)
	wantConnectionID := strconv.FormatInt(order.ConnectionID, 10)
	for _, o := range out.Orders.Nodes {
		orderID := firstNonEmpty(o.metafield(metaOrderID), o.SourceIdentifier)
		connectionID := o.metafield(metaConnectionID)
		if orderID == wantOrderID && (connectionID == "" || connectionID == wantConnectionID) {
			return o.ID, nil
		}
	}
	return "", nil
}

// CancelOrder cancels the order, putting the stock back; the money went through the
// marketplace, so nothing is refunded in Shopify. orderCancel runs as a job; an order
// already cancelled counts as done.
func (c *Client) CancelOrder(ctx context.Context, storeOrderID string) error {
	id, err := orderGID(storeOrderID)
	if err != nil {
		return err
	}
	variables := map[string]any{
		"orderId":        id,
		"reason":         "OTHER",
		"refund":         false,
		"restock":        true,
		"notifyCustomer": false,
		"staffNote":      "Cancelled on the marketplace (orderhub)",
	}
	var out wireOrderCancel
	if err := c.graphql(ctx, "OrderCancel", mutationOrderCancel, variables, true, &out); err != nil {
		return err
	}
	errs := out.OrderCancel.OrderCancelUserErrors
	if len(errs) == 0 {
		return nil
	}
	// The docs list no code for "already cancelled" (it comes as INVALID): read the order.
	if errs[0].Code == "INVALID" {
		if cancelled, err := c.orderCancelled(ctx, id); err == nil && cancelled {
			return nil
		}
	}
	return userErrorsAsAPIError(errs, c.api.BaseURL)
}

// orderCancelled reads whether one order is cancelled.
func (c *Client) orderCancelled(ctx context.Context, gid string) (bool, error) {
	variables := map[string]any{"first": 1, "query": "id:" + strings.TrimPrefix(gid, "gid://shopify/Order/")}
	var out wireOrders
	if err := c.graphql(ctx, "Orders", queryOrders, variables, false, &out); err != nil {
		return false, err
	}
	for _, o := range out.Orders.Nodes {
		if o.ID == gid {
			return o.CancelledAt != nil && *o.CancelledAt != "", nil
		}
	}
	return false, nil
}

// orderGID accepts a global id or the numeric id the admin shows.
func orderGID(storeOrderID string) (string, error) {
	id := strings.TrimSpace(storeOrderID)
	if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
		return "gid://shopify/Order/" + id, nil
	}
	rest, ok := strings.CutPrefix(id, "gid://shopify/Order/")
	if n, err := strconv.ParseInt(rest, 10, 64); !ok || err != nil || n <= 0 {
		return "", fmt.Errorf("%q is not a Shopify order id", storeOrderID)
	}
	return id, nil
}

// permanent is a refusal orderhub decides on the store's answers (a SKU the shop lacks).
func (c *Client) permanent(code, message string) error {
	return &apiclient.Error{Method: http.MethodPost, URL: c.api.BaseURL + "/graphql.json", Status: http.StatusUnprocessableEntity, Code: code, Message: message}
}

// userErrorsAsAPIError reports a mutation's userErrors: Shopify refused the input as it
// stands, so retrying will not help.
func userErrorsAsAPIError(errs []wireUserError, baseURL string) error {
	messages := make([]string, 0, len(errs))
	for _, e := range errs {
		message := e.Message
		if len(e.Field) > 0 {
			message = strings.Join(e.Field, ".") + ": " + message
		}
		messages = append(messages, message)
	}
	return &apiclient.Error{Method: http.MethodPost, URL: baseURL + "/graphql.json", Status: http.StatusUnprocessableEntity,
		Code: errs[0].Code, Message: strings.Join(messages, "; ")}
}
