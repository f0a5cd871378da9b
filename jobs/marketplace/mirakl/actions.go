package mirakl

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Raw states an order has reached once each action is done. A repeated call (after an
// answer was lost) finds the order already there: that is success, not a failure.
var (
	acceptedStates = []string{"WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING", "SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"}
	refusedStates  = []string{"REFUSED"}
	shippedStates  = []string{"SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"}
	canceledStates = []string{"CANCELED"}
)

// Accept accepts every line (OR21). Mirakl wants a decision for each line of the order.
func (c *Client) Accept(ctx context.Context, order *models.Order) error {
	return c.decide(ctx, order, true, acceptedStates)
}

// Refuse refuses every line (OR21). Mirakl takes no reason on refusal, so reason is not sent.
func (c *Client) Refuse(ctx context.Context, order *models.Order, reason string) error {
	return c.decide(ctx, order, false, refusedStates)
}

func (c *Client) decide(ctx context.Context, order *models.Order, accepted bool, done []string) error {
	id := order.MarketplaceOrderID
	lines, err := c.lineIDs(ctx, order)
	if err != nil {
		return err
	}
	body := acceptRequest{OrderLines: make([]acceptLine, 0, len(lines))}
	for _, line := range lines {
		body.OrderLines = append(body.OrderLines, acceptLine{Accepted: accepted, ID: line})
	}
	err = c.put(ctx, id, "accept", body)
	return c.unlessReached(ctx, id, err, done)
}

// lineIDs names the order's lines, reading the order again when orderhub's copy has none.
func (c *Client) lineIDs(ctx context.Context, order *models.Order) ([]string, error) {
	ids := make([]string, 0, len(order.Lines))
	for _, line := range order.Lines {
		if line.MarketplaceLineID == "" {
			ids = nil
			break
		}
		ids = append(ids, line.MarketplaceLineID)
	}
	if len(ids) > 0 {
		return ids, nil
	}
	fresh, err := c.Order(ctx, order.MarketplaceOrderID)
	if err != nil {
		return nil, err
	}
	for _, line := range fresh.Lines {
		ids = append(ids, line.MarketplaceLineID)
	}
	return ids, nil
}

// Ship sends the carrier and tracking number (OR23), then confirms the shipment (OR24).
// Mirakl accepts OR24 once: when it refuses because the order is already shipped (the
// answer to an earlier call was lost), the shipment is there and Ship succeeds.
func (c *Client) Ship(ctx context.Context, order *models.Order, shipment models.Shipment) error {
	id := order.MarketplaceOrderID
	if err := c.sendTracking(ctx, id, shipment); err != nil {
		return c.unlessReached(ctx, id, err, shippedStates)
	}
	err := c.put(ctx, id, "ship", nil)
	return c.unlessReached(ctx, id, err, shippedStates)
}

// sendTracking declares a carrier SH21 lists by its code, any other by name and URL. With
// no carrier at all there is nothing to declare and OR24 goes alone.
func (c *Client) sendTracking(ctx context.Context, id string, s models.Shipment) error {
	var body trackingRequest
	switch {
	case s.CarrierCode != "":
		body = trackingRequest{CarrierCode: s.CarrierCode, TrackingNumber: s.TrackingNumber}
	case s.CarrierName != "":
		body = trackingRequest{CarrierName: s.CarrierName, CarrierURL: s.TrackingURL, TrackingNumber: s.TrackingNumber}
	default:
		return nil
	}
	err := c.put(ctx, id, "tracking", body)
	if err != nil && isRefusal(err) && s.CarrierCode != "" && s.TrackingNumber == "" {
		// A listed carrier whose tracking URL needs a number refuses a shipment without
		// one; the carrier is still worth naming, as an unlisted one.
		name := s.CarrierName
		if name == "" {
			name = s.CarrierCode
		}
		err = c.put(ctx, id, "tracking", trackingRequest{CarrierName: name})
	}
	return err
}

// Cancel cancels the whole order (OR29, possible while Mirakl says can_cancel). Mirakl takes
// no reason on this call, so reason is not sent.
func (c *Client) Cancel(ctx context.Context, order *models.Order, reason string) error {
	id := order.MarketplaceOrderID
	err := c.put(ctx, id, "cancel", nil)
	return c.unlessReached(ctx, id, err, canceledStates)
}

// put calls PUT /api/orders/{id}/{action}; Mirakl answers 204 with no body.
func (c *Client) put(ctx context.Context, id, action string, body any) error {
	_, err := c.do(ctx, apiclient.Request{
		Method: http.MethodPut,
		Path:   "/api/orders/" + url.PathEscape(id) + "/" + action,
		Body:   body,
	})
	return err
}

// unlessReached turns a refusal into success when the order already is where the call was
// taking it; any other error, or an order elsewhere, keeps the original error.
func (c *Client) unlessReached(ctx context.Context, id string, err error, done []string) error {
	if err == nil || !isRefusal(err) {
		return err
	}
	current, readErr := c.Order(ctx, id)
	if readErr != nil {
		return err
	}
	if slices.Contains(done, current.RawStatus) {
		return nil
	}
	return err
}
