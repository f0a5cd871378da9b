package vendure

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/orderhub/orderhub/models"
)

// watchedStates are the states of a paid order whose fulfilments may still change.
var watchedStates = []string{"PaymentSettled", "PartiallyShipped", "Shipped", "PartiallyDelivered", "Delivered", "Cancelled"}

const shipmentsQuery = `query($o:OrderListOptions){ orders(options:$o){ totalItems items{ id code state createdAt updatedAt customFields{ externalChannel externalOrderId } fulfillments{ id state method trackingCode createdAt updatedAt } } } }`

// shipmentsCursor is where Shipments resumes.
//
// Vendure does not move Order.updatedAt when a fulfilment is added or shipped (NOTES.md), so
// an updatedAt poll would miss every shipment. A pass therefore has two phases:
//   - "recent": every orderhub order created inside the lookback window (LookbackDays before
//     the pass opened) in a paid state, with its fulfilments, whatever its updatedAt. A
//     fulfilment added to any of them, however long after the order, is seen on the next pass.
//   - "changed": orderhub orders created before the window whose updatedAt moved since the
//     previous pass opened (less a second: whole-second timestamps), e.g. a late cancellation.
//
// Pages go by id, so orders created meanwhile land on later pages. Orders come again on every
// pass; orderhub keeps what it already has.
type shipmentsCursor struct {
	Phase  string `json:"phase,omitempty"`  // "" or "recent", then "changed"
	Skip   int    `json:"skip,omitempty"`   // the next page's offset
	Window string `json:"window,omitempty"` // the lookback window's start for this pass
	Opened string `json:"opened,omitempty"` // when this pass began
	Since  string `json:"since,omitempty"`  // the previous pass's opening, less a second
}

// Shipments returns one page of orderhub-created orders and their fulfilments.
func (c *Client) Shipments(ctx context.Context, cursor string) (models.ShipmentsPage, error) {
	var cur shipmentsCursor
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil || cur.Skip < 0 {
			return models.ShipmentsPage{}, fmt.Errorf("vendure shipments cursor %s is unreadable", strconv.Quote(cursor))
		}
	}
	if cur.Phase == "" {
		now := c.now().UTC()
		cur.Phase, cur.Skip = "recent", 0
		cur.Opened = formatTime(now)
		cur.Window = formatTime(now.AddDate(0, 0, -c.cfg.LookbackDays))
	}
	filter := map[string]any{"externalChannel": map[string]any{"contains": markerPrefix}}
	if cur.Phase == "recent" {
		filter["state"] = map[string]any{"in": watchedStates}
		filter["createdAt"] = map[string]any{"after": cur.Window}
	} else {
		filter["createdAt"] = map[string]any{"before": cur.Window}
		filter["updatedAt"] = map[string]any{"after": cur.Since}
	}
	options := map[string]any{"filter": filter, "sort": map[string]any{"id": "ASC"}, "skip": cur.Skip, "take": c.pageSize}
	var data struct {
		Orders wireOrderList `json:"orders"`
	}
	if err := c.query(ctx, shipmentsQuery, map[string]any{"o": options}, &data); err != nil {
		return models.ShipmentsPage{}, err
	}
	var shipments []models.StoreShipment
	for _, item := range data.Orders.Items {
		if item.CustomFields.ExternalChannel == nil {
			continue
		}
		if _, _, ok := parseMarker(*item.CustomFields.ExternalChannel); !ok {
			continue
		}
		shipments = append(shipments, c.shipmentFromWire(item))
	}
	next := cur.Skip + len(data.Orders.Items)
	if len(data.Orders.Items) > 0 && next < data.Orders.TotalItems {
		cur.Skip = next
		return models.ShipmentsPage{Shipments: shipments, Cursor: cur.encode(), More: true}, nil
	}
	if cur.Phase == "recent" && cur.Since != "" {
		cur.Phase, cur.Skip = "changed", 0
		return models.ShipmentsPage{Shipments: shipments, Cursor: cur.encode(), More: true}, nil
	}
	done := shipmentsCursor{Since: formatTime(parseTime(cur.Opened).Add(-time.Second))}
	return models.ShipmentsPage{Shipments: shipments, Cursor: done.encode()}, nil
}

func (cur shipmentsCursor) encode() string {
	encoded, _ := json.Marshal(cur)
	return string(encoded)
}
