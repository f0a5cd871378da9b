package prestashop

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// shipmentsCursor is where Shipments resumes: the orders whose date_upd is at or after Since
// (shop-local, as PrestaShop writes it), sorted by date_upd then id. Offset is only used when a
// whole page shares one date_upd second and the next page must skip it.
type shipmentsCursor struct {
	Since  string `json:"since,omitempty"`
	Offset int    `json:"offset,omitempty"`
}

// Shipments returns one page of orderhub-created orders changed since cursor. The date filter
// is inclusive, so the orders of the last second seen come again on the next read: orderhub
// handles duplicates, and nothing changed within that second is missed.
func (c *Client) Shipments(ctx context.Context, cursor string) (models.ShipmentsPage, error) {
	var cur shipmentsCursor
	if cursor != "" {
		if err := json.Unmarshal([]byte(cursor), &cur); err != nil || cur.Offset < 0 {
			return models.ShipmentsPage{}, fmt.Errorf("prestashop shipments cursor %s is unreadable", strconv.Quote(cursor))
		}
		if cur.Since != "" {
			if _, err := time.Parse(psTimeLayout, cur.Since); err != nil {
				return models.ShipmentsPage{}, fmt.Errorf("prestashop shipments cursor %s holds a bad date", strconv.Quote(cursor))
			}
		}
	}
	query := url.Values{
		"display": {"[id,id_cart,id_carrier,current_state,reference,gift_message,date_upd]"},
		"sort":    {"[date_upd_ASC,id_ASC]"},
		"limit":   {fmt.Sprintf("%d,%d", cur.Offset, c.pageSize)},
	}
	if cur.Since != "" {
		query.Set("filter[date_upd]", "["+cur.Since+",9999-12-31 23:59:59]")
		query.Set("date", "1")
	}
	var orders []wireOrder
	if err := c.list(ctx, "orders", query, &orders); err != nil {
		return models.ShipmentsPage{}, err
	}
	carriers := map[int64]wireCarrier{}
	var shipments []models.StoreShipment
	for _, order := range orders {
		if !strings.HasPrefix(string(order.GiftMessage), markerPrefix) {
			continue // not created by orderhub
		}
		shipment, err := c.shipmentOf(ctx, order, carriers)
		if err != nil {
			return models.ShipmentsPage{}, err
		}
		shipments = append(shipments, shipment)
	}

	next := shipmentsCursor{Since: cur.Since}
	if len(orders) > 0 {
		last := string(orders[len(orders)-1].DateUpd)
		if last == cur.Since {
			next.Offset = cur.Offset + len(orders) // a page within one second: skip it
		} else {
			next.Since = last
		}
	}
	encoded, _ := json.Marshal(next)
	return models.ShipmentsPage{Shipments: shipments, Cursor: string(encoded), More: len(orders) >= c.pageSize}, nil
}

// shipmentOf reads one order's state, and for a shipped order its carrier, tracking and when
// it entered a shipped state.
func (c *Client) shipmentOf(ctx context.Context, order wireOrder, carriers map[int64]wireCarrier) (models.StoreShipment, error) {
	state := order.CurrentState.Value
	shipment := models.StoreShipment{
		StoreOrderID: strconv.FormatInt(order.ID.Value, 10),
		RawStatus:    strconv.FormatInt(state, 10),
		Shipped:      contains(c.cfg.ShippedStates, state),
		Cancelled:    contains(c.cfg.CancelledStates, state),
		UpdatedAt:    parseShopTime(string(order.DateUpd), c.location),
	}
	if !shipment.Shipped {
		return shipment, nil
	}
	var histories []wireOrderHistory
	if err := c.list(ctx, "order_histories", url.Values{
		"display":          {"[id,id_order_state,date_add]"},
		"filter[id_order]": {idsFilter([]int64{order.ID.Value})},
		"sort":             {"[id_ASC]"},
	}, &histories); err != nil {
		return shipment, err
	}
	for _, history := range histories {
		if contains(c.cfg.ShippedStates, history.IDOrderState.Value) {
			if at := parseShopTime(string(history.DateAdd), c.location); !at.IsZero() {
				shipment.ShippedAt = &at
			}
			break
		}
	}
	if shipment.ShippedAt == nil && !shipment.UpdatedAt.IsZero() {
		at := shipment.UpdatedAt
		shipment.ShippedAt = &at
	}

	var orderCarriers []wireOrderCarrier
	if err := c.list(ctx, "order_carriers", url.Values{
		"display":          {"full"},
		"filter[id_order]": {idsFilter([]int64{order.ID.Value})},
		"sort":             {"[id_ASC]"},
	}, &orderCarriers); err != nil {
		return shipment, err
	}
	carrierID := order.IDCarrier.Value
	if len(orderCarriers) > 0 {
		last := orderCarriers[len(orderCarriers)-1]
		shipment.TrackingNumber = strings.TrimSpace(string(last.TrackingNumber))
		if last.IDCarrier.Value != 0 {
			carrierID = last.IDCarrier.Value
		}
	}
	if carrierID != 0 {
		carrier, ok := carriers[carrierID]
		if !ok {
			var err error
			if carrier, err = c.carrier(ctx, carrierID); err != nil {
				return shipment, err
			}
			carriers[carrierID] = carrier
		}
		shipment.Carrier = string(carrier.Name)
		if shipment.TrackingNumber != "" && strings.Contains(string(carrier.URL), "@") {
			shipment.TrackingURL = strings.ReplaceAll(string(carrier.URL), "@", url.QueryEscape(shipment.TrackingNumber))
		}
	}
	return shipment, nil
}

func (c *Client) carrier(ctx context.Context, id int64) (wireCarrier, error) {
	var carrier wireCarrier
	err := c.get(ctx, "carriers", "carrier", id, &carrier)
	return carrier, err
}

func contains(values []int64, value int64) bool {
	for _, v := range values {
		if v == value {
			return true
		}
	}
	return false
}
