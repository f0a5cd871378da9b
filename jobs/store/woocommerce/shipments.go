package woocommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// shipmentsCursor is where Shipments resumes. WooCommerce cannot sort by modification date,
// so changes are read in windows: every order modified after Since, by creation date, page by
// page; the next window starts from what this one saw. Times are UTC, as WooCommerce writes
// them.
type shipmentsCursor struct {
	Since  string `json:"since,omitempty"`  // the window's modified_after; "" reads everything
	Page   int    `json:"page,omitempty"`   // the next page of the window
	Latest string `json:"latest,omitempty"` // the greatest date_modified_gmt seen in the window
	Opened string `json:"opened,omitempty"` // the shop's time when the window's first page was read
}

// Shipments returns one page of orderhub-created orders changed since cursor. The pages of a
// window are read in turn; when the window is exhausted, the next one starts one second
// before the earlier of the latest change seen and the time the window was opened. The
// second covers changes within the same second (the filter is strict); the opening time
// covers an order read on an early page and changed while later pages were read, whose new
// date may be older than the latest change seen. Orders may come twice; orderhub handles it.
func (c *Client) Shipments(ctx context.Context, cursor string) (models.ShipmentsPage, error) {
	cur, err := parseShipmentsCursor(cursor)
	if err != nil {
		return models.ShipmentsPage{}, err
	}
	page := max(cur.Page, 1)
	query := url.Values{"dates_are_gmt": {"true"}, "orderby": {"date"}, "order": {"asc"}}
	if cur.Since != "" {
		query.Set("modified_after", cur.Since)
	}
	var items []wireOrder
	res, err := c.do(ctx, apiclient.Request{Method: http.MethodGet, Path: "/orders", Query: c.pageQuery(page, query), Out: &items})
	if err != nil {
		return models.ShipmentsPage{}, err
	}
	if page == 1 {
		cur.Latest, cur.Opened = "", ""
		if opened, err := http.ParseTime(res.Header.Get("Date")); err == nil && !opened.UTC().Before(parseWooTime(cur.Since)) {
			cur.Opened = formatWooTime(opened)
		}
	}
	var shipments []models.StoreShipment
	for _, item := range items {
		// A date past year 9999 cannot be written in the cursor: it would read as no date and
		// send the next window back to the beginning of time. Such an order is read, not followed.
		if modified := item.DateModifiedGMT.Time; modified.Year() <= 9999 && modified.After(parseWooTime(cur.Latest)) {
			cur.Latest = formatWooTime(modified)
		}
		if shipment, ok := shipmentFromWire(item); ok {
			shipments = append(shipments, shipment)
		}
	}
	if c.morePages(res, page, len(items)) {
		cur.Page = page + 1
		return models.ShipmentsPage{Shipments: shipments, Cursor: cur.encode(), More: true}, nil
	}
	next := shipmentsCursor{Since: cur.Since}
	if cur.Latest != "" {
		end := parseWooTime(cur.Latest)
		if opened := parseWooTime(cur.Opened); cur.Opened != "" && opened.Before(end) {
			end = opened
		}
		next.Since = formatWooTime(end.Add(-time.Second))
	}
	return models.ShipmentsPage{Shipments: shipments, Cursor: next.encode()}, nil
}

func parseShipmentsCursor(cursor string) (shipmentsCursor, error) {
	var cur shipmentsCursor
	if cursor == "" {
		return cur, nil
	}
	if err := json.Unmarshal([]byte(cursor), &cur); err != nil {
		return cur, fmt.Errorf("woocommerce shipments cursor %s is unreadable: %w", strconv.Quote(cursor), err)
	}
	for _, value := range []string{cur.Since, cur.Latest, cur.Opened} {
		if value != "" {
			if _, err := time.Parse(wooTimeLayout, value); err != nil {
				return cur, fmt.Errorf("woocommerce shipments cursor %s holds a bad date %q", strconv.Quote(cursor), value)
			}
		}
	}
	return cur, nil
}

func (cur shipmentsCursor) encode() string {
	encoded, _ := json.Marshal(cur)
	return string(encoded)
}

// parseWooTime reads a date the cursor wrote; "" is the zero time.
func parseWooTime(value string) time.Time {
	parsed, _ := time.Parse(wooTimeLayout, value)
	return parsed
}
