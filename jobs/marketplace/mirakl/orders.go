package mirakl

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// ChangedOrders returns one page of orders updated since the cursor (OR11).
func (c *Client) ChangedOrders(ctx context.Context, cursorText string) (models.OrdersPage, error) {
	at, err := parseCursor(cursorText)
	if err != nil {
		return models.OrdersPage{}, err
	}
	query := url.Values{
		"max":    {strconv.Itoa(c.pageSize)},
		"offset": {strconv.Itoa(at.Offset)},
		// Creation order keeps offsets stable while orders change: an update does not move
		// an order, and a new order lands at the end.
		"sort":  {"dateCreated"},
		"order": {"asc"},
	}
	if !at.Since.IsZero() {
		query.Set("start_update_date", formatTime(at.Since))
	}
	answer, err := c.listOrders(ctx, query)
	if err != nil {
		return models.OrdersPage{}, err
	}
	orders, err := convertOrders(answer.Orders)
	if err != nil {
		return models.OrdersPage{}, err
	}
	for _, order := range orders {
		if order.MarketplaceUpdatedAt.After(at.MaxSeen) {
			at.MaxSeen = order.MarketplaceUpdatedAt
		}
	}
	next, more := at.next(len(answer.Orders), answer.TotalCount)
	return models.OrdersPage{Orders: orders, Cursor: next.String(), More: more}, nil
}

// Order reads one order (OR11 with order_ids: OR12 is deprecated).
func (c *Client) Order(ctx context.Context, marketplaceOrderID string) (*models.Order, error) {
	query := url.Values{"order_ids": {marketplaceOrderID}}
	answer, err := c.listOrders(ctx, query)
	if err != nil {
		return nil, err
	}
	for _, w := range answer.Orders {
		if w.OrderID == marketplaceOrderID && w.OrderID != "" {
			order, err := toOrder(w)
			if err != nil {
				return nil, err
			}
			return &order, nil
		}
	}
	return nil, notFound(http.MethodGet, c.api.BaseURL+"/api/orders?"+query.Encode(), marketplaceOrderID)
}

func (c *Client) listOrders(ctx context.Context, query url.Values) (*ordersResponse, error) {
	// Prices with tax, whatever the operator's default: orderhub's amounts are what the
	// buyer paid.
	query.Set("order_tax_mode", "TAX_INCLUDED")
	var answer ordersResponse
	if _, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/api/orders", Query: query, Out: &answer}); err != nil {
		return nil, err
	}
	return &answer, nil
}

// convertOrders converts a page, keeping one copy of an order listed twice (the latest).
func convertOrders(page []wireOrder) ([]models.Order, error) {
	orders := make([]models.Order, 0, len(page))
	index := make(map[string]int, len(page))
	for _, w := range page {
		if w.OrderID == "" {
			continue // an entry without order_id names no order that could be imported
		}
		order, err := toOrder(w)
		if err != nil {
			return nil, err
		}
		if i, seen := index[order.MarketplaceOrderID]; seen {
			if order.MarketplaceUpdatedAt.After(orders[i].MarketplaceUpdatedAt) {
				orders[i] = order
			}
			continue
		}
		index[order.MarketplaceOrderID] = len(orders)
		orders = append(orders, order)
	}
	return orders, nil
}
