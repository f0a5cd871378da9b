package bol

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// ChangedOrders returns one page of orders changed since the cursor: a page of the order
// list (GET /retailer/orders, retailer- or bol-fulfilled as configured), then each order's detail for its
// addresses, prices and SKUs, which the list leaves out.
func (c *Client) ChangedOrders(ctx context.Context, cursorText string) (models.OrdersPage, error) {
	at, err := parseCursor(cursorText)
	if err != nil {
		return models.OrdersPage{}, err
	}
	if at.Page == 0 {
		at = at.start(c.now())
	}
	query := url.Values{
		"page":              {strconv.Itoa(at.Page)},
		"fulfilment-method": {c.method},
		"status":            {"ALL"},
	}
	switch {
	case at.Minutes > 0:
		query.Set("change-interval-minute", strconv.Itoa(at.Minutes))
	case at.Day != "":
		query.Set("latest-change-date", at.Day)
	default:
		query.Set("status", "OPEN")
	}
	var list reducedOrders
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/retailer/orders", Query: query, Out: &list}); err != nil {
		return models.OrdersPage{}, err
	}
	orders := make([]models.Order, 0, len(list.Orders))
	seen := make(map[string]bool, len(list.Orders))
	for _, listed := range list.Orders {
		// An entry without an orderId names no order that could be read or imported.
		if listed.OrderID == "" || seen[listed.OrderID] || (at.Day != "" && changedBefore(listed, at.Since.Add(-intervalMargin))) {
			continue
		}
		seen[listed.OrderID] = true
		o, err := c.Order(ctx, listed.OrderID)
		if err != nil {
			return models.OrdersPage{}, err
		}
		orders = append(orders, *o)
	}
	next, more := at.next(len(list.Orders), c.now())
	return models.OrdersPage{Orders: orders, Cursor: next.String(), More: more}, nil
}

// Order reads one order (GET /retailer/orders/{order-id}).
func (c *Client) Order(ctx context.Context, marketplaceOrderID string) (*models.Order, error) {
	w, err := c.orderDetail(ctx, marketplaceOrderID)
	if err != nil {
		return nil, err
	}
	o, err := toOrder(*w)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func (c *Client) orderDetail(ctx context.Context, id string) (*order, error) {
	var w order
	_, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/retailer/orders/" + url.PathEscape(id), Out: &w})
	if err != nil {
		return nil, err
	}
	// A detail without the order's id (an empty body, another order) would import an order
	// under the wrong id.
	if id == "" || w.OrderID != id {
		return nil, fmt.Errorf("bol answered the detail of order %q with order %q: orderhub tries again at the next poll; if this lasts, tell bol's partner support", id, w.OrderID)
	}
	return &w, nil
}

// changedBefore reports whether every item of a listed order last changed before t: a day
// window lists the whole day, and what changed before the window's start was read already,
// so its detail is not fetched again.
func changedBefore(listed reducedOrder, t time.Time) bool {
	for _, item := range listed.OrderItems {
		changed, err := parseTime(item.LatestChangedDateTime)
		if err != nil || !changed.Before(t) {
			return false
		}
	}
	return true
}
