package bol

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Event types of the process statuses this connector follows.
const (
	eventShipment     = "CREATE_SHIPMENT"
	eventCancellation = "CANCEL_ORDER"
)

// Process status values.
const (
	processPending = "PENDING"
	processSuccess = "SUCCESS"
	processFailure = "FAILURE"
	processTimeout = "TIMEOUT"
)

// maxShipmentItems is the most order items one shipment request takes.
const maxShipmentItems = 100

// Accept does nothing: bol has no acceptance step (no endpoint for it), orders arrive ready
// to ship. The connector never reports an order waiting acceptance, so the engine does not
// ask; a call anyway succeeds.
func (c *Client) Accept(ctx context.Context, o *models.Order) error { return c.configErr }

// Refuse cancels the order's open items: on bol, refusing an order the seller cannot fill is
// a cancellation with a reason (OUT_OF_STOCK unless the reason says otherwise).
func (c *Client) Refuse(ctx context.Context, o *models.Order, reason string) error {
	if strings.TrimSpace(reason) == "" {
		reason = "OUT_OF_STOCK"
	}
	return c.Cancel(ctx, o, reason)
}

// Ship ships every open item of the order in one shipment with the carrier's transporter
// code and tracking number (POST /retailer/shipments), then follows the process status
// until bol has processed it. An answer lost on the way is harmless: Ship reads the order
// first and an order with nothing left open is already shipped; a shipment bol is still
// processing is found by its order item's process status and followed, not sent again.
func (c *Client) Ship(ctx context.Context, o *models.Order, s models.Shipment) error {
	if c.configErr != nil {
		return c.configErr
	}
	w, err := c.orderDetail(ctx, o.MarketplaceOrderID)
	if err != nil {
		return err
	}
	open, shipped := openItems(w)
	if len(open) == 0 {
		if shipped > 0 {
			return nil
		}
		return refused(c.orderURL(w.OrderID), "bol has order "+w.OrderID+" cancelled: there is nothing to ship")
	}
	if done, err := c.followEarlier(ctx, open, eventShipment); done || err != nil {
		return err
	}
	transport := &transportInstruction{
		TransporterCode: transporterCode(s.CarrierCode, s.CarrierName),
		TrackAndTrace:   strings.TrimSpace(s.TrackingNumber),
	}
	for start := 0; start < len(open); start += maxShipmentItems {
		body := shipmentRequest{Transport: transport}
		for _, item := range open[start:min(start+maxShipmentItems, len(open))] {
			body.OrderItems = append(body.OrderItems, orderItem{OrderItemID: item.OrderItemID, Quantity: openQuantity(item)})
		}
		var status processStatus
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/retailer/shipments", Body: body, Out: &status}); err != nil {
			return err
		}
		if err := c.follow(ctx, status, w.OrderID); err != nil {
			return err
		}
	}
	return nil
}

// Cancel cancels every open item of the order (PUT /retailer/orders/cancellation, one item
// per call as the spec allows) with bol's reason code closest to reason, and follows each
// process status. Items already cancelled are skipped, so a repeated call is harmless; an
// order already shipped cannot be cancelled.
func (c *Client) Cancel(ctx context.Context, o *models.Order, reason string) error {
	if c.configErr != nil {
		return c.configErr
	}
	w, err := c.orderDetail(ctx, o.MarketplaceOrderID)
	if err != nil {
		return err
	}
	open, shipped := openItems(w)
	if len(open) == 0 {
		if shipped > 0 {
			return refused(c.orderURL(w.OrderID), "bol has order "+w.OrderID+" shipped: it can no longer be cancelled")
		}
		return nil
	}
	for _, item := range open {
		if done, err := c.followEarlier(ctx, []orderOrderItem{item}, eventCancellation); done || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		body := cancellationRequest{OrderItems: []orderItemCancellation{{OrderItemID: item.OrderItemID, ReasonCode: reasonCode(reason, item.CancellationRequest)}}}
		var status processStatus
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPut, Path: "/retailer/orders/cancellation", Body: body, Out: &status,
			Retry: apiclient.Bool(false)}); err != nil {
			return err
		}
		if err := c.follow(ctx, status, w.OrderID); err != nil {
			return err
		}
	}
	return nil
}

// openItems returns the items with something left to ship, and how many units were shipped.
func openItems(w *order) (open []orderOrderItem, shipped int) {
	for _, item := range w.OrderItems {
		if openQuantity(item) > 0 {
			open = append(open, item)
		}
		shipped += item.QuantityShipped
	}
	return open, shipped
}

// followEarlier looks for a write of eventType on the items made before (its answer lost,
// or the last attempt gave up while bol was still processing). A pending or successful one
// is followed instead of writing again: done is true when it succeeded.
func (c *Client) followEarlier(ctx context.Context, items []orderOrderItem, eventType string) (done bool, err error) {
	for _, item := range items {
		var answer processStatusResponse
		_, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/shared/process-status",
			Query: url.Values{"entity-id": {item.OrderItemID}, "event-type": {eventType}}, Out: &answer})
		if err != nil {
			if IsNotFound(err) {
				continue // bol keeps no status for it: nothing was sent, or it expired
			}
			return false, err
		}
		for _, status := range answer.ProcessStatuses {
			if status.Status == processPending || status.Status == processSuccess {
				return true, c.follow(ctx, status, "")
			}
		}
	}
	return false, nil
}

// follow reads a process status again, with short pauses, until bol has processed it:
// SUCCESS is done, FAILURE and TIMEOUT are permanent errors carrying bol's message.
// Still PENDING after the last pause is a temporary error; the next attempt finds the
// process again through followEarlier.
func (c *Client) follow(ctx context.Context, status processStatus, orderID string) error {
	path := "/shared/process-status/" + url.PathEscape(status.id())
	where := c.api.BaseURL + path
	for attempt := 0; ; attempt++ {
		switch status.Status {
		case processSuccess:
			return nil
		case processFailure, processTimeout:
			return processFailed(where, status)
		}
		if attempt >= len(c.pollWaits) {
			return stillPending(where, status)
		}
		if err := c.sleep(ctx, c.pollWaits[attempt]); err != nil {
			return err
		}
		var fresh processStatus
		_, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: path, Out: &fresh})
		if IsNotFound(err) {
			// bol keeps statuses for a limited time; the order tells what happened.
			return c.settledWithout(ctx, orderID, where, status)
		}
		if err != nil {
			return err
		}
		status = fresh
	}
}

// settledWithout decides after a process status disappeared: the order with nothing left
// open means the write went through.
func (c *Client) settledWithout(ctx context.Context, orderID, where string, status processStatus) error {
	if orderID == "" {
		return stillPending(where, status)
	}
	w, err := c.orderDetail(ctx, orderID)
	if err != nil {
		return err
	}
	if open, _ := openItems(w); len(open) == 0 {
		return nil
	}
	return &apiclient.Error{Method: http.MethodGet, URL: where, Message: fmt.Sprintf("bol no longer reports process %s and order %s still has open items", status.id(), orderID)}
}

func (c *Client) orderURL(id string) string {
	return c.api.BaseURL + "/retailer/orders/" + url.PathEscape(id)
}

// reasonCodes are bol's cancellation reasons, with words that point to each in a
// merchant's free-text reason (English and Dutch), most specific first.
var reasonCodes = []struct {
	code  string
	words []string
}{
	{"ORDERED_TWICE", []string{"twice", "duplicate", "double", "dubbel"}},
	{"HIGHER_SHIPCOST", []string{"shipping cost", "shipcost", "verzendkosten", "postage"}},
	{"INCORRECT_PRICE", []string{"price", "prijs", "pricing"}},
	{"OUT_OF_STOCK", []string{"stock", "voorraad", "sold out", "uitverkocht", "unavailable"}},
	{"NOT_AVAIL_IN_TIME", []string{"in time", "late", "delay", "backorder", "op tijd"}},
	{"BAD_CONDITION", []string{"damage", "broken", "defect", "condition", "beschadigd", "kapot"}},
	{"UNFINDABLE_ITEM", []string{"cannot find", "can't find", "not found", "missing", "lost", "kwijt", "unfindable"}},
	{"TECH_ISSUE", []string{"technical", "tech", "error", "bug", "storing"}},
	{"NO_BOL_GUARANTEE", []string{"guarantee", "garantie"}},
	{"RETAIN_ITEM", []string{"retain", "keep", "houden"}},
	{"REQUESTED_BY_CUSTOMER", []string{"customer", "buyer", "client", "klant", "requested", "asked"}},
	{"OTHER", []string{"other", "anders"}},
}

// reasonCode maps a free-text reason to bol's closest reason code. A reason that already is
// a code is sent as it is. With no match, the code is REQUESTED_BY_CUSTOMER when the buyer
// asked for the cancellation (bol then expects that code to confirm it) and OTHER when the
// seller cancels on its own.
func reasonCode(reason string, buyerAsked bool) string {
	text := strings.ToLower(strings.TrimSpace(reason))
	for _, r := range reasonCodes {
		if strings.EqualFold(text, r.code) {
			return r.code
		}
	}
	for _, r := range reasonCodes {
		for _, word := range r.words {
			if strings.Contains(text, word) {
				return r.code
			}
		}
	}
	if buyerAsked {
		return "REQUESTED_BY_CUSTOMER"
	}
	return "OTHER"
}
