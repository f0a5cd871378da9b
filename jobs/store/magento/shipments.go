package magento

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// Shipments returns one page of orderhub-created orders (those with an ext_order_id) updated
// since cursor, with their shipments' tracks. Adding a track to an existing shipment does not
// move the order's updated_at, so orders seen completed without a track are watched: the
// first page of each pass asks for them again, and reports them once a track or a cancel
// shows, or drops them after the watch window.
func (c *Client) Shipments(ctx context.Context, cursor string) (models.ShipmentsPage, error) {
	cur, err := parseListCursor("shipments", cursor)
	if err != nil {
		return models.ShipmentsPage{}, err
	}
	var list wireList[wireOrder]
	res, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/orders",
		Query: c.pageQuery(cur, filter{"ext_order_id", "", "notnull"}).values(), Out: &list})
	if err != nil {
		return models.ShipmentsPage{}, err
	}
	orders := list.Items
	inPage := map[int64]bool{}
	for _, o := range orders {
		inPage[o.EntityID] = true
	}
	var watched []wireOrder
	if max(cur.Page, 1) == 1 && len(cur.Watch) > 0 {
		var ids []string
		for id := range cur.Watch {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil && !inPage[n] {
				ids = append(ids, id)
			}
		}
		if len(ids) > 0 {
			sort.Strings(ids)
			if watched, err = c.searchOrders(ctx, searchCriteria{}.and(filter{"entity_id", strings.Join(ids, ","), "in"})); err != nil {
				return models.ShipmentsPage{}, err
			}
		}
	}
	tracks, err := c.shipmentsOf(ctx, append(append([]wireOrder(nil), orders...), watched...))
	if err != nil {
		return models.ShipmentsPage{}, err
	}
	now := c.serverTime(res)
	watch := map[string]string{}
	for id, since := range cur.Watch {
		watch[id] = since
	}
	var shipments []models.StoreShipment
	for _, o := range orders {
		shipment := c.shipmentFromWire(o, tracks[o.EntityID])
		shipments = append(shipments, shipment)
		c.updateWatch(watch, shipment, now)
	}
	for _, o := range watched {
		shipment := c.shipmentFromWire(o, tracks[o.EntityID])
		if shipment.TrackingNumber != "" || shipment.Cancelled || !shipment.Shipped {
			shipments = append(shipments, shipment)
		}
		c.updateWatch(watch, shipment, now)
	}
	if len(watch) == 0 {
		watch = nil
	}
	cur.Watch = watch
	next, more := c.advance(cur, res, list.TotalCount)
	return models.ShipmentsPage{Shipments: shipments, Cursor: next.encode(), More: more}, nil
}

// updateWatch keeps an order completed without a track on the watch list for the window.
func (c *Client) updateWatch(watch map[string]string, shipment models.StoreShipment, now time.Time) {
	id := shipment.StoreOrderID
	if !shipment.Shipped || shipment.Cancelled || shipment.TrackingNumber != "" {
		delete(watch, id)
		return
	}
	since, seen := watch[id]
	if !seen {
		watch[id] = formatTime(now)
		return
	}
	if at, err := parseTime(since); err != nil || now.Sub(at) > c.trackingWindow {
		delete(watch, id)
	}
}

// shipmentsOf reads the shipments of the given orders, by order id.
func (c *Client) shipmentsOf(ctx context.Context, orders []wireOrder) (map[int64][]wireShipment, error) {
	byOrder := map[int64][]wireShipment{}
	var ids []string
	for _, o := range orders {
		ids = append(ids, strconv.FormatInt(o.EntityID, 10))
	}
	if len(ids) == 0 {
		return byOrder, nil
	}
	sc := searchCriteria{Sort: []sortOrder{{"entity_id", "ASC"}}, PageSize: c.pageSize}.and(filter{"order_id", strings.Join(ids, ","), "in"})
	for page := 1; ; page++ {
		sc.CurrentPage = page
		var list wireList[wireShipment]
		if _, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/shipments", Query: sc.values(), Out: &list}); err != nil {
			return nil, err
		}
		for _, s := range list.Items {
			byOrder[s.OrderID] = append(byOrder[s.OrderID], s)
		}
		if page*c.pageSize >= list.TotalCount || len(list.Items) == 0 {
			return byOrder, nil
		}
	}
}

// shipmentFromWire reads an order's state and its latest track. A "custom" carrier is named
// by the track's title, as the merchant typed it.
func (c *Client) shipmentFromWire(o wireOrder, shipments []wireShipment) models.StoreShipment {
	shipment := models.StoreShipment{
		StoreOrderID: strconv.FormatInt(o.EntityID, 10),
		RawStatus:    o.Status,
		Shipped:      o.State == "complete" || contains(c.cfg.ShippedStatuses, strings.ToLower(o.Status)),
		Cancelled:    o.State == "canceled" || o.State == "closed",
	}
	if updated, err := parseTime(o.UpdatedAt); err == nil {
		shipment.UpdatedAt = updated
	}
	var latest *wireTrack
	var latestAt time.Time
	for i := range shipments {
		s := &shipments[i]
		if created, err := parseTime(s.CreatedAt); err == nil && (shipment.ShippedAt == nil || created.Before(*shipment.ShippedAt)) {
			shipment.ShippedAt = &created
		}
		for j := range s.Tracks {
			track := &s.Tracks[j]
			at, _ := parseTime(track.CreatedAt)
			if latest == nil || at.After(latestAt) || (at.Equal(latestAt) && track.EntityID > latest.EntityID) {
				latest, latestAt = track, at
			}
		}
	}
	if latest != nil {
		shipment.Carrier = latest.CarrierCode
		if latest.CarrierCode == "custom" || latest.CarrierCode == "" {
			shipment.Carrier = firstNonEmpty(latest.Title, latest.CarrierCode)
		}
		shipment.TrackingNumber = strings.TrimSpace(latest.TrackNumber)
		shipment.TrackingURL = c.trackingURL(latest.CarrierCode, latest.Title, shipment.TrackingNumber)
	}
	if !shipment.Shipped {
		shipment.ShippedAt = nil
	}
	return shipment
}

// trackingURL fills the merchant's template for the carrier code, or for the title of a
// custom carrier; "" when there is none (Magento keeps no tracking URL).
func (c *Client) trackingURL(carrierCode, title, number string) string {
	if number == "" {
		return ""
	}
	for _, key := range []string{carrierCode, title} {
		if key == "" {
			continue
		}
		for name, template := range c.cfg.CarrierURLs {
			if strings.EqualFold(strings.TrimSpace(name), key) {
				return strings.ReplaceAll(template, "{tracking}", urlQueryEscape(number))
			}
		}
	}
	return ""
}

func contains(values []string, value string) bool {
	for _, v := range values {
		if v == value {
			return true
		}
	}
	return false
}
