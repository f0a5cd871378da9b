package shopify

import (
	"fmt"
	"net/http"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// ReadWebhook checks a delivery's X-Shopify-Hmac-SHA256 against the connection's webhook
// secret and reads the shipment a fulfillments/create or fulfillments/update delivery tells
// of; other topics carry none. The delivery id is X-Shopify-Webhook-Id, the same on every
// retry of one delivery.
func (c *Client) ReadWebhook(header http.Header, body []byte) (string, *models.StoreShipment, error) {
	if !VerifyWebhook(c.cfg.WebhookSecret, body, header.Get("X-Shopify-Hmac-Sha256")) {
		return "", nil, apiclient.ErrBadSignature
	}
	id := header.Get("X-Shopify-Webhook-Id")
	if id == "" {
		return "", nil, fmt.Errorf("%w: it has no X-Shopify-Webhook-Id", apiclient.ErrBadWebhook)
	}
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
