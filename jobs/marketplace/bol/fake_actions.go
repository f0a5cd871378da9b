package bol

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// cancellationReasons are the reasonCode values CancellationRequest accepts.
var cancellationReasons = []string{"OUT_OF_STOCK", "REQUESTED_BY_CUSTOMER", "BAD_CONDITION", "HIGHER_SHIPCOST",
	"INCORRECT_PRICE", "NOT_AVAIL_IN_TIME", "NO_BOL_GUARANTEE", "ORDERED_TWICE", "RETAIN_ITEM", "TECH_ISSUE",
	"UNFINDABLE_ITEM", "OTHER"}

// decodeStrict reads a request body, refusing fields the spec does not name.
func decodeStrict(r *http.Request, into any) error {
	decoder := json.NewDecoder(r.Body)
	decoder.DisallowUnknownFields()
	return decoder.Decode(into)
}

// findItem returns the order and the index of an order item. Caller holds mu.
func (f *Fake) findItem(itemID string) (*order, int) {
	for _, id := range f.ordered {
		o := f.orders[id]
		for i, item := range o.OrderItems {
			if item.OrderItemID == itemID {
				return o, i
			}
		}
	}
	return nil, -1
}

// createShipment is POST /retailer/shipments: validated at once, carried out when its
// process status leaves PENDING.
func (f *Fake) createShipment(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["shipments"]++
	var body shipmentRequest
	if err := decodeStrict(r, &body); err != nil {
		writeProblem(w, http.StatusBadRequest, "Bad Request", "The request body could not be read: "+err.Error())
		return
	}
	var problems []violation
	if len(body.OrderItems) < 1 || len(body.OrderItems) > maxShipmentItems {
		problems = append(problems, violation{Name: "orderItems", Reason: "Must contain between 1 and 100 items."})
	}
	switch {
	case body.Transport != nil && body.ShippingLabelID != "":
		problems = append(problems, violation{Name: "transport", Reason: "Transport and shippingLabelId cannot both be given."})
	case body.Transport == nil && body.ShippingLabelID == "":
		problems = append(problems, violation{Name: "transport", Reason: "Either transport or shippingLabelId is required."})
	case body.Transport != nil && !slices.ContainsFunc(transporters, func(t transporter) bool { return t.Code == body.Transport.TransporterCode }):
		problems = append(problems, violation{Name: "transport.transporterCode", Reason: fmt.Sprintf("Request contains invalid value(s): '%s'.", body.Transport.TransporterCode)})
	}
	var owner *order
	for _, requested := range body.OrderItems {
		o, i := f.findItem(requested.OrderItemID)
		switch {
		case o == nil:
			problems = append(problems, violation{Name: "orderItems.orderItemId", Reason: "Order item " + requested.OrderItemID + " does not exist."})
		case owner != nil && o != owner:
			problems = append(problems, violation{Name: "orderItems.orderItemId", Reason: "Order items must belong to the same order."})
		case o.OrderItems[i].Fulfilment.Method != "FBR":
			problems = append(problems, violation{Name: "orderItems.orderItemId", Reason: "Order item " + requested.OrderItemID + " is fulfilled by bol."})
		}
		owner = o
	}
	if len(problems) > 0 {
		writeProblem(w, http.StatusBadRequest, "Error validating request. Consult the bol.com API documentation for more information.", "Bad request", problems...)
		return
	}
	ids := make([]string, 0, len(body.OrderItems))
	for _, item := range body.OrderItems {
		ids = append(ids, item.OrderItemID)
	}
	process := f.newProcess(r, eventShipment, ids[0], "Create shipment for order item "+ids[0]+".")
	process.check = func() string {
		for _, requested := range body.OrderItems {
			if message, armed := f.failures[requested.OrderItemID]; armed {
				delete(f.failures, requested.OrderItemID)
				return message
			}
			o, i := f.findItem(requested.OrderItemID)
			open := openQuantity(o.OrderItems[i])
			if open == 0 || requested.Quantity > open {
				return "Order item " + requested.OrderItemID + " has already been shipped or cancelled."
			}
		}
		return ""
	}
	process.apply = func() {
		shipment := FakeShipment{OrderItemIDs: ids}
		if body.Transport != nil {
			shipment.TransporterCode, shipment.TrackAndTrace = body.Transport.TransporterCode, body.Transport.TrackAndTrace
		}
		for _, requested := range body.OrderItems {
			o, i := f.findItem(requested.OrderItemID)
			item := &o.OrderItems[i]
			quantity := requested.Quantity
			if quantity == 0 {
				quantity = openQuantity(*item)
			}
			item.QuantityShipped += quantity
			item.LatestChangedDateTime = bolTime(f.now())
		}
		f.shipments[owner.OrderID] = append(f.shipments[owner.OrderID], shipment)
	}
	writeV10(w, http.StatusAccepted, process.status)
}

// cancelItems is PUT /retailer/orders/cancellation, one order item a call.
func (f *Fake) cancelItems(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["cancellation"]++
	var body cancellationRequest
	if err := decodeStrict(r, &body); err != nil {
		writeProblem(w, http.StatusBadRequest, "Bad Request", "The request body could not be read: "+err.Error())
		return
	}
	var problems []violation
	if len(body.OrderItems) != 1 {
		problems = append(problems, violation{Name: "orderItems", Reason: "Must contain exactly 1 item."})
	}
	for _, item := range body.OrderItems {
		if o, _ := f.findItem(item.OrderItemID); o == nil {
			problems = append(problems, violation{Name: "orderItems.orderItemId", Reason: "Order item " + item.OrderItemID + " does not exist."})
		}
		if !slices.Contains(cancellationReasons, item.ReasonCode) {
			problems = append(problems, violation{Name: "orderItems.reasonCode", Reason: fmt.Sprintf("Request contains invalid value(s): '%s'.", item.ReasonCode)})
		}
	}
	if len(problems) > 0 {
		writeProblem(w, http.StatusBadRequest, "Error validating request. Consult the bol.com API documentation for more information.", "Bad request", problems...)
		return
	}
	itemID := body.OrderItems[0].OrderItemID
	process := f.newProcess(r, eventCancellation, itemID, "Cancel order item "+itemID+".")
	process.check = func() string {
		if message, armed := f.failures[itemID]; armed {
			delete(f.failures, itemID)
			return message
		}
		o, i := f.findItem(itemID)
		if openQuantity(o.OrderItems[i]) == 0 {
			return "Order item " + itemID + " has already been shipped or cancelled."
		}
		return ""
	}
	process.apply = func() {
		o, i := f.findItem(itemID)
		item := &o.OrderItems[i]
		item.QuantityCancelled += openQuantity(*item)
		item.LatestChangedDateTime = bolTime(f.now())
		f.cancellations[o.OrderID] = append(f.cancellations[o.OrderID], body.OrderItems[0].ReasonCode)
	}
	writeV10(w, http.StatusAccepted, process.status)
}

// newProcess registers a PENDING process status. Caller holds mu.
func (f *Fake) newProcess(r *http.Request, eventType, entityID, description string) *fakeProcess {
	f.processSequence++
	id := strconv.Itoa(1000000 + f.processSequence)
	p := &fakeProcess{status: processStatus{
		ProcessStatusID: id, EntityID: entityID, EventType: eventType, Description: description,
		Status: processPending, CreateTimestamp: bolTime(f.now()),
		Links: []link{{Rel: "self", Href: "http://" + r.Host + "/shared/process-status/" + id, LegacyMethod: http.MethodGet}},
	}}
	f.processes[id] = p
	f.processOrder = append(f.processOrder, id)
	return p
}

// read is one look at a process: after pendingReads looks it settles, carrying its write
// out or failing with the reason. Caller holds mu.
func (f *Fake) read(p *fakeProcess) processStatus {
	p.reads++
	if p.status.Status == processPending && p.reads > f.pendingReads {
		if message := p.check(); message != "" {
			p.status.Status, p.status.ErrorMessage = processFailure, message
		} else {
			p.apply()
			p.status.Status = processSuccess
		}
	}
	return p.status
}

// getProcessStatus is GET /shared/process-status/{process-status-id}.
func (f *Fake) getProcessStatus(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["process-status"]++
	p, ok := f.processes[r.PathValue("processStatusId")]
	if !ok {
		writeProblem(w, http.StatusNotFound, "Not Found", "Process status "+r.PathValue("processStatusId")+" not found.")
		return
	}
	writeV10(w, http.StatusOK, f.read(p))
}

// findProcessStatuses is GET /shared/process-status?entity-id=&event-type=.
func (f *Fake) findProcessStatuses(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["process-status-search"]++
	entityID, eventType := r.URL.Query().Get("entity-id"), r.URL.Query().Get("event-type")
	if entityID == "" || eventType == "" {
		writeProblem(w, http.StatusBadRequest, "Error validating request. Consult the bol.com API documentation for more information.", "Bad request",
			violation{Name: "entity-id", Reason: "entity-id and event-type are both required."})
		return
	}
	answer := processStatusResponse{ProcessStatuses: []processStatus{}}
	for i := len(f.processOrder) - 1; i >= 0; i-- { // newest first
		p := f.processes[f.processOrder[i]]
		if p.status.EntityID == entityID && p.status.EventType == eventType {
			answer.ProcessStatuses = append(answer.ProcessStatuses, f.read(p))
		}
	}
	writeV10(w, http.StatusOK, answer)
}

// ExpireProcessStatuses forgets every process status, as bol does after a while: reads
// answer 404 from then on. Writes already settled stay done; pending ones are carried out.
func (f *Fake) ExpireProcessStatuses() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.processes {
		if p.status.Status == processPending && p.check() == "" {
			p.apply()
		}
	}
	f.processes, f.processOrder = map[string]*fakeProcess{}, nil
}
