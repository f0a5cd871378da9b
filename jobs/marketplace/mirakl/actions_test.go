package mirakl

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

func TestAcceptNamesEveryLineThenAddressesAppear(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	id := b.fake.AddOrder(SampleOrder(1)) // two lines
	order, err := b.client.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	recorder := &apiclient.Recorder{}
	if err := b.client.Accept(apiclient.WithRecorder(ctx, recorder), order); err != nil {
		t.Fatal(err)
	}
	var body acceptRequest
	if err := json.Unmarshal([]byte(recorder.Exchanges()[0].RequestBody), &body); err != nil {
		t.Fatal(err)
	}
	if len(body.OrderLines) != 2 || !body.OrderLines[0].Accepted || !body.OrderLines[1].Accepted {
		t.Errorf("OR21 body %+v, want both lines accepted", body)
	}

	order, err = b.client.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if order.Status != models.StatusWaitingShipment {
		t.Errorf("status after acceptance %s (%s), want waiting_shipment", order.Status, order.RawStatus)
	}
	if order.Shipping.Street1 != "Hauptstraße 5" || order.Shipping.Country != "DE" || order.Billing.City != "Berlin" {
		t.Errorf("addresses after acceptance: %+v / %+v", order.Shipping, order.Billing)
	}
}

func TestAcceptReadsTheLinesWhenOrderhubHasNone(t *testing.T) {
	b := setup(t)
	id := b.fake.AddOrder(SampleOrder(1))
	if err := b.client.Accept(context.Background(), &models.Order{MarketplaceOrderID: id}); err != nil {
		t.Fatal(err)
	}
	if snapshot, _ := b.fake.Order(id); snapshot.State != "WAITING_DEBIT_PAYMENT" && snapshot.State != "SHIPPING" {
		t.Errorf("order is %s after acceptance", snapshot.State)
	}
}

func TestAcceptIsDoneOnceAfterALostAnswer(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	id := b.fake.AddOrder(SampleOrder(0))
	order, err := b.client.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	b.fake.Faults().LoseNextResponse(apiclient.Match(http.MethodPut, "/api/orders/"+id+"/accept"), 1)
	if err := b.client.Accept(ctx, order); err != nil {
		t.Fatalf("accept after a lost answer: %v", err)
	}
	if calls := b.fake.Calls("OR21"); calls != 2 {
		t.Errorf("OR21 was called %d times, want 2 (the lost one and the retry)", calls)
	}
	if snapshot, _ := b.fake.Order(id); snapshot.State != "SHIPPING" {
		t.Errorf("order is %s, want SHIPPING", snapshot.State)
	}
}

func TestAcceptOfACancelledOrderIsPermanent(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	id := b.fake.AddOrder(SampleOrder(0))
	order, err := b.client.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.fake.CancelOrder(id); err != nil {
		t.Fatal(err)
	}
	err = b.client.Accept(ctx, order)
	if apiErr := apiError(t, err); !apiclient.IsPermanent(err) || apiErr.Code != codeInvalidState {
		t.Errorf("got %v, want a permanent %s", err, codeInvalidState)
	}
}

func TestRefuseRefusesEveryLine(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	id := b.fake.AddOrder(SampleOrder(1))
	order, err := b.client.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.client.Refuse(ctx, order, "out of stock"); err != nil {
		t.Fatal(err)
	}
	order, err = b.client.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if order.Status != models.StatusRefused || order.Lines[0].RawStatus != "REFUSED" || order.Lines[1].RawStatus != "REFUSED" {
		t.Errorf("after refusal: %s, lines %s/%s", order.RawStatus, order.Lines[0].RawStatus, order.Lines[1].RawStatus)
	}
	if order.Shipping != (models.Address{}) {
		t.Errorf("a refused order disclosed its address: %+v", order.Shipping)
	}
	// Refusing again (a retried job) finds it refused: success.
	if err := b.client.Refuse(ctx, order, "out of stock"); err != nil {
		t.Errorf("second refusal: %v", err)
	}
}

func TestShipSendsTrackingThenShipsOnce(t *testing.T) {
	tests := []struct {
		name            string
		shipment        models.Shipment
		wantCarrierCode string
		wantCarrierName string
		wantURL         string
	}{
		{"registered carrier", models.Shipment{CarrierCode: "COLISSIMO", CarrierName: "Colissimo", TrackingNumber: "6A12345678901"},
			"COLISSIMO", "Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"},
		{"unregistered carrier", models.Shipment{CarrierName: "Coursier Express", TrackingNumber: "CE-778", TrackingURL: "https://coursier.example/t/CE-778"},
			"", "Coursier Express", "https://coursier.example/t/CE-778"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			id := b.acceptedSample(0)
			if err := b.client.Ship(context.Background(), &models.Order{MarketplaceOrderID: id}, tt.shipment); err != nil {
				t.Fatal(err)
			}
			shipments := b.fake.Shipments(id)
			if len(shipments) != 1 {
				t.Fatalf("%d shipments on the marketplace, want 1", len(shipments))
			}
			got := shipments[0]
			if got.CarrierCode != tt.wantCarrierCode || got.CarrierName != tt.wantCarrierName || got.TrackingNumber != tt.shipment.TrackingNumber || got.TrackingURL != tt.wantURL {
				t.Errorf("shipment %+v", got)
			}
			if b.fake.Calls("OR23") != 1 || b.fake.Calls("OR24") != 1 {
				t.Errorf("OR23 ×%d, OR24 ×%d; want one each", b.fake.Calls("OR23"), b.fake.Calls("OR24"))
			}
			order, err := b.client.Order(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if order.Status != models.StatusShipped {
				t.Errorf("status %s, want shipped", order.Status)
			}
		})
	}
}

func TestShipmentIsSentOnceAfterLostResponse(t *testing.T) {
	for _, action := range []string{"tracking", "ship"} {
		t.Run("lost "+action, func(t *testing.T) {
			b := setup(t)
			id := b.acceptedSample(0)
			b.fake.Faults().LoseNextResponse(apiclient.Match(http.MethodPut, "/api/orders/"+id+"/"+action), 1)
			shipment := models.Shipment{CarrierCode: "UPS", TrackingNumber: "1Z999AA10123456784"}
			if err := b.client.Ship(context.Background(), &models.Order{MarketplaceOrderID: id}, shipment); err != nil {
				t.Fatalf("ship after a lost answer: %v", err)
			}
			if n := b.fake.ShipCalls(id); n != 1 {
				t.Errorf("the marketplace saw %d shipments, want exactly 1", n)
			}
			if snapshot, _ := b.fake.Order(id); snapshot.State != "SHIPPED" || snapshot.TrackingNumber != shipment.TrackingNumber {
				t.Errorf("order %+v", snapshot)
			}
		})
	}
}

func TestShipAgainAfterSuccessSendsNoSecondShipment(t *testing.T) {
	b := setup(t)
	id := b.acceptedSample(0)
	order := &models.Order{MarketplaceOrderID: id}
	shipment := models.Shipment{CarrierCode: "DPD", TrackingNumber: "15501234567890"}
	for attempt := range 2 {
		if err := b.client.Ship(context.Background(), order, shipment); err != nil {
			t.Fatalf("attempt %d: %v", attempt+1, err)
		}
	}
	if n := b.fake.ShipCalls(id); n != 1 {
		t.Errorf("%d shipments, want 1", n)
	}
}

func TestShipWithoutTrackingNumberNamesTheCarrier(t *testing.T) {
	b := setup(t)
	id := b.acceptedSample(0)
	recorder := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), recorder)
	shipment := models.Shipment{CarrierCode: "COLISSIMO", CarrierName: "Colissimo"}
	if err := b.client.Ship(ctx, &models.Order{MarketplaceOrderID: id}, shipment); err != nil {
		t.Fatal(err)
	}
	for _, exchange := range recorder.Exchanges() {
		if strings.Contains(exchange.RequestBody, "tracking_number") {
			t.Errorf("%s %s sent a tracking number: %s", exchange.Method, exchange.URL, exchange.RequestBody)
		}
	}
	shipments := b.fake.Shipments(id)
	if len(shipments) != 1 || shipments[0].CarrierName != "Colissimo" || shipments[0].TrackingNumber != "" {
		t.Errorf("shipments %+v, want one by Colissimo without tracking", shipments)
	}
}

func TestShipInTheWrongStateIsPermanent(t *testing.T) {
	tests := []struct {
		name     string
		shipment models.Shipment
	}{
		{"tracking refused", models.Shipment{CarrierCode: "UPS", TrackingNumber: "1Z1"}},
		{"ship refused", models.Shipment{}}, // no carrier: OR24 alone
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t)
			id := b.fake.AddOrder(SampleOrder(0)) // still waiting acceptance
			err := b.client.Ship(context.Background(), &models.Order{MarketplaceOrderID: id}, tt.shipment)
			if err == nil {
				t.Fatal("shipping an order waiting acceptance succeeded")
			}
			if apiErr := apiError(t, err); !apiclient.IsPermanent(err) || apiErr.Code != codeInvalidState || apiErr.Status != http.StatusBadRequest {
				t.Errorf("got %v, want a permanent 400 %s", err, codeInvalidState)
			}
			if n := b.fake.ShipCalls(id); n != 0 {
				t.Errorf("%d shipments, want none", n)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	b := setup(t)
	ctx := context.Background()

	id := b.acceptedSample(0)
	b.fake.Faults().LoseNextResponse(apiclient.Match(http.MethodPut, "/api/orders/"+id+"/cancel"), 1)
	if err := b.client.Cancel(ctx, &models.Order{MarketplaceOrderID: id}, "customer request"); err != nil {
		t.Fatalf("cancel after a lost answer: %v", err)
	}
	if snapshot, _ := b.fake.Order(id); snapshot.State != "CANCELED" {
		t.Errorf("order is %s, want CANCELED", snapshot.State)
	}

	waiting := b.fake.AddOrder(SampleOrder(1)) // can_cancel is false before acceptance
	err := b.client.Cancel(ctx, &models.Order{MarketplaceOrderID: waiting}, "")
	if err == nil || !apiclient.IsPermanent(err) {
		t.Errorf("cancelling an order that cannot be: %v, want a permanent error", err)
	}
}
