package shopify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// ReadWebhook checks a delivery's X-Shopify-Hmac-SHA256 against the connection's webhook
// secret and reads the shipment a fulfillments/create or fulfillments/update delivery tells
// of; other topics carry none. The signature covers the body alone, not the headers, so the
// delivery id is the body's SHA-256: a captured delivery sent again under another
// X-Shopify-Webhook-Id is still the same delivery (Shopify's own retries send the same body).
func (c *Client) ReadWebhook(header http.Header, body []byte) (string, *models.StoreShipment, error) {
	if !VerifyWebhook(c.cfg.WebhookSecret, body, header.Get("X-Shopify-Hmac-Sha256")) {
		return "", nil, apiclient.ErrBadSignature
	}
	if header.Get("X-Shopify-Webhook-Id") == "" {
		return "", nil, fmt.Errorf("%w: it has no X-Shopify-Webhook-Id", apiclient.ErrBadWebhook)
	}
	sum := sha256.Sum256(body)
	id := "sha256:" + hex.EncodeToString(sum[:])
	switch header.Get("X-Shopify-Topic") {
	case "fulfillments/create", "fulfillments/update":
	default:
		return id, nil, nil
	}
	shipment, err := ParseFulfillmentWebhook(body)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", apiclient.ErrBadWebhook, err)
	}
	return id, &shipment, nil
}
