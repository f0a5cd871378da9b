package shopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/models"
)

// VerifyWebhook checks X-Shopify-Hmac-SHA256: the base64 HMAC-SHA256 of the raw body with
// the app's client secret, compared in constant time.
func VerifyWebhook(secret string, body []byte, hmacHeader string) bool {
	if secret == "" || hmacHeader == "" {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(hmacHeader))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// webhookFulfillment is the REST Fulfillment resource that fulfillments/create and
// fulfillments/update deliver.
type webhookFulfillment struct {
	ID              json.Number `json:"id"`
	OrderID         json.Number `json:"order_id"`
	Status          string      `json:"status"` // pending, open, success, cancelled, error, failure
	CreatedAt       string      `json:"created_at"`
	UpdatedAt       string      `json:"updated_at"`
	TrackingCompany *string     `json:"tracking_company"`
	TrackingNumber  *string     `json:"tracking_number"`
	TrackingNumbers []string    `json:"tracking_numbers"`
	TrackingURL     *string     `json:"tracking_url"`
	TrackingURLs    []string    `json:"tracking_urls"`
	ShipmentStatus  *string     `json:"shipment_status"`
}

// ParseFulfillmentWebhook reads a fulfillments/create or fulfillments/update payload into the
// shipment it reports. A successful fulfilment is a shipment; a cancelled one is not.
// StoreOrderID is the order's global id, as CreateOrder returns it.
func ParseFulfillmentWebhook(body []byte) (models.StoreShipment, error) {
	var f webhookFulfillment
	if err := json.Unmarshal(body, &f); err != nil {
		return models.StoreShipment{}, fmt.Errorf("the Shopify fulfilment webhook is not JSON: %w", err)
	}
	orderID, err := strconv.ParseInt(f.OrderID.String(), 10, 64)
	if err != nil || orderID <= 0 {
		return models.StoreShipment{}, errors.New("the Shopify fulfilment webhook names no order_id")
	}
	shipment := models.StoreShipment{
		StoreOrderID: "gid://shopify/Order/" + strconv.FormatInt(orderID, 10),
		RawStatus:    f.Status,
		Shipped:      f.Status == "success",
		UpdatedAt:    parseTime(f.UpdatedAt),
	}
	if f.TrackingCompany != nil {
		shipment.Carrier = *f.TrackingCompany
	}
	switch {
	case len(f.TrackingNumbers) > 0:
		shipment.TrackingNumber = f.TrackingNumbers[len(f.TrackingNumbers)-1]
	case f.TrackingNumber != nil:
		shipment.TrackingNumber = *f.TrackingNumber
	}
	switch {
	case len(f.TrackingURLs) > 0:
		shipment.TrackingURL = f.TrackingURLs[len(f.TrackingURLs)-1]
	case f.TrackingURL != nil:
		shipment.TrackingURL = *f.TrackingURL
	}
	if shipment.Shipped {
		if at := parseTime(f.CreatedAt); !at.IsZero() {
			shipment.ShippedAt = &at
		}
	}
	if shipment.UpdatedAt.IsZero() {
		shipment.UpdatedAt = time.Now().UTC()
	}
	return shipment, nil
}
