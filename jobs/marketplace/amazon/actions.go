package amazon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Accept succeeds without a call: Amazon has no acceptance step. An order becomes
// UNSHIPPED by itself once its payment is authorised.
func (c *Client) Accept(ctx context.Context, order *models.Order) error {
	return nil
}

// Refuse is a permanent error: the Orders API has no refusal and no seller cancellation
// (Amazon takes those through an order cancellation feed in the Feeds API, which this
// connector does not send). The merchant cancels the order in Seller Central.
func (c *Client) Refuse(ctx context.Context, order *models.Order, reason string) error {
	return unsupported(order.MarketplaceOrderID, "Amazon orders cannot be refused through the Orders API: cancel the order in Seller Central (Orders, Manage orders, Cancel order)")
}

// Cancel is a permanent error, for the same reason as Refuse.
func (c *Client) Cancel(ctx context.Context, order *models.Order, reason string) error {
	return unsupported(order.MarketplaceOrderID, "Amazon orders cannot be cancelled through the Orders API: cancel the order in Seller Central (Orders, Manage orders, Cancel order)")
}

// shipBlocks are the blocks Ship reads before confirming.
var shipBlocks = []string{"FULFILLMENT", "PACKAGES"}

// Ship confirms one package holding every item not yet shipped (v0 confirmShipment). It
// reads the order first: an order already shipped, or holding a package with this tracking
// number, is the answer to an earlier call that was lost, and Ship succeeds without sending
// a second confirmation.
func (c *Client) Ship(ctx context.Context, order *models.Order, shipment models.Shipment) error {
	id := order.MarketplaceOrderID
	current, err := c.getOrder(ctx, id, shipBlocks)
	if err != nil {
		return err
	}
	if shippedAlready(current, shipment.TrackingNumber) {
		return nil
	}
	body, err := c.confirmation(current, shipment)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, opConfirmShipment, apiclient.Request{
		Method: http.MethodPost,
		Path:   "/orders/v0/orders/" + url.PathEscape(id) + "/shipmentConfirmation",
		Body:   body,
	})
	if err == nil || apiclient.StatusOf(err) != http.StatusBadRequest {
		return err
	}
	// A refusal may come from a confirmation that raced this one: look again.
	if again, readErr := c.getOrder(ctx, id, shipBlocks); readErr == nil && shippedAlready(again, shipment.TrackingNumber) {
		return nil
	}
	return err
}

// shippedAlready: the whole order is shipped, or a package carries this tracking number.
func shippedAlready(w *wireOrder, tracking string) bool {
	if w.Fulfillment != nil && w.Fulfillment.FulfillmentStatus == "SHIPPED" {
		return true
	}
	for _, p := range w.Packages {
		if tracking != "" && strings.EqualFold(strings.TrimSpace(p.TrackingNumber), strings.TrimSpace(tracking)) {
			return true
		}
	}
	return false
}

// confirmation builds the request for the order's unshipped items.
func (c *Client) confirmation(w *wireOrder, s models.Shipment) (*confirmShipmentRequest, error) {
	id := w.OrderID
	status := ""
	if w.Fulfillment != nil {
		status = w.Fulfillment.FulfillmentStatus
	}
	switch status {
	case "UNSHIPPED", "PARTIALLY_SHIPPED":
	default:
		return nil, &apiclient.Error{Method: "-", URL: "amazon order " + id, Status: http.StatusConflict, Code: codeCannotShip,
			Message: fmt.Sprintf("Amazon has order %s as %s: only an unshipped order can be confirmed as shipped", id, strings.ToLower(status))}
	}
	if strings.TrimSpace(s.TrackingNumber) == "" {
		return nil, &apiclient.Error{Method: "-", URL: "amazon order " + id, Status: http.StatusUnprocessableEntity, Code: codeCannotShip,
			Message: "Amazon needs a tracking number to confirm a shipment"}
	}
	marketplaceID := w.SalesChannel.MarketplaceID
	if marketplaceID == "" {
		marketplaceID = c.marketplaceID
	}
	detail := wirePackageDetail{
		PackageReferenceID: nextPackageReference(w.Packages),
		TrackingNumber:     strings.TrimSpace(s.TrackingNumber),
		ShipDate:           shipDate(s.ShippedAt, c.now()),
	}
	if code := carrierCode(s.CarrierCode); code != "" && code != carrierOther {
		detail.CarrierCode = code
	} else if code := carrierCode(s.CarrierName); code != "" && code != carrierOther {
		detail.CarrierCode = code
	} else {
		detail.CarrierCode = carrierOther
		detail.CarrierName = strings.TrimSpace(s.CarrierName)
		if detail.CarrierName == "" {
			detail.CarrierName = strings.TrimSpace(s.CarrierCode)
		}
		if detail.CarrierName == "" {
			return nil, &apiclient.Error{Method: "-", URL: "amazon order " + id, Status: http.StatusUnprocessableEntity, Code: codeCannotShip,
				Message: "Amazon needs the carrier's name for a carrier it does not list"}
		}
	}
	for _, item := range w.OrderItems {
		quantity := item.QuantityOrdered
		if f := item.Fulfillment; f != nil {
			switch {
			case f.QuantityUnfulfilled != nil:
				quantity = *f.QuantityUnfulfilled
			case f.QuantityFulfilled != nil:
				quantity = item.QuantityOrdered - *f.QuantityFulfilled
			}
		}
		if quantity > 0 {
			detail.OrderItems = append(detail.OrderItems, wireShipmentItem{OrderItemID: item.OrderItemID, Quantity: quantity})
		}
	}
	if len(detail.OrderItems) == 0 {
		return nil, &apiclient.Error{Method: "-", URL: "amazon order " + id, Status: http.StatusConflict, Code: codeCannotShip,
			Message: "Amazon order " + id + " has no unshipped item left"}
	}
	return &confirmShipmentRequest{MarketplaceID: marketplaceID, PackageDetail: detail}, nil
}

// nextPackageReference is a positive number not yet used by the order's packages.
func nextPackageReference(packages []wireOrderPackage) string {
	highest := 0
	for _, p := range packages {
		if n, err := strconv.Atoi(p.PackageReferenceID); err == nil && n > highest {
			highest = n
		}
	}
	return strconv.Itoa(highest + 1)
}

// shipDate is the ISO 8601 date-time Amazon wants; a missing date is now, and a date in the
// future (clock skew) is brought back to now.
func shipDate(at, now time.Time) string {
	if at.IsZero() || at.After(now) {
		at = now
	}
	return at.UTC().Format("2006-01-02T15:04:05.000Z")
}
