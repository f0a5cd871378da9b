package amazon

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// fakeConfirmation is confirmShipment's body as the v0 model spells it, declared apart from
// the client's so that the two are checked against each other.
type fakeConfirmation struct {
	MarketplaceID       string `json:"marketplaceId"`
	CodCollectionMethod string `json:"codCollectionMethod"`
	PackageDetail       struct {
		PackageReferenceID     string `json:"packageReferenceId"`
		CarrierCode            string `json:"carrierCode"`
		CarrierName            string `json:"carrierName"`
		ShippingMethod         string `json:"shippingMethod"`
		TrackingNumber         string `json:"trackingNumber"`
		ShipDate               string `json:"shipDate"`
		ShipFromSupplySourceID string `json:"shipFromSupplySourceId"`
		OrderItems             []struct {
			OrderItemID       string   `json:"orderItemId"`
			Quantity          int      `json:"quantity"`
			TransparencyCodes []string `json:"transparencyCodes"`
		} `json:"orderItems"`
	} `json:"packageDetail"`
}

// confirmShipment serves POST /orders/v0/orders/{orderId}/shipmentConfirmation: one package
// of an unshipped order, answered 204 with no body. A package reference already used in the
// order, a quantity beyond what is left to ship, or an order not waiting for shipment is
// refused with 400.
func (f *Fake) confirmShipment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("orderId")
	var body fakeConfirmation
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeErrors(w, http.StatusBadRequest, codeInvalidInputSp, "Invalid Input", "")
		return
	}
	doc, found := f.orders[id]
	if !found {
		writeErrors(w, http.StatusNotFound, "NotFound", "The requested order was not found.", id)
		return
	}
	p := body.PackageDetail
	invalid := func(details string) {
		writeErrors(w, http.StatusBadRequest, codeInvalidInputSp, "Invalid Input", details)
	}
	switch {
	case body.MarketplaceID == "":
		invalid("marketplaceId is required")
		return
	case body.MarketplaceID != text(sub(doc, "salesChannel"), "marketplaceId"):
		invalid("The order does not belong to marketplace " + body.MarketplaceID)
		return
	case p.PackageReferenceID == "" || p.CarrierCode == "" || p.TrackingNumber == "" || p.ShipDate == "" || len(p.OrderItems) == 0:
		invalid("packageReferenceId, carrierCode, trackingNumber, shipDate and orderItems are required")
		return
	case p.CarrierCode == carrierOther && p.CarrierName == "":
		invalid("carrierName is required when carrierCode is Other")
		return
	}
	if n, err := strconv.Atoi(p.PackageReferenceID); err != nil || n <= 0 {
		invalid("packageReferenceId must be a positive number")
		return
	}
	if _, err := time.Parse(time.RFC3339Nano, p.ShipDate); err != nil {
		invalid("shipDate must be an ISO 8601 date-time")
		return
	}
	fulfillment := child(doc, "fulfillment")
	if text(fulfillment, "fulfilledBy") == "AMAZON" {
		invalid("The order is fulfilled by Amazon")
		return
	}
	if status := text(fulfillment, "fulfillmentStatus"); status != "UNSHIPPED" && status != "PARTIALLY_SHIPPED" {
		invalid("The order status is " + status + ": only an unshipped order can be confirmed")
		return
	}
	packages, _ := doc["packages"].([]any)
	for _, existing := range packages {
		if m, ok := existing.(map[string]any); ok && text(m, "packageReferenceId") == p.PackageReferenceID {
			invalid("packageReferenceId " + p.PackageReferenceID + " is already used in this order")
			return
		}
	}
	items := map[string]map[string]any{}
	for _, item := range doc["orderItems"].([]any) {
		if m, ok := item.(map[string]any); ok {
			items[text(m, "orderItemId")] = m
		}
	}
	shipped := map[string]int{}
	for _, line := range p.OrderItems {
		item, ok := items[line.OrderItemID]
		if !ok {
			invalid("Unknown orderItemId " + line.OrderItemID)
			return
		}
		shipped[line.OrderItemID] += line.Quantity
		left := number(item, "quantityOrdered") - number(sub(item, "fulfillment"), "quantityFulfilled")
		if line.Quantity <= 0 || shipped[line.OrderItemID] > left {
			invalid("The quantity of orderItemId " + line.OrderItemID + " exceeds what is left to ship")
			return
		}
	}

	allShipped := true
	packageItems := make([]any, 0, len(p.OrderItems))
	for itemID, quantity := range shipped {
		item := items[itemID]
		done := number(sub(item, "fulfillment"), "quantityFulfilled") + quantity
		child(item, "fulfillment")["quantityFulfilled"] = done
		child(item, "fulfillment")["quantityUnfulfilled"] = number(item, "quantityOrdered") - done
		packageItems = append(packageItems, map[string]any{"orderItemId": itemID, "quantity": quantity})
	}
	for _, item := range items {
		if number(sub(item, "fulfillment"), "quantityFulfilled") < number(item, "quantityOrdered") {
			allShipped = false
		}
	}
	carrier := p.CarrierCode
	if carrier == carrierOther {
		carrier = p.CarrierName
	}
	now := formatTime(f.now())
	doc["packages"] = append(packages, map[string]any{
		"packageReferenceId": p.PackageReferenceID,
		"createdTime":        now,
		"packageStatus":      map[string]any{"status": "SHIPPED"},
		"carrier":            carrier,
		"shipTime":           p.ShipDate,
		"shippingService":    p.ShippingMethod,
		"trackingNumber":     p.TrackingNumber,
		"packageItems":       packageItems,
	})
	fulfillment["fulfillmentStatus"] = "PARTIALLY_SHIPPED"
	if allShipped {
		fulfillment["fulfillmentStatus"] = "SHIPPED"
	}
	doc["lastUpdatedTime"] = now
	f.shipments[id] = append(f.shipments[id], FakeShipment{
		OrderID:            id,
		MarketplaceID:      body.MarketplaceID,
		PackageReferenceID: p.PackageReferenceID,
		CarrierCode:        p.CarrierCode,
		CarrierName:        p.CarrierName,
		ShippingMethod:     p.ShippingMethod,
		TrackingNumber:     p.TrackingNumber,
		ShipDate:           p.ShipDate,
		Items:              shipped,
	})
	w.WriteHeader(http.StatusNoContent)
}
