package mirakl

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// order finds the order of a /api/orders/{order_id}/... request and completes a pending
// debit, or answers 404. Caller holds mu.
func (f *Fake) order(w http.ResponseWriter, r *http.Request, now time.Time) *fakeOrder {
	id := r.PathValue("order_id")
	order, ok := f.orders[id]
	if !ok {
		writeFakeError(w, http.StatusNotFound, codeOrderNotFound, "The requested order "+id+" does not exist")
		return nil
	}
	order.settle(now)
	return order
}

func invalidState(w http.ResponseWriter, order *fakeOrder, operation string) {
	writeFakeError(w, http.StatusBadRequest, codeInvalidState,
		"Order "+order.spec.ID+" is "+order.state+", not in the expected state to "+operation)
}

// acceptOrder is OR21: a decision for every line of an order waiting acceptance. Accepted
// lines move on to the debit, then SHIPPING; refusing every line refuses the order.
func (f *Fake) acceptOrder(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["OR21"]++
	now := f.now()
	var body fakeAcceptJSON
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeFakeError(w, http.StatusBadRequest, codeValidationError, "the body is not valid JSON: "+err.Error())
		return
	}
	order := f.order(w, r, now)
	if order == nil {
		return
	}
	if order.state != "WAITING_ACCEPTANCE" {
		invalidState(w, order, "accept or refuse it (WAITING_ACCEPTANCE)")
		return
	}
	decisions := map[string]bool{}
	for _, line := range body.OrderLines {
		switch {
		case line == nil:
			writeFakeError(w, http.StatusBadRequest, codeNullLine, "The order lines list contains a null element")
			return
		case line.ID == nil || line.Accepted == nil:
			writeFakeError(w, http.StatusBadRequest, codeValidationError, "each order line needs an id and accepted")
			return
		case order.line(*line.ID) == nil:
			writeFakeError(w, http.StatusBadRequest, codeLineNotFound, "Order line "+*line.ID+" does not belong to order "+order.spec.ID)
			return
		}
		if _, twice := decisions[*line.ID]; twice {
			writeFakeError(w, http.StatusBadRequest, codeDuplicateLine, "Order line "+*line.ID+" appears twice")
			return
		}
		decisions[*line.ID] = *line.Accepted
	}
	var missing []string
	for _, line := range order.lines {
		if _, decided := decisions[line.spec.ID]; !decided {
			missing = append(missing, line.spec.ID)
		}
	}
	if len(missing) > 0 {
		writeFakeError(w, http.StatusBadRequest, codeDecisionMissing, "No decision for order lines "+strings.Join(missing, ", "))
		return
	}
	anyAccepted := false
	for _, line := range order.lines {
		if decisions[line.spec.ID] {
			line.state, anyAccepted = "WAITING_DEBIT_PAYMENT", true
		} else {
			line.state = "REFUSED"
		}
	}
	decided := now.UTC()
	order.decidedAt, order.updated = &decided, decided
	if anyAccepted {
		order.state, order.debitPending, order.disclosed = "WAITING_DEBIT_PAYMENT", true, true
	} else {
		order.state = "REFUSED"
	}
	w.WriteHeader(http.StatusNoContent)
}

// updateTracking is OR23. A carrier SH21 lists is named by code and its tracking URL built
// from its template; any other carrier by name, with an optional complete URL.
func (f *Fake) updateTracking(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["OR23"]++
	now := f.now()
	var body fakeTrackingJSON
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeFakeError(w, http.StatusBadRequest, codeValidationError, "the body is not valid JSON: "+err.Error())
		return
	}
	order := f.order(w, r, now)
	if order == nil {
		return
	}
	// Tracking may be set while shipping and corrected once shipped (inferred).
	if order.state != "SHIPPING" && order.state != "SHIPPED" {
		invalidState(w, order, "update its tracking (SHIPPING or SHIPPED)")
		return
	}
	switch {
	case body.CarrierCode != "":
		carrier, ok := f.carrier(body.CarrierCode)
		if !ok {
			writeFakeError(w, http.StatusBadRequest, codeValidationError, "Carrier "+body.CarrierCode+" is not a registered carrier")
			return
		}
		needsNumber := strings.Contains(carrier.TrackingURL, "{trackingId}")
		if needsNumber && body.TrackingNumber == "" {
			writeFakeError(w, http.StatusBadRequest, codeValidationError, "The tracking number is mandatory for carrier "+carrier.Code)
			return
		}
		order.carrierCode, order.carrierStandardCode, order.carrierName = carrier.Code, carrier.StandardCode, carrier.Label
		order.trackingURL = strings.ReplaceAll(carrier.TrackingURL, "{trackingId}", body.TrackingNumber)
	case body.CarrierName != "":
		order.carrierCode, order.carrierStandardCode, order.carrierName = "", body.CarrierStandardCode, body.CarrierName
		order.trackingURL = body.CarrierURL
	default:
		writeFakeError(w, http.StatusBadRequest, codeValidationError, "carrier_code (registered carrier) or carrier_name (other carrier) is required")
		return
	}
	order.trackingNumber = body.TrackingNumber
	order.updated = now.UTC()
	w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) carrier(code string) (FakeCarrier, bool) {
	for _, carrier := range f.carriers {
		if carrier.Code == code {
			return carrier, true
		}
	}
	return FakeCarrier{}, false
}

// shipOrder is OR24: SHIPPING to SHIPPED, once.
func (f *Fake) shipOrder(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["OR24"]++
	now := f.now()
	order := f.order(w, r, now)
	if order == nil {
		return
	}
	if order.state != "SHIPPING" {
		invalidState(w, order, "ship it (SHIPPING)")
		return
	}
	shipped := now.UTC()
	order.setState("SHIPPED", shipped)
	for _, line := range order.lines {
		if line.state == "SHIPPED" {
			line.shippedAt = &shipped
		}
	}
	f.shipments[order.spec.ID] = append(f.shipments[order.spec.ID], FakeShipment{
		CarrierCode: order.carrierCode, CarrierName: order.carrierName,
		TrackingNumber: order.trackingNumber, TrackingURL: order.trackingURL, At: shipped,
	})
	w.WriteHeader(http.StatusNoContent)
}

// cancelOrder is OR29: a full cancellation, possible while can_cancel is true.
func (f *Fake) cancelOrder(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["OR29"]++
	now := f.now()
	order := f.order(w, r, now)
	if order == nil {
		return
	}
	if !order.canCancel() {
		invalidState(w, order, "cancel it (can_cancel is false)")
		return
	}
	order.setState("CANCELED", now)
	w.WriteHeader(http.StatusNoContent)
}
