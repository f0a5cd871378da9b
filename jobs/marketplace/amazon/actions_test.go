package amazon

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

func TestShipConfirmsWithAmazonCarrierCode(t *testing.T) {
	b := setup(t, 1)
	id := b.fake.AddOrder(mfnOrder("406-0000000-0000001"))
	c := b.client(1)
	shippedAt := time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	err := c.Ship(context.Background(), &models.Order{MarketplaceOrderID: id}, models.Shipment{CarrierCode: "ups", TrackingNumber: "1Z999AA10123456784", ShippedAt: shippedAt})
	if err != nil {
		t.Fatal(err)
	}
	shipments := b.fake.Shipments(id)
	if len(shipments) != 1 {
		t.Fatalf("%d shipments, want 1", len(shipments))
	}
	s := shipments[0]
	if s.CarrierCode != "UPS" || s.CarrierName != "" || s.TrackingNumber != "1Z999AA10123456784" || s.PackageReferenceID != "1" ||
		s.ShipDate != "2026-03-02T14:05:00.000Z" || s.MarketplaceID != "A1PA6795UKMFR9" {
		t.Errorf("shipment = %+v", s)
	}
	if s.Items["11111111111101"] != 2 || s.Items["11111111111102"] != 1 {
		t.Errorf("items = %v, want every unshipped item", s.Items)
	}
	order, err := c.Order(context.Background(), id)
	if err != nil || order.Status != models.StatusShipped {
		t.Errorf("after shipping: %v %v", order, err)
	}
}

func TestShipNamesAnUnlistedCarrierAsOther(t *testing.T) {
	b := setup(t, 1)
	id := b.fake.AddOrder(mfnOrder("406-0000000-0000002"))
	err := b.client(1).Ship(context.Background(), &models.Order{MarketplaceOrderID: id}, models.Shipment{CarrierName: "Colis Privé", TrackingNumber: "CP123"})
	if err != nil {
		t.Fatal(err)
	}
	s := b.fake.Shipments(id)
	if len(s) != 1 || s[0].CarrierCode != "Other" || s[0].CarrierName != "Colis Privé" {
		t.Errorf("shipments = %+v, want Other named Colis Privé", s)
	}
}

func TestShipmentIsSentOnceAfterLostResponse(t *testing.T) {
	b := setup(t, 1)
	id := b.fake.AddOrder(mfnOrder("406-0000000-0000003"))
	c := b.client(1, WithSleep(func(ctx context.Context, d time.Duration) error { return ctx.Err() }))
	order := &models.Order{MarketplaceOrderID: id}
	shipment := models.Shipment{CarrierCode: "DHL", TrackingNumber: "JD0140000000"}
	b.fake.LoseNextAnswer(opConfirmShipment)
	if err := c.Ship(context.Background(), order, shipment); err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("lost answer: err = %v, want a temporary error", err)
	}
	for range 2 {
		if err := c.Ship(context.Background(), order, shipment); err != nil {
			t.Fatalf("repeat: %v", err)
		}
	}
	if n := len(b.fake.Shipments(id)); n != 1 {
		t.Errorf("%d confirmations, want 1", n)
	}
	if n := b.fake.Calls(opConfirmShipment); n != 1 {
		t.Errorf("confirmShipment called %d times, want 1", n)
	}
}

func TestFakeRefusesASecondConfirmationOfAPackage(t *testing.T) {
	b := setup(t, 1)
	o := mfnOrder("406-0000000-0000004")
	o.Items[0].Quantity = 3
	id := b.fake.AddOrder(o)
	c := b.client(1)
	token, err := c.auth.token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	post := func(body string) (int, errorList) {
		req, _ := http.NewRequest(http.MethodPost, b.server.URL+"/orders/v0/orders/"+id+"/shipmentConfirmation", bytes.NewBufferString(body))
		req.Header.Set("x-amz-access-token", token)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var answer errorList
		_ = json.NewDecoder(res.Body).Decode(&answer)
		return res.StatusCode, answer
	}
	one := `{"marketplaceId":"A1PA6795UKMFR9","packageDetail":{"packageReferenceId":"1","carrierCode":"DPD","trackingNumber":"T1","shipDate":"2026-03-02T10:00:00Z","orderItems":[{"orderItemId":"11111111111101","quantity":1}]}}`
	if status, answer := post(one); status != http.StatusNoContent {
		t.Fatalf("first package: %d %+v", status, answer)
	}
	status, answer := post(one)
	if status != http.StatusBadRequest || len(answer.Errors) != 1 || answer.Errors[0].Code != "Invalid Input" {
		t.Errorf("same package again: %d %+v, want 400 Invalid Input", status, answer)
	}
	if got := b.fake.OrderDocument(id)["fulfillment"].(map[string]any)["fulfillmentStatus"]; got != "PARTIALLY_SHIPPED" {
		t.Errorf("status after one package = %v", got)
	}
	// Ship sends the rest as package 2.
	if err := c.Ship(context.Background(), &models.Order{MarketplaceOrderID: id}, models.Shipment{CarrierCode: "DPD", TrackingNumber: "T2"}); err != nil {
		t.Fatal(err)
	}
	s := b.fake.Shipments(id)
	if len(s) != 2 || s[1].PackageReferenceID != "2" || s[1].Items["11111111111101"] != 2 || s[1].Items["11111111111102"] != 1 {
		t.Errorf("second package = %+v", s[len(s)-1])
	}
}

func TestShipRefusesWhatAmazonWouldRefuse(t *testing.T) {
	b := setup(t, 1)
	pending := mfnOrder("406-0000000-0000005")
	pending.Status = "PENDING"
	id := b.fake.AddOrder(pending)
	c := b.client(1)
	err := c.Ship(context.Background(), &models.Order{MarketplaceOrderID: id}, models.Shipment{CarrierCode: "UPS", TrackingNumber: "X"})
	if !apiclient.IsPermanent(err) {
		t.Errorf("pending order: %v, want a permanent error", err)
	}
	b.fake.SetStatus(id, "UNSHIPPED")
	err = c.Ship(context.Background(), &models.Order{MarketplaceOrderID: id}, models.Shipment{CarrierCode: "UPS"})
	if !apiclient.IsPermanent(err) {
		t.Errorf("no tracking number: %v, want a permanent error", err)
	}
	if n := b.fake.Calls(opConfirmShipment); n != 0 {
		t.Errorf("confirmShipment called %d times, want 0", n)
	}
}

func TestAcceptIsANoOpAndRefuseAndCancelArePermanentErrors(t *testing.T) {
	b := setup(t, 1)
	c := b.client(1)
	order := &models.Order{MarketplaceOrderID: "407-0000000-0000001"}
	if err := c.Accept(context.Background(), order); err != nil {
		t.Errorf("Accept: %v", err)
	}
	if err := c.Refuse(context.Background(), order, "out of stock"); !apiclient.IsPermanent(err) {
		t.Errorf("Refuse: %v, want a permanent error", err)
	}
	if err := c.Cancel(context.Background(), order, "out of stock"); !apiclient.IsPermanent(err) {
		t.Errorf("Cancel: %v, want a permanent error", err)
	}
	if b.fake.TokenCalls() != 0 {
		t.Error("Accept, Refuse or Cancel called Amazon")
	}
}
