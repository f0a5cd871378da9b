package bol

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// FakeOrder is an order to add to the fake, in orderhub's terms; AddOrder turns it into
// bol's Order. Zero fields get defaults: an id, the fake's clock, FBR items.
type FakeOrder struct {
	ID       string
	PlacedAt time.Time
	Buyer    FakeBuyer
	Items    []FakeItem
}

// FakeBuyer is the buyer's delivery address, split as bol sends it.
type FakeBuyer struct {
	FirstName, Surname, Company                   string
	StreetName, HouseNumber, HouseNumberExtension string
	ZipCode, City, CountryCode                    string
}

// FakeItem is one order item. UnitPrice is in cents; Reference is the seller's SKU.
type FakeItem struct {
	ID                  string
	Reference, EAN      string
	Title               string
	Quantity            int
	UnitPrice           int64
	FulfilmentMethod    string // FBR (default) or FBB
	CancellationRequest bool
}

// AddOrder adds an order and returns its id.
func (f *Fake) AddOrder(o FakeOrder) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sequence++
	now := f.now()
	if o.ID == "" {
		o.ID = strconv.Itoa(1100000000 + f.sequence)
	}
	if o.PlacedAt.IsZero() {
		o.PlacedAt = now
	}
	w := &order{
		OrderID:             o.ID,
		OrderPlacedDateTime: bolTime(o.PlacedAt),
		ShipmentDetails: shipmentDetails{
			Salutation: "UNKNOWN", FirstName: o.Buyer.FirstName, Surname: o.Buyer.Surname, Company: o.Buyer.Company,
			StreetName: o.Buyer.StreetName, HouseNumber: o.Buyer.HouseNumber, HouseNumberExtension: o.Buyer.HouseNumberExtension,
			ZipCode: o.Buyer.ZipCode, City: o.Buyer.City, CountryCode: o.Buyer.CountryCode,
			Email: fmt.Sprintf("%s@verkopen.bol.com", o.ID), Language: "nl",
		},
	}
	billing := billingDetails{
		Salutation: "UNKNOWN", FirstName: o.Buyer.FirstName, Surname: o.Buyer.Surname, Company: o.Buyer.Company,
		StreetName: o.Buyer.StreetName, HouseNumber: o.Buyer.HouseNumber, HouseNumberExtension: o.Buyer.HouseNumberExtension,
		ZipCode: o.Buyer.ZipCode, City: o.Buyer.City, CountryCode: o.Buyer.CountryCode, Email: w.ShipmentDetails.Email,
	}
	w.BillingDetails = &billing
	for i, item := range o.Items {
		if item.ID == "" {
			item.ID = fmt.Sprintf("%d%02d", 6100000000+f.sequence, i)
		}
		if item.FulfilmentMethod == "" {
			item.FulfilmentMethod = "FBR"
		}
		party := "RETAILER"
		if item.FulfilmentMethod == "FBB" {
			party = "BOL" // bol ships Fulfilment by bol items from its own warehouse
		}
		if item.Quantity == 0 {
			item.Quantity = 1
		}
		w.OrderItems = append(w.OrderItems, orderOrderItem{
			OrderItemID:         item.ID,
			CancellationRequest: item.CancellationRequest,
			Fulfilment: orderFulfilment{Method: item.FulfilmentMethod, DistributionParty: party,
				LatestDeliveryDate: o.PlacedAt.In(dutchTime).AddDate(0, 0, 2).Format(time.DateOnly), TimeFrameType: "REGULAR"},
			Offer:                 orderOffer{OfferID: fmt.Sprintf("offer-%s", item.ID), Reference: item.Reference},
			Product:               orderProduct{EAN: item.EAN, Title: item.Title},
			Quantity:              item.Quantity,
			UnitPrice:             formatMoney(item.UnitPrice),
			TotalPrice:            formatMoney(item.UnitPrice * int64(item.Quantity)),
			Discounts:             []orderDiscount{},
			Commission:            formatMoney(item.UnitPrice * int64(item.Quantity) * 15 / 100),
			LatestChangedDateTime: bolTime(o.PlacedAt),
		})
	}
	f.store(w)
	return o.ID
}

// ShipFromWarehouse ships every open FBB item of an order, as bol does from its own
// warehouse; the retailer never creates a shipment for them.
func (f *Fake) ShipFromWarehouse(orderID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.orders[orderID]
	if !ok {
		return
	}
	for i := range o.OrderItems {
		item := &o.OrderItems[i]
		if item.Fulfilment.Method != "FBB" || openQuantity(*item) == 0 {
			continue
		}
		item.QuantityShipped += openQuantity(*item)
		item.LatestChangedDateTime = bolTime(f.now())
	}
}

// AddOrderJSON adds an order given as bol's Order body (e.g. a sample answer of GET
// /retailer/orders/{order-id}) and returns its id. Quantities and change dates it leaves
// out are filled in.
func (f *Fake) AddOrderJSON(body []byte) (string, error) {
	var w order
	if err := json.Unmarshal(body, &w); err != nil {
		return "", fmt.Errorf("bol fake: the order is not an Order: %w", err)
	}
	if w.OrderID == "" {
		return "", fmt.Errorf("bol fake: the order has no orderId")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if w.LegacyPickUpPoint != nil {
		w.PickupPoint, w.LegacyPickUpPoint = *w.LegacyPickUpPoint, nil
	}
	if w.OrderPlacedDateTime == "" {
		w.OrderPlacedDateTime = bolTime(f.now())
	}
	for i := range w.OrderItems {
		item := &w.OrderItems[i]
		if item.Quantity == 0 {
			item.Quantity = 1
		}
		if item.LatestChangedDateTime == "" {
			item.LatestChangedDateTime = w.OrderPlacedDateTime
		}
		if item.Discounts == nil {
			item.Discounts = []orderDiscount{}
		}
	}
	f.store(&w)
	return w.OrderID, nil
}

// store adds or replaces an order. Caller holds mu.
func (f *Fake) store(w *order) {
	if _, exists := f.orders[w.OrderID]; !exists {
		f.ordered = append(f.ordered, w.OrderID)
	}
	f.orders[w.OrderID] = w
}

// bolTime writes a timestamp the way bol does: Dutch local time with its offset.
func bolTime(t time.Time) string {
	return t.In(dutchTime).Format(time.RFC3339)
}

// listOrders is GET /retailer/orders: the items matching the filters, grouped by order,
// 50 orders a page. An empty page is {}.
func (f *Fake) listOrders(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["orders"]++
	q := r.URL.Query()
	var problems []violation
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			problems = append(problems, violation{Name: "page", Reason: "Must be a number of at least 1."})
		}
		page = n
	}
	method := q.Get("fulfilment-method")
	if method == "" {
		method = "FBR"
	}
	if method != "FBR" && method != "FBB" && method != "ALL" {
		problems = append(problems, violation{Name: "fulfilment-method", Reason: fmt.Sprintf("Request contains invalid value(s): '%s', allowed values: FBR, FBB, ALL.", method)})
	}
	status := q.Get("status")
	if status == "" {
		status = "OPEN"
	}
	if status != "OPEN" && status != "SHIPPED" && status != "ALL" {
		problems = append(problems, violation{Name: "status", Reason: fmt.Sprintf("Request contains invalid value(s): '%s', allowed values: OPEN, SHIPPED, ALL.", status)})
	}
	now := f.now()
	var changedSince time.Time
	if v := q.Get("change-interval-minute"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxIntervalMinutes {
			problems = append(problems, violation{Name: "change-interval-minute", Reason: "Must be between 1 and 60."})
		}
		changedSince = now.Add(-time.Duration(n) * time.Minute)
	}
	changedOn := q.Get("latest-change-date")
	if changedOn != "" {
		day, err := time.ParseInLocation(time.DateOnly, changedOn, dutchTime)
		if err != nil {
			problems = append(problems, violation{Name: "latest-change-date", Reason: "Must be a date (yyyy-MM-dd)."})
		} else if day.Before(now.AddDate(0, -3, -1)) {
			problems = append(problems, violation{Name: "latest-change-date", Reason: "Up to 3 months of history is supported."})
		}
	}
	if len(problems) > 0 {
		writeProblem(w, http.StatusBadRequest, "Error validating request. Consult the bol.com API documentation for more information.", "Bad request", problems...)
		return
	}
	var matching []reducedOrder
	for _, id := range f.ordered {
		o := f.orders[id]
		listed := reducedOrder{OrderID: o.OrderID, OrderPlacedDateTime: o.OrderPlacedDateTime}
		for _, item := range o.OrderItems {
			changed, _ := parseTime(item.LatestChangedDateTime)
			open := openQuantity(item) > 0
			switch {
			case method != "ALL" && item.Fulfilment.Method != method,
				status == "OPEN" && !open,
				status == "SHIPPED" && item.QuantityShipped == 0,
				!changedSince.IsZero() && changed.Before(changedSince),
				changedOn != "" && changed.In(dutchTime).Format(time.DateOnly) != changedOn,
				// Handled items leave the default list 48 hours after their last change.
				changedSince.IsZero() && changedOn == "" && !open && now.Sub(changed) > 48*time.Hour:
				continue
			}
			fulfilment := "OPEN"
			if !open {
				fulfilment = "HANDLED"
			}
			listed.OrderItems = append(listed.OrderItems, reducedOrderItem{
				OrderItemID: item.OrderItemID, EAN: item.Product.EAN, FulfilmentMethod: item.Fulfilment.Method,
				FulfilmentStatus: fulfilment, Quantity: item.Quantity, QuantityShipped: item.QuantityShipped,
				QuantityCancelled: item.QuantityCancelled, CancellationRequest: item.CancellationRequest,
				LatestChangedDateTime: item.LatestChangedDateTime,
			})
		}
		if len(listed.OrderItems) > 0 {
			matching = append(matching, listed)
		}
	}
	var answer reducedOrders
	if from := (page - 1) * pageSize; from < len(matching) {
		answer.Orders = matching[from:min(from+pageSize, len(matching))]
	}
	writeV10(w, http.StatusOK, answer)
}

// getOrder is GET /retailer/orders/{order-id}.
func (f *Fake) getOrder(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["order"]++
	o, ok := f.orders[r.PathValue("orderId")]
	if !ok {
		writeProblem(w, http.StatusNotFound, "Not Found", "Order "+r.PathValue("orderId")+" not found.")
		return
	}
	writeV10(w, http.StatusOK, o)
}

// SampleOrder returns the n-th realistic order (n from 0): Dutch and Belgian buyers, one or
// two items with and without the seller's reference.
func SampleOrder(n int) FakeOrder {
	buyers := []FakeBuyer{
		{FirstName: "Sanne", Surname: "de Vries", StreetName: "Prinsengracht", HouseNumber: "263", HouseNumberExtension: "A", ZipCode: "1016GV", City: "Amsterdam", CountryCode: "NL"},
		{FirstName: "Jeroen", Surname: "Bakker", Company: "Bakker Fietsen BV", StreetName: "Oudegracht", HouseNumber: "12", ZipCode: "3511AP", City: "Utrecht", CountryCode: "NL"},
		{FirstName: "Lotte", Surname: "Peeters", StreetName: "Meir", HouseNumber: "50", ZipCode: "2000", City: "Antwerpen", CountryCode: "BE"},
	}
	products := []FakeItem{
		{Reference: "MUG-BLUE-350", EAN: "8712345678906", Title: "Ceramic mug, blue, 350 ml", UnitPrice: 1290},
		{Reference: "LAMP-DESK-01", EAN: "8712345678913", Title: "LED desk lamp, dimmable", UnitPrice: 3999},
		{EAN: "8712345678920", Title: "Stainless steel bottle, 750 ml", UnitPrice: 1999},
	}
	items := []FakeItem{products[n%len(products)]}
	if n%2 == 1 {
		second := products[(n+1)%len(products)]
		second.Quantity = 2
		items = append(items, second)
	}
	return FakeOrder{Buyer: buyers[n%len(buyers)], Items: items}
}
