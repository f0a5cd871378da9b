package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/orderhub/orderhub/models"
)

// shipmentsCursor is where Shipments resumes: a window of orders updated at or after Since,
// sorted by updatedAt, read page by page with Shopify's cursor. When a window is exhausted
// the next starts at the latest update seen. An order updated while the window is read
// moves to its end, so it is read later rather than skipped; orders may come twice.
type shipmentsCursor struct {
	Since  string `json:"since,omitempty"`
	After  string `json:"after,omitempty"`
	Latest string `json:"latest,omitempty"`
}

// Shipments returns one page of orderhub-created orders changed since cursor.
func (c *Client) Shipments(ctx context.Context, cursor string) (models.ShipmentsPage, error) {
	cur, err := parseShipmentsCursor(cursor)
	if err != nil {
		return models.ShipmentsPage{}, err
	}
	query := "tag:" + searchValue(tagOrderhub)
	if cur.Since != "" {
		query += " AND updated_at:>=" + searchValue(cur.Since)
	}
	variables := map[string]any{"first": min(c.pageSize, ordersPageSize), "query": query}
	if cur.After != "" {
		variables["after"] = cur.After
	}
	var out wireOrders
	if err := c.graphql(ctx, "Orders", queryOrders, variables, false, &out); err != nil {
		return models.ShipmentsPage{}, err
	}
	var shipments []models.StoreShipment
	for _, o := range out.Orders.Nodes {
		if updated := parseTime(o.UpdatedAt); updated.After(parseTime(cur.Latest)) {
			cur.Latest = updated.Format(time.RFC3339)
		}
		if shipment, ok := shipmentFromWire(o, c.cfg.ShippedStatuses); ok {
			shipments = append(shipments, shipment)
		}
	}
	if out.Orders.PageInfo.HasNextPage {
		cur.After = out.Orders.PageInfo.EndCursor
		return models.ShipmentsPage{Shipments: shipments, Cursor: cur.encode(), More: true}, nil
	}
	next := shipmentsCursor{Since: firstNonEmpty(cur.Latest, cur.Since)}
	return models.ShipmentsPage{Shipments: shipments, Cursor: next.encode()}, nil
}

func parseShipmentsCursor(cursor string) (shipmentsCursor, error) {
	var cur shipmentsCursor
	if cursor == "" {
		return cur, nil
	}
	if err := json.Unmarshal([]byte(cursor), &cur); err != nil {
		return cur, fmt.Errorf("shopify shipments cursor %s is unreadable: %w", strconv.Quote(cursor), err)
	}
	for _, value := range []string{cur.Since, cur.Latest} {
		if value != "" {
			if _, err := time.Parse(time.RFC3339, value); err != nil {
				return cur, fmt.Errorf("shopify shipments cursor %s holds a bad date %q", strconv.Quote(cursor), value)
			}
		}
	}
	return cur, nil
}

func (cur shipmentsCursor) encode() string {
	encoded, _ := json.Marshal(cur)
	return string(encoded)
}
