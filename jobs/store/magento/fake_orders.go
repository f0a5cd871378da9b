package magento

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type fakeOrder struct {
	id                       int64
	increment                string
	ext                      string
	state, status            string
	email                    string
	shipping, billing        wireAddress
	quoteID                  int64
	shippingMethod           string
	items                    []*fakeOrderItem
	subtotal, shippingAmount int64
	grand, invoiced, paid    int64
	refunded                 int64
	histories                []map[string]any
	created, updated         time.Time
}

type fakeOrderItem struct {
	itemID                 int64
	sku, name              string
	qty, shipped, canceled int
	invoiced, refunded     int
	price, row             int64 // cents, tax included
}

type fakeShipment struct {
	id, orderID      int64
	created, updated time.Time
	items            map[int64]int
	tracks           []*fakeTrack
}

type fakeTrack struct {
	id                     int64
	number, title, carrier string
	created                time.Time
}

var orderFields = map[string]bool{"entity_id": true, "increment_id": true, "ext_order_id": true, "state": true, "status": true,
	"customer_email": true, "created_at": true, "updated_at": true, "grand_total": true, "quote_id": true}

func (o *fakeOrder) field(name string) (string, bool) {
	switch name {
	case "entity_id":
		return strconv.FormatInt(o.id, 10), true
	case "increment_id":
		return o.increment, true
	case "ext_order_id":
		return o.ext, o.ext != ""
	case "state":
		return o.state, true
	case "status":
		return o.status, true
	case "customer_email":
		return o.email, true
	case "created_at":
		return formatTime(o.created), true
	case "updated_at":
		return formatTime(o.updated), true
	case "grand_total":
		return formatDecimal(o.grand, 2), true
	case "quote_id":
		return strconv.FormatInt(o.quoteID, 10), true
	}
	return "", false
}

func addressWire(a wireAddress, kind string, orderID int64) map[string]any {
	return map[string]any{"address_type": kind, "parent_id": orderID, "firstname": a.Firstname, "lastname": a.Lastname,
		"company": a.Company, "street": a.Street, "city": a.City, "postcode": a.Postcode, "country_id": a.CountryID,
		"region": a.Region, "telephone": a.Telephone, "email": a.Email}
}

// wire renders an order as GET /V1/orders/{id} does; null fields (ext_order_id unset) are
// left out, as Magento leaves them out.
func (f *Fake) orderWire(o *fakeOrder) map[string]any {
	items := []map[string]any{}
	for _, item := range o.items {
		items = append(items, map[string]any{
			"item_id": item.itemID, "order_id": o.id, "sku": item.sku, "name": item.name, "product_type": "simple",
			"qty_ordered": item.qty, "qty_shipped": item.shipped, "qty_invoiced": item.invoiced,
			"qty_canceled": item.canceled, "qty_refunded": item.refunded,
			"price": money(item.price, 2), "base_price": money(item.price, 2), "original_price": money(item.price, 2),
			"price_incl_tax": money(item.price, 2), "row_total": money(item.row, 2), "row_total_incl_tax": money(item.row, 2),
			"tax_amount": 0,
		})
	}
	out := map[string]any{
		"entity_id": o.id, "increment_id": o.increment, "state": o.state, "status": o.status, "quote_id": o.quoteID,
		"customer_email": o.email, "customer_firstname": o.billing.Firstname, "customer_lastname": o.billing.Lastname,
		"customer_is_guest": 1, "order_currency_code": f.currency, "base_currency_code": f.currency,
		"subtotal": money(o.subtotal, 2), "shipping_amount": money(o.shippingAmount, 2), "grand_total": money(o.grand, 2),
		"base_grand_total": money(o.grand, 2), "total_invoiced": money(o.invoiced, 2), "total_paid": money(o.paid, 2),
		"total_refunded": money(o.refunded, 2), "total_qty_ordered": 0, "shipping_description": "Flat Rate - Fixed",
		"created_at": formatTime(o.created), "updated_at": formatTime(o.updated), "items": items,
		"billing_address":  addressWire(o.billing, "billing", o.id),
		"payment":          map[string]any{"method": "checkmo", "parent_id": o.id},
		"status_histories": append([]map[string]any{}, o.histories...),
		"extension_attributes": map[string]any{"shipping_assignments": []map[string]any{{
			"shipping": map[string]any{"address": addressWire(o.shipping, "shipping", o.id), "method": o.shippingMethod},
			"items":    items,
		}}},
	}
	if o.ext != "" {
		out["ext_order_id"] = o.ext
	}
	return out
}

func (f *Fake) listOrders(w http.ResponseWriter, r *http.Request, _ []string) {
	search, ok := f.parseSearch(w, r, orderFields)
	if !ok {
		return
	}
	all := make([]*fakeOrder, 0, len(f.orderIDs))
	for _, id := range f.orderIDs {
		all = append(all, f.orders[id])
	}
	page, total := apply(search, all, (*fakeOrder).field)
	items := make([]map[string]any, 0, len(page))
	for _, o := range page {
		items = append(items, f.orderWire(o))
	}
	f.writeJSON(w, http.StatusOK, map[string]any{"items": items, "search_criteria": search.echo(), "total_count": total})
}

const entityMissing = "The entity that was requested doesn't exist. Verify the entity and try again."

func (f *Fake) order(w http.ResponseWriter, id string) (*fakeOrder, bool) {
	n, _ := strconv.ParseInt(id, 10, 64)
	o, ok := f.orders[n]
	if !ok {
		f.writeError(w, http.StatusNotFound, entityMissing)
	}
	return o, ok
}

func (f *Fake) getOrder(w http.ResponseWriter, r *http.Request, args []string) {
	if o, ok := f.order(w, args[0]); ok {
		f.writeJSON(w, http.StatusOK, f.orderWire(o))
	}
}

// readMoney reads a decimal field of a saved entity; Magento refuses a value of the wrong type.
func (f *Fake) readMoney(w http.ResponseWriter, fields map[string]json.RawMessage, name string, into *int64) bool {
	raw, present := fields[name]
	if !present {
		return true
	}
	var number json.Number
	if json.Unmarshal(raw, &number) != nil {
		f.writeError(w, http.StatusBadRequest, `The "%value" value's type is invalid. The "%type" type was expected. Verify and try again.`, map[string]string{"value": string(raw), "type": "float"})
		return false
	}
	amount, err := parseMinor(number.String(), 2)
	if err != nil {
		f.writeError(w, http.StatusBadRequest, `The "%value" value's type is invalid. The "%type" type was expected. Verify and try again.`, map[string]string{"value": string(raw), "type": "float"})
		return false
	}
	*into = amount
	return true
}

// saveOrder answers POST /V1/orders {"entity":{…}}: the fields given replace the stored ones
// of the order entity_id names, and of its items by item_id.
func (f *Fake) saveOrder(w http.ResponseWriter, r *http.Request, _ []string) {
	body, ok := f.decodeBody(w, r)
	if !ok {
		return
	}
	var entity map[string]json.RawMessage
	if raw, present := body["entity"]; !present || json.Unmarshal(raw, &entity) != nil {
		f.writeError(w, http.StatusBadRequest, `"%fieldName" is required. Enter and try again.`, map[string]string{"fieldName": "entity"})
		return
	}
	var id int64
	if raw, present := entity["entity_id"]; !present || json.Unmarshal(raw, &id) != nil || id == 0 {
		// A save without entity_id would insert an order without a quote: the fake refuses it.
		f.writeError(w, http.StatusBadRequest, "The order couldn't be saved.")
		return
	}
	o, ok := f.orders[id]
	if !ok {
		f.writeError(w, http.StatusNotFound, entityMissing)
		return
	}
	updated := *o
	if raw, present := entity["ext_order_id"]; present {
		var ext string
		if json.Unmarshal(raw, &ext) != nil || len(ext) > 32 {
			f.writeError(w, http.StatusBadRequest, "The order couldn't be saved.")
			return
		}
		updated.ext = ext
	}
	for name, into := range map[string]*int64{"subtotal": &updated.subtotal, "shipping_amount": &updated.shippingAmount, "grand_total": &updated.grand} {
		if !f.readMoney(w, entity, name, into) {
			return
		}
	}
	type itemChange struct {
		item       *fakeOrderItem
		price, row int64
	}
	var changes []itemChange
	if raw, present := entity["items"]; present {
		var items []map[string]json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			f.writeError(w, http.StatusBadRequest, `The "%value" value's type is invalid. The "%type" type was expected. Verify and try again.`, map[string]string{"value": "items", "type": "array"})
			return
		}
		for _, fields := range items {
			var itemID int64
			json.Unmarshal(fields["item_id"], &itemID)
			var item *fakeOrderItem
			for _, candidate := range o.items {
				if candidate.itemID == itemID {
					item = candidate
				}
			}
			if item == nil {
				f.writeError(w, http.StatusBadRequest, "The order couldn't be saved.")
				return
			}
			change := itemChange{item: item, price: item.price, row: item.row}
			if !f.readMoney(w, fields, "price_incl_tax", &change.price) || !f.readMoney(w, fields, "row_total_incl_tax", &change.row) {
				return
			}
			changes = append(changes, change)
		}
	}
	for _, change := range changes {
		change.item.price, change.item.row = change.price, change.row
	}
	updated.items = o.items
	updated.updated = f.now()
	*o = updated
	f.writeJSON(w, http.StatusOK, f.orderWire(o))
}

func (f *Fake) addComment(w http.ResponseWriter, r *http.Request, args []string) {
	o, ok := f.order(w, args[0])
	if !ok {
		return
	}
	body, ok := f.decodeBody(w, r)
	if !ok {
		return
	}
	var history struct {
		Comment string `json:"comment"`
		Notify  int    `json:"is_customer_notified"`
		Visible int    `json:"is_visible_on_front"`
		Status  string `json:"status"`
	}
	if raw, present := body["statusHistory"]; !present || json.Unmarshal(raw, &history) != nil {
		f.writeError(w, http.StatusBadRequest, `"%fieldName" is required. Enter and try again.`, map[string]string{"fieldName": "statusHistory"})
		return
	}
	now := f.now()
	o.histories = append([]map[string]any{{"entity_id": f.newID(), "parent_id": o.id, "comment": history.Comment,
		"is_customer_notified": history.Notify, "is_visible_on_front": history.Visible, "status": o.status,
		"entity_name": "order", "created_at": formatTime(now)}}, o.histories...)
	o.updated = now
	f.writeJSON(w, http.StatusOK, true)
}

func (o *fakeOrder) canInvoice() bool {
	if o.state == "canceled" || o.state == "closed" || o.state == "holded" {
		return false
	}
	for _, item := range o.items {
		if item.invoiced+item.canceled < item.qty {
			return true
		}
	}
	return false
}

func (o *fakeOrder) canCancel() bool {
	if o.state == "canceled" || o.state == "complete" || o.state == "closed" || o.state == "holded" {
		return false
	}
	for _, item := range o.items {
		if item.invoiced+item.canceled < item.qty {
			return true
		}
	}
	return false
}

func (o *fakeOrder) allShipped() bool {
	for _, item := range o.items {
		if item.shipped+item.canceled+item.refunded < item.qty {
			return false
		}
	}
	return true
}

// settleState moves the order to processing or complete as Magento's state machine does.
func (o *fakeOrder) settleState() {
	if o.state == "canceled" || o.state == "closed" {
		return
	}
	invoicedAll := !o.canInvoice()
	shippedAny := false
	for _, item := range o.items {
		shippedAny = shippedAny || item.shipped > 0
	}
	switch {
	case invoicedAll && o.allShipped():
		o.state, o.status = "complete", "complete"
	case o.invoiced > 0 || shippedAny:
		o.state, o.status = "processing", "processing"
	}
}

// invoiceOrder answers POST /V1/order/{id}/invoice: everything invoiced and paid (an offline
// method captures at once); the invoice id comes back as a JSON string.
func (f *Fake) invoiceOrder(w http.ResponseWriter, r *http.Request, args []string) {
	o, ok := f.order(w, args[0])
	if !ok {
		return
	}
	if _, ok := f.decodeBody(w, r); !ok {
		return
	}
	if !o.canInvoice() {
		f.writeError(w, http.StatusBadRequest, "Invoice Document Validation Error(s):\nThe order does not allow an invoice to be created.")
		return
	}
	for _, item := range o.items {
		item.invoiced = item.qty - item.canceled
	}
	o.invoiced, o.paid = o.grand, o.grand
	o.settleState()
	o.updated = f.now()
	f.writeJSON(w, http.StatusOK, strconv.FormatInt(f.newID(), 10))
}

type fakeTrackIn struct {
	TrackNumber string `json:"track_number"`
	Title       string `json:"title"`
	CarrierCode string `json:"carrier_code"`
}

// shipOrder answers POST /V1/order/{id}/ship: the items given (all by default), with tracks.
func (f *Fake) shipOrder(w http.ResponseWriter, r *http.Request, args []string) {
	o, ok := f.order(w, args[0])
	if !ok {
		return
	}
	body, ok := f.decodeBody(w, r)
	if !ok {
		return
	}
	var in struct {
		Items []struct {
			OrderItemID int64 `json:"order_item_id"`
			Qty         int   `json:"qty"`
		} `json:"items"`
		Tracks []fakeTrackIn `json:"tracks"`
	}
	encoded, _ := json.Marshal(body)
	if json.Unmarshal(encoded, &in) != nil {
		f.writeError(w, http.StatusBadRequest, "Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created.")
		return
	}
	quantities := map[int64]int{}
	for _, item := range in.Items {
		quantities[item.OrderItemID] += item.Qty
	}
	if _, err := f.ship(o, quantities, in.Tracks); err != "" {
		f.writeError(w, http.StatusBadRequest, err)
		return
	}
	f.writeJSON(w, http.StatusOK, strconv.FormatInt(f.shipments[len(f.shipments)-1].id, 10))
}

// ship creates a shipment; quantities empty ships everything left. It answers Magento's
// validation message on refusal.
func (f *Fake) ship(o *fakeOrder, quantities map[int64]int, tracks []fakeTrackIn) (*fakeShipment, string) {
	const refused = "Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created."
	if o.state == "canceled" || o.state == "closed" || o.state == "holded" {
		return nil, refused
	}
	for _, t := range tracks {
		if strings.TrimSpace(t.TrackNumber) == "" || t.CarrierCode == "" {
			return nil, "Shipment Document Validation Error(s):\nPlease enter a tracking number."
		}
	}
	now := f.now()
	shipment := &fakeShipment{id: f.newID(), orderID: o.id, created: now, updated: now, items: map[int64]int{}}
	for _, item := range o.items {
		left := item.qty - item.shipped - item.canceled - item.refunded
		want := left
		if len(quantities) > 0 {
			want = quantities[item.itemID]
		}
		if want > left {
			return nil, refused
		}
		if want > 0 {
			shipment.items[item.itemID] = want
		}
	}
	if len(shipment.items) == 0 {
		return nil, refused
	}
	for _, item := range o.items {
		qty := shipment.items[item.itemID]
		if qty == 0 {
			continue
		}
		item.shipped += qty
		if p, ok := f.products[item.sku]; ok && p.manageStock && f.msi {
			p.qty -= qty
			p.reserved -= qty
			p.updated = now
		}
	}
	for _, t := range tracks {
		shipment.tracks = append(shipment.tracks, &fakeTrack{id: f.newID(), number: t.TrackNumber, title: t.Title, carrier: t.CarrierCode, created: now})
	}
	f.shipments = append(f.shipments, shipment)
	o.settleState()
	o.updated = now
	return shipment, ""
}

// release gives back the stock of what an order will not ship.
func (f *Fake) release(o *fakeOrder, item *fakeOrderItem, qty int) {
	p, ok := f.products[item.sku]
	if !ok || !p.manageStock || qty <= 0 {
		return
	}
	if f.msi {
		p.reserved -= qty
	} else {
		p.qty += qty
	}
	p.updated = f.now()
}

// cancelOrder answers POST /V1/orders/{id}/cancel: true when cancelled, false when Magento
// cannot (invoiced, shipped, already cancelled).
func (f *Fake) cancelOrder(w http.ResponseWriter, r *http.Request, args []string) {
	o, ok := f.order(w, args[0])
	if !ok {
		return
	}
	f.writeJSON(w, http.StatusOK, f.cancel(o))
}

func (f *Fake) cancel(o *fakeOrder) bool {
	if !o.canCancel() {
		return false
	}
	for _, item := range o.items {
		left := item.qty - item.shipped - item.canceled - item.invoiced
		if left > 0 {
			item.canceled += left
			f.release(o, item, left)
		}
	}
	o.state, o.status, o.updated = "canceled", "canceled", f.now()
	return true
}

// refundOrder answers POST /V1/order/{id}/refund: an offline credit memo for everything
// invoiced and not refunded; an order refunded in full is closed.
func (f *Fake) refundOrder(w http.ResponseWriter, r *http.Request, args []string) {
	o, ok := f.order(w, args[0])
	if !ok {
		return
	}
	if _, ok := f.decodeBody(w, r); !ok {
		return
	}
	if !f.refund(o) {
		f.writeError(w, http.StatusBadRequest, "Creditmemo Document Validation Error(s):\nThe order does not allow a creditmemo to be created.")
		return
	}
	f.writeJSON(w, http.StatusOK, strconv.FormatInt(f.newID(), 10))
}

func (f *Fake) refund(o *fakeOrder) bool {
	if o.paid <= o.refunded || o.state == "canceled" || o.state == "closed" {
		return false
	}
	for _, item := range o.items {
		qty := item.invoiced - item.refunded
		if qty <= 0 {
			continue
		}
		unshipped := max(qty-item.shipped, 0)
		item.refunded += qty
		f.release(o, item, unshipped)
	}
	o.refunded = o.paid
	o.state, o.status, o.updated = "closed", "closed", f.now()
	return true
}

var shipmentFields = map[string]bool{"entity_id": true, "order_id": true, "created_at": true, "updated_at": true}

func (s *fakeShipment) field(name string) (string, bool) {
	switch name {
	case "entity_id":
		return strconv.FormatInt(s.id, 10), true
	case "order_id":
		return strconv.FormatInt(s.orderID, 10), true
	case "created_at":
		return formatTime(s.created), true
	case "updated_at":
		return formatTime(s.updated), true
	}
	return "", false
}

func (f *Fake) shipmentWire(s *fakeShipment) map[string]any {
	tracks := []map[string]any{}
	for _, t := range s.tracks {
		tracks = append(tracks, map[string]any{"entity_id": t.id, "parent_id": s.id, "order_id": s.orderID,
			"track_number": t.number, "title": t.title, "carrier_code": t.carrier, "description": nil,
			"qty": nil, "weight": nil, "created_at": formatTime(t.created), "updated_at": formatTime(t.created)})
	}
	items := []map[string]any{}
	total := 0
	for itemID, qty := range s.items {
		items = append(items, map[string]any{"order_item_id": itemID, "qty": qty, "parent_id": s.id})
		total += qty
	}
	return map[string]any{"entity_id": s.id, "order_id": s.orderID, "increment_id": f.orders[s.orderID].increment,
		"total_qty": total, "created_at": formatTime(s.created), "updated_at": formatTime(s.updated),
		"items": items, "tracks": tracks, "comments": []any{}, "packages": []any{}}
}

func (f *Fake) listShipments(w http.ResponseWriter, r *http.Request, _ []string) {
	search, ok := f.parseSearch(w, r, shipmentFields)
	if !ok {
		return
	}
	page, total := apply(search, f.shipments, (*fakeShipment).field)
	items := make([]map[string]any, 0, len(page))
	for _, s := range page {
		items = append(items, f.shipmentWire(s))
	}
	f.writeJSON(w, http.StatusOK, map[string]any{"items": items, "search_criteria": search.echo(), "total_count": total})
}

// addTrack answers POST /V1/shipment/track {"entity":{order_id, parent_id, …}}. Only the track
// is saved: the order's updated_at does not move.
func (f *Fake) addTrack(w http.ResponseWriter, r *http.Request, _ []string) {
	body, ok := f.decodeBody(w, r)
	if !ok {
		return
	}
	var in struct {
		fakeTrackIn
		OrderID  int64 `json:"order_id"`
		ParentID int64 `json:"parent_id"`
	}
	if raw, present := body["entity"]; !present || json.Unmarshal(raw, &in) != nil {
		f.writeError(w, http.StatusBadRequest, `"%fieldName" is required. Enter and try again.`, map[string]string{"fieldName": "entity"})
		return
	}
	var shipment *fakeShipment
	for _, s := range f.shipments {
		if s.id == in.ParentID && s.orderID == in.OrderID {
			shipment = s
		}
	}
	if shipment == nil {
		f.writeError(w, http.StatusBadRequest, "Could not save the shipment tracking.")
		return
	}
	if strings.TrimSpace(in.TrackNumber) == "" || in.CarrierCode == "" {
		f.writeError(w, http.StatusBadRequest, "Please enter a tracking number.")
		return
	}
	track := &fakeTrack{id: f.newID(), number: in.TrackNumber, title: in.Title, carrier: in.CarrierCode, created: f.now()}
	shipment.tracks = append(shipment.tracks, track)
	f.writeJSON(w, http.StatusOK, map[string]any{"entity_id": track.id, "parent_id": shipment.id, "order_id": shipment.orderID,
		"track_number": track.number, "title": track.title, "carrier_code": track.carrier, "created_at": formatTime(track.created)})
}

// Test-facing API: the merchant's side.

var orderhubExt = regexp.MustCompile(`^orderhub-\d+-(\d+)$`)

// OrdersFor returns the ids of the orders whose ext_order_id names orderhubOrderID.
func (f *Fake) OrdersFor(orderhubOrderID int64) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, id := range f.orderIDs {
		if m := orderhubExt.FindStringSubmatch(f.orders[id].ext); m != nil && m[1] == strconv.FormatInt(orderhubOrderID, 10) {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
	}
	return ids
}

// OrderCount is how many orders the store has, orderhub's or not.
func (f *Fake) OrderCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.orderIDs)
}

func (f *Fake) lookup(storeOrderID string) (*fakeOrder, error) {
	id, _ := strconv.ParseInt(storeOrderID, 10, 64)
	o, ok := f.orders[id]
	if !ok {
		return nil, fmt.Errorf("magento fake: no order %q", storeOrderID)
	}
	return o, nil
}

// Order returns what a test checks of an order.
func (f *Fake) Order(storeOrderID string) (FakeOrderView, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, err := f.lookup(storeOrderID)
	if err != nil {
		return FakeOrderView{}, false
	}
	view := FakeOrderView{Status: o.status, ShippingName: strings.TrimSpace(o.shipping.Firstname + " " + o.shipping.Lastname),
		City: o.shipping.City, Country: o.shipping.CountryID, Total: o.grand, Paid: o.grand > 0 && o.paid >= o.grand}
	for _, item := range o.items {
		view.Lines = append(view.Lines, FakeLineView{SKU: item.sku, Quantity: item.qty, UnitPrice: item.price})
	}
	return view, true
}

// OrderExtID returns an order's ext_order_id and its newest comment.
func (f *Fake) OrderExtID(storeOrderID string) (ext string, comments []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, err := f.lookup(storeOrderID)
	if err != nil {
		return "", nil
	}
	for _, h := range o.histories {
		comments = append(comments, fmt.Sprint(h["comment"]))
	}
	return o.ext, comments
}

// knownCarriers are Magento's built-in carrier codes with their titles; any other carrier is
// a "custom" one named by its title.
var knownCarriers = map[string]string{"ups": "United Parcel Service", "usps": "United States Postal Service", "fedex": "Federal Express", "dhl": "DHL"}

func trackFor(carrier, tracking string) fakeTrackIn {
	if title, ok := knownCarriers[strings.ToLower(carrier)]; ok {
		return fakeTrackIn{TrackNumber: tracking, Title: title, CarrierCode: strings.ToLower(carrier)}
	}
	return fakeTrackIn{TrackNumber: tracking, Title: carrier, CarrierCode: "custom"}
}

// Ship ships everything left, as POST /V1/order/{id}/ship does, with one track unless
// tracking is "".
func (f *Fake) Ship(storeOrderID, carrier, tracking string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, err := f.lookup(storeOrderID)
	if err != nil {
		return err
	}
	var tracks []fakeTrackIn
	if tracking != "" {
		tracks = append(tracks, trackFor(carrier, tracking))
	}
	if _, message := f.ship(o, nil, tracks); message != "" {
		return fmt.Errorf("magento fake: %s", message)
	}
	return nil
}

// AddTracking adds a track to the order's latest shipment, as POST /V1/shipment/track does:
// the order's updated_at stays where it was.
func (f *Fake) AddTracking(storeOrderID, carrier, tracking string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, err := f.lookup(storeOrderID)
	if err != nil {
		return err
	}
	if tracking == "" {
		return fmt.Errorf("magento fake: a track needs a number")
	}
	var latest *fakeShipment
	for _, s := range f.shipments {
		if s.orderID == o.id {
			latest = s
		}
	}
	if latest == nil {
		return fmt.Errorf("magento fake: order %s has no shipment to add a track to", storeOrderID)
	}
	in := trackFor(carrier, tracking)
	latest.tracks = append(latest.tracks, &fakeTrack{id: f.newID(), number: in.TrackNumber, title: in.Title, carrier: in.CarrierCode, created: f.now()})
	return nil
}

// Cancel cancels as the merchant would: Cancel where Magento allows it, otherwise a credit
// memo for everything paid (the order is then closed).
func (f *Fake) Cancel(storeOrderID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, err := f.lookup(storeOrderID)
	if err != nil {
		return err
	}
	if f.cancel(o) || f.refund(o) {
		return nil
	}
	return fmt.Errorf("magento fake: order %s (%s) can be neither cancelled nor refunded", storeOrderID, o.state)
}
