package woocommerce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// findOrderMargin widens FindOrder's search before the first attempt, for clock differences
// between orderhub and the shop.
const findOrderMargin = time.Hour

// CreateOrder creates the order paid and processing, with the marketplace's prices, and tags it
// with orderhub's ids in its meta. The POST is never retried after it may have reached the
// shop: the caller asks FindOrder first. A 400 is the store refusing the order (permanent).
func (c *Client) CreateOrder(ctx context.Context, order *models.Order) (string, error) {
	body, err := orderToWire(order)
	if err != nil {
		return "", err
	}
	var created wireOrder
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodPost, Path: "/orders", Body: body, Out: &created}); err != nil {
		return "", err
	}
	if created.ID == 0 {
		return "", errors.New("woocommerce answered the order creation without an order id")
	}
	return strconv.FormatInt(created.ID, 10), nil
}

// FindOrder looks for the order orderhub created for order. The list endpoint cannot filter on
// meta, so it reads the orders created since the first attempt (less a margin) and matches
// the meta on each. Never attempted: nothing to find.
func (c *Client) FindOrder(ctx context.Context, order *models.Order) (string, error) {
	if order.StoreAttemptAt == nil {
		return "", nil
	}
	wantOrderID := strconv.FormatInt(order.ID, 10)
	wantConnectionID := strconv.FormatInt(order.ConnectionID, 10)
	after := formatWooTime(order.StoreAttemptAt.Add(-findOrderMargin))
	for page := 1; ; page++ {
		var items []wireOrder
		// By id, ascending: orders created meanwhile land on later pages, none is skipped.
		res, err := c.do(ctx, apiclient.Request{
			Method: http.MethodGet,
			Path:   "/orders",
			Query:  c.pageQuery(page, url.Values{"after": {after}, "dates_are_gmt": {"true"}, "orderby": {"id"}, "order": {"asc"}}),
			Out:    &items,
		})
		if err != nil {
			return "", err
		}
		for _, item := range items {
			// The connection is compared too: two orderhub installations may share a shop.
			connectionID := metaString(item.MetaData, metaConnectionID)
			if metaString(item.MetaData, metaOrderID) == wantOrderID && (connectionID == "" || connectionID == wantConnectionID) {
				return strconv.FormatInt(item.ID, 10), nil
			}
		}
		if !c.morePages(res, page, len(items)) {
			return "", nil
		}
	}
}

// CancelOrder sets the order cancelled; WooCommerce puts back the stock it took.
func (c *Client) CancelOrder(ctx context.Context, storeOrderID string) error {
	id, err := strconv.ParseInt(storeOrderID, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%q is not a WooCommerce order id", storeOrderID)
	}
	_, err = c.do(ctx, apiclient.Request{
		Method: http.MethodPut,
		Path:   fmt.Sprintf("/orders/%d", id),
		Body:   map[string]string{"status": "cancelled"},
	})
	return err
}
