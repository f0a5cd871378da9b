package bol

import (
	"net/http"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// readOrder reads an order from the fake through the client.
func (b *testBundle) readOrder(t *testing.T, id string) *models.Order {
	t.Helper()
	o, err := b.client.Order(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

var postNL = models.Shipment{CarrierCode: "TNT", CarrierName: "PostNL", TrackingNumber: "3SBOL0987654321"}

// TestShipmentPendingThenSuccess: the shipment's process status is PENDING at first; Ship
// follows it to SUCCESS and the order is shipped with the carrier and tracking.
func TestShipmentPendingThenSuccess(t *testing.T) {
	b := setup(t)
	b.fake.SetPendingReads(3)
	id := b.fake.AddOrder(SampleOrder(1)) // two items
	if err := b.client.Ship(t.Context(), b.readOrder(t, id), postNL); err != nil {
		t.Fatal(err)
	}
	shipments := b.fake.Shipments(id)
	if len(shipments) != 1 || shipments[0].TransporterCode != "TNT" || shipments[0].TrackAndTrace != "3SBOL0987654321" || len(shipments[0].OrderItemIDs) != 2 {
		t.Errorf("shipments %+v", shipments)
	}
	if got := b.readOrder(t, id); got.Status != models.StatusShipped {
		t.Errorf("order %s after shipping", got.Status)
	}
	if n := b.fake.Calls("process-status"); n != 4 {
		t.Errorf("%d process status reads, want 3 PENDING then SUCCESS", n)
	}
}

// TestShipmentFailureIsPermanentWithBolsMessage: a FAILURE blocks the shipment with bol's
// errorMessage instead of being retried.
func TestShipmentFailureIsPermanentWithBolsMessage(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	o := b.readOrder(t, id)
	b.fake.FailNextWrite(o.Lines[0].MarketplaceLineID, "Track and trace code 3SBOL0987654321 is not valid for transporter TNT.")
	err := b.client.Ship(t.Context(), o, postNL)
	if !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "is not valid for transporter TNT") {
		t.Fatalf("got %v, want a permanent error with bol's message", err)
	}
	if apiError(t, err).Code != processFailure {
		t.Errorf("code %q", apiError(t, err).Code)
	}
	if len(b.fake.Shipments(id)) != 0 {
		t.Error("a failed shipment was recorded")
	}
}

// TestShipmentIsSentOnceAfterLostResponse: the answer to the POST is lost; the next Ship
// finds the pending process by its order item and follows it instead of posting again.
func TestShipmentIsSentOnceAfterLostResponse(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	o := b.readOrder(t, id)
	b.fake.Faults().LoseNextResponse(apiclient.Match(http.MethodPost, "/retailer/shipments"), 1)
	err := b.client.Ship(t.Context(), o, postNL)
	if err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("lost answer gave %v, want a temporary error", err)
	}
	if err := b.client.Ship(t.Context(), o, postNL); err != nil {
		t.Fatal(err)
	}
	if err := b.client.Ship(t.Context(), o, postNL); err != nil {
		t.Fatalf("shipping a shipped order: %v", err)
	}
	if n := b.fake.Calls("shipments"); n != 1 {
		t.Errorf("%d shipment requests, want 1", n)
	}
	if n := len(b.fake.Shipments(id)); n != 1 {
		t.Errorf("%d shipments, want 1", n)
	}
}

// TestShipmentStillPendingIsRetriedWithoutResending: bol takes longer than the client
// waits; the attempt fails temporarily and the next one follows the same process.
func TestShipmentStillPendingIsRetriedWithoutResending(t *testing.T) {
	b := setup(t)
	b.fake.SetPendingReads(100)
	id := b.fake.AddOrder(SampleOrder(0))
	o := b.readOrder(t, id)
	err := b.client.Ship(t.Context(), o, postNL)
	if err == nil || apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "still processing") {
		t.Fatalf("got %v, want a temporary error", err)
	}
	b.fake.SetPendingReads(0)
	if err := b.client.Ship(t.Context(), o, postNL); err != nil {
		t.Fatal(err)
	}
	if n := b.fake.Calls("shipments"); n != 1 {
		t.Errorf("%d shipment requests, want 1", n)
	}
}

// TestShipmentWithExpiredProcessStatusChecksTheOrder: bol forgot the process status; the
// order, with nothing open, says the shipment went through.
func TestShipmentWithExpiredProcessStatusChecksTheOrder(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	o := b.readOrder(t, id)
	b.fake.Faults().LoseNextResponse(apiclient.Match(http.MethodPost, "/retailer/shipments"), 1)
	if err := b.client.Ship(t.Context(), o, postNL); err == nil {
		t.Fatal("a lost answer gave no error")
	}
	b.fake.ExpireProcessStatuses()
	if err := b.client.Ship(t.Context(), o, postNL); err != nil {
		t.Fatal(err)
	}
	if n := b.fake.Calls("shipments"); n != 1 {
		t.Errorf("%d shipment requests, want 1", n)
	}
}

func TestShipmentCarrierCodes(t *testing.T) {
	for _, tc := range []struct{ code, name, want string }{
		{"TNT", "", "TNT"},
		{"dpd-nl", "", "DPD-NL"},
		{"", "PostNL", "TNT"},
		{"", "DHL", "DHL"},
		{"", "bpost", "BPOST_BE"},
		{"", "Bode op de fiets", "OTHER"},
		{"", "", "OTHER"},
	} {
		if got := transporterCode(tc.code, tc.name); got != tc.want {
			t.Errorf("transporterCode(%q, %q) = %q, want %q", tc.code, tc.name, got, tc.want)
		}
	}
}

// TestCancelSendsEachItemWithAReasonCode: one cancellation per item, the free text mapped
// to bol's reason code; a repeated call is harmless.
func TestCancelSendsEachItemWithAReasonCode(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(1))
	o := b.readOrder(t, id)
	if err := b.client.Cancel(t.Context(), o, "Product out of stock"); err != nil {
		t.Fatal(err)
	}
	if reasons := b.fake.Cancellations(id); len(reasons) != 2 || reasons[0] != "OUT_OF_STOCK" || reasons[1] != "OUT_OF_STOCK" {
		t.Errorf("reasons %v", reasons)
	}
	if got := b.readOrder(t, id); got.Status != models.StatusCancelled {
		t.Errorf("order %s after cancelling", got.Status)
	}
	if err := b.client.Cancel(t.Context(), o, "again"); err != nil {
		t.Fatalf("cancelling a cancelled order: %v", err)
	}
	if n := b.fake.Calls("cancellation"); n != 2 {
		t.Errorf("%d cancellation requests, want 2", n)
	}
	if err := b.client.Ship(t.Context(), o, postNL); !apiclient.IsPermanent(err) {
		t.Errorf("shipping a cancelled order: %v", err)
	}
}

func TestCancelAfterShipmentIsRefused(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	o := b.readOrder(t, id)
	if err := b.client.Ship(t.Context(), o, postNL); err != nil {
		t.Fatal(err)
	}
	if err := b.client.Cancel(t.Context(), o, ""); !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "shipped") {
		t.Errorf("got %v", err)
	}
}

func TestCancelFailureCarriesBolsMessage(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	o := b.readOrder(t, id)
	b.fake.FailNextWrite(o.Lines[0].MarketplaceLineID, "Order item is already handed to the transporter.")
	err := b.client.Cancel(t.Context(), o, "")
	if !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "already handed to the transporter") {
		t.Errorf("got %v", err)
	}
}

// TestAcceptIsANoOpAndRefuseCancels: bol has no acceptance step.
func TestAcceptIsANoOpAndRefuseCancels(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(0))
	o := b.readOrder(t, id)
	if err := b.client.Accept(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	if n := b.fake.Calls("shipments") + b.fake.Calls("cancellation"); n != 0 {
		t.Errorf("Accept made %d writes", n)
	}
	if err := b.client.Refuse(t.Context(), o, ""); err != nil {
		t.Fatal(err)
	}
	if reasons := b.fake.Cancellations(id); len(reasons) != 1 || reasons[0] != "OUT_OF_STOCK" {
		t.Errorf("refusal reasons %v", reasons)
	}
}

func TestReasonCodes(t *testing.T) {
	for _, tc := range []struct {
		reason     string
		buyerAsked bool
		want       string
	}{
		{"OUT_OF_STOCK", false, "OUT_OF_STOCK"},
		{"bad_condition", false, "BAD_CONDITION"},
		{"Customer changed their mind", false, "REQUESTED_BY_CUSTOMER"},
		{"De klant wil annuleren", false, "REQUESTED_BY_CUSTOMER"},
		{"Wrong price on the listing", false, "INCORRECT_PRICE"},
		{"Item arrived damaged from supplier", false, "BAD_CONDITION"},
		{"Cannot deliver in time", false, "NOT_AVAIL_IN_TIME"},
		{"Duplicate order", false, "ORDERED_TWICE"},
		{"", true, "REQUESTED_BY_CUSTOMER"},
		{"", false, "OTHER"},
		{"whatever", false, "OTHER"},
	} {
		if got := reasonCode(tc.reason, tc.buyerAsked); got != tc.want {
			t.Errorf("reasonCode(%q, %v) = %q, want %q", tc.reason, tc.buyerAsked, got, tc.want)
		}
	}
}
