package woocommerce

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TrackingItem is a shipment tracking as the merchant enters it in the Shipment Tracking
// extension: a predefined provider, or a custom one with its own link.
type TrackingItem struct {
	TrackingProvider       string // a predefined provider's slug, e.g. "ups"
	CustomTrackingProvider string // a carrier the extension does not list
	CustomTrackingLink     string // may hold %1$s for the number (and %2$s for the postcode)
	TrackingNumber         string
	DateShipped            time.Time // zero: now
}

// trackingProvider is one carrier the extension lists, with its link template.
type trackingProvider struct {
	slug, name, country, link string
}

// trackingProviders is a small part of the extension's list, enough for the demo and tests.
var trackingProviders = []trackingProvider{
	{"usps", "USPS", "United States", "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s"},
	{"ups", "UPS", "United States", "https://www.ups.com/track?loc=en_US&tracknum=%1$s"},
	{"fedex", "Fedex", "United States", "https://www.fedex.com/apps/fedextrack/?action=track&tracknumbers=%1$s"},
	{"dhl-us", "DHL US", "United States", "https://www.logistics.dhl/us-en/home/tracking/tracking-ecommerce.html?tracking-id=%1$s"},
	{"royal-mail", "Royal Mail", "United Kingdom", "https://www.royalmail.com/track-your-item#/tracking-results/%1$s"},
	{"colissimo", "Colissimo", "France", "https://www.laposte.fr/outils/suivre-vos-envois?code=%1$s"},
	{"postnl", "PostNL", "Netherlands", "https://postnl.nl/tracktrace/?B=%1$s&P=%2$s&D=NL&T=C"},
	{"dhl-parcel-nl", "DHL Parcel", "Netherlands", "https://www.dhlparcel.nl/nl/volg-uw-zending?tc=%1$s&pc=%2$s"},
}

func findProvider(slug string) (trackingProvider, bool) {
	for _, provider := range trackingProviders {
		if provider.slug == slug {
			return provider, true
		}
	}
	return trackingProvider{}, false
}

// AddTracking adds a tracking to an order's _wc_shipment_tracking_items meta, as the
// extension does. It saves only the meta: date_modified moves with HPOS order storage (the
// default), not with posts storage (see SetPostsStorage).
func (f *Fake) AddTracking(orderID int64, item TrackingItem) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	order := f.orders[orderID]
	if order == nil {
		return fmt.Errorf("woocommerce fake: no order %d", orderID)
	}
	f.appendTracking(order, item, false)
	return nil
}

// CompleteOrder marks an order completed as the merchant does when it ships, with the
// tracking first when given; the save moves date_modified.
func (f *Fake) CompleteOrder(orderID int64, tracking *TrackingItem) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	order := f.orders[orderID]
	if order == nil {
		return fmt.Errorf("woocommerce fake: no order %d", orderID)
	}
	if tracking != nil {
		f.appendTracking(order, *tracking, false)
	}
	f.setStatus(order, "completed")
	order.modified = f.now()
	return nil
}

// appendTracking adds an item to the meta. The extension's route stores date_shipped as a
// string of the unix time; code saving through PHP directly leaves a number.
func (f *Fake) appendTracking(order *fakeOrder, item TrackingItem, dateAsString bool) trackingMetaItem {
	var items []json.RawMessage
	index := -1
	for i, entry := range order.meta {
		if entry.Key == metaTrackingItems {
			index = i
			json.Unmarshal(entry.Value, &items)
		}
	}
	shipped := item.DateShipped
	if shipped.IsZero() {
		shipped = f.now()
	}
	sum := md5.Sum([]byte(item.TrackingNumber + item.TrackingProvider + item.CustomTrackingProvider + randomToken(8)))
	stored := trackingMetaItem{
		TrackingProvider:       slugify(item.TrackingProvider),
		CustomTrackingProvider: item.CustomTrackingProvider,
		CustomTrackingLink:     item.CustomTrackingLink,
		TrackingNumber:         item.TrackingNumber,
		DateShipped:            shipped.Unix(),
		TrackingID:             hex.EncodeToString(sum[:]),
	}
	if dateAsString {
		stored.DateShipped = strconv.FormatInt(shipped.Unix(), 10)
	}
	if !f.postsStorage {
		order.modified = f.now()
	}
	items = append(items, mustJSON(stored))
	if index < 0 {
		f.nextMetaID++
		order.meta = append(order.meta, FakeMeta{ID: f.nextMetaID, Key: metaTrackingItems, Value: mustJSON(items)})
	} else {
		order.meta[index].Value = mustJSON(items)
	}
	return stored
}

func (f *Fake) trackingItems(order *fakeOrder) []trackingMetaItem {
	var items []trackingMetaItem
	for _, entry := range order.meta {
		if entry.Key == metaTrackingItems {
			json.Unmarshal(entry.Value, &items)
		}
	}
	return items
}

func (f *Fake) listTrackings(w http.ResponseWriter, r *http.Request, ids []int64) {
	order := f.orders[ids[0]]
	if order == nil {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
		return
	}
	answer := []trackingJSON{}
	for _, item := range f.trackingItems(order) {
		answer = append(answer, renderTracking(r, order, item))
	}
	f.writeJSON(w, http.StatusOK, answer)
}

func (f *Fake) createTracking(w http.ResponseWriter, r *http.Request, ids []int64) {
	order := f.orders[ids[0]]
	if order == nil {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
		return
	}
	body, err := readJSONBody(r)
	if err != nil {
		f.writeError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	s := schema{errs: paramErrors{}}
	item := TrackingItem{}
	for field, target := range map[string]*string{
		"tracking_provider": &item.TrackingProvider, "custom_tracking_provider": &item.CustomTrackingProvider,
		"custom_tracking_link": &item.CustomTrackingLink, "tracking_number": &item.TrackingNumber,
	} {
		if text := s.str(body, field, field, field); text != nil {
			*target = strings.TrimSpace(*text)
		}
	}
	dateText := s.str(body, "date_shipped", "date_shipped", "date_shipped")
	if len(s.errs) > 0 {
		f.writeInvalidParams(w, s.errs)
		return
	}
	if item.TrackingNumber == "" {
		f.writeJSON(w, http.StatusBadRequest, &restError{Code: "rest_missing_callback_param", Message: "Missing parameter(s): tracking_number",
			Data: map[string]any{"status": http.StatusBadRequest, "params": []string{"tracking_number"}}})
		return
	}
	if dateText != nil && *dateText != "" {
		// The route takes a date (read as midnight UTC, WordPress's PHP zone) or a unix time.
		if shipped, err := time.Parse(time.DateOnly, *dateText); err == nil {
			item.DateShipped = shipped
		} else if seconds, err := strconv.ParseInt(*dateText, 10, 64); err == nil {
			item.DateShipped = time.Unix(seconds, 0)
		} else {
			f.writeInvalidParams(w, paramErrors{"date_shipped": "Invalid date."})
			return
		}
	}
	stored := f.appendTracking(order, item, true)
	f.writeJSON(w, http.StatusCreated, renderTracking(r, order, stored))
}

func (f *Fake) listProviders(w http.ResponseWriter, r *http.Request, ids []int64) {
	answer := map[string]map[string]string{}
	for _, provider := range trackingProviders {
		if answer[provider.country] == nil {
			answer[provider.country] = map[string]string{}
		}
		answer[provider.country][provider.name] = provider.link
	}
	f.writeJSON(w, http.StatusOK, answer)
}

// renderTracking formats an item as the route answers: the provider's name, its link filled
// in, and the date as YYYY-MM-DD.
func renderTracking(r *http.Request, order *fakeOrder, item trackingMetaItem) trackingJSON {
	name, link := item.CustomTrackingProvider, item.CustomTrackingLink
	if provider, ok := findProvider(item.TrackingProvider); ok {
		name, link = provider.name, provider.link
	} else if name == "" {
		name = item.TrackingProvider
	}
	link = strings.ReplaceAll(link, "%1$s", url.QueryEscape(item.TrackingNumber))
	link = strings.ReplaceAll(link, "%2$s", url.QueryEscape(order.shipping.Postcode))
	var shipped int64
	switch v := item.DateShipped.(type) {
	case float64:
		shipped = int64(v)
	case string:
		shipped, _ = strconv.ParseInt(v, 10, 64)
	case int64:
		shipped = v
	}
	base := fmt.Sprintf("%s/wp-json/wc-shipment-tracking/v3/orders/%d/shipment-trackings", baseURL(r), order.id)
	return trackingJSON{
		TrackingID: item.TrackingID, TrackingProvider: name, TrackingLink: link, TrackingNumber: item.TrackingNumber,
		DateShipped: time.Unix(shipped, 0).UTC().Format(time.DateOnly),
		Links: fakeLinks{
			"self":       {{Href: base + "/" + item.TrackingID}},
			"collection": {{Href: base}},
			"up":         {{Href: fmt.Sprintf("%s/wp-json/wc/v3/orders/%d", baseURL(r), order.id)}},
		},
	}
}
