package shopify

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/orderhub/orderhub/models"
)

// webhookDelivery is one webhook about to be sent.
type webhookDelivery struct {
	url, secret, topic, id string
	body                   []byte
}

// webhookFor builds the fulfillments/* webhook for a fulfilment: the REST Fulfillment
// resource, with one tracking number per fulfilment as REST has it. Callers hold f.mu.
func (f *Fake) webhookFor(topic string, o *fakeOrder, ful *fakeFulfillment) *webhookDelivery {
	if f.webhookURL == "" {
		return nil
	}
	restTime := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-07:00") }
	payload := map[string]any{
		"id": ful.id, "admin_graphql_api_id": gid("Fulfillment", ful.id), "order_id": o.id,
		"name": o.name + ".1", "status": map[string]string{"SUCCESS": "success", "CANCELLED": "cancelled"}[ful.status],
		"created_at": restTime(ful.createdAt), "updated_at": restTime(ful.updatedAt), "service": "manual",
		"location_id": f.locationID, "shipment_status": nil, "origin_address": nil, "receipt": map[string]any{},
		"tracking_company": nil, "tracking_number": nil, "tracking_numbers": []string{}, "tracking_url": nil, "tracking_urls": []string{},
	}
	if len(ful.tracking) > 0 {
		t := ful.tracking[0]
		payload["tracking_company"] = nilIfEmpty(t.company)
		payload["tracking_number"] = nilIfEmpty(t.number)
		if t.number != "" {
			payload["tracking_numbers"] = []string{t.number}
		}
		payload["tracking_url"] = nilIfEmpty(t.url)
		if t.url != "" {
			payload["tracking_urls"] = []string{t.url}
		}
	}
	var lines []any
	for _, line := range o.lines {
		lines = append(lines, map[string]any{"id": line.id, "variant_id": line.variantID, "sku": line.sku, "title": line.title,
			"quantity": line.quantity, "price": models.FormatDecimal(line.unitPrice, models.CurrencyExponent(o.currency)), "fulfillment_status": "fulfilled"})
	}
	payload["line_items"] = lines
	body, _ := json.Marshal(payload)
	return &webhookDelivery{url: f.webhookURL, secret: f.webhookSecret, topic: topic, body: body,
		id: fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", f.newID()%(1<<32), ful.id%(1<<16), o.id%(1<<12), ful.id%(1<<12), f.newID())}
}

// deliver posts one webhook the way Shopify does, signed with the app's secret. Shopify
// retries failed deliveries for hours; the fake tries once.
func (f *Fake) deliver(d *webhookDelivery) {
	if d == nil {
		return
	}
	mac := hmac.New(sha256.New, []byte(d.secret))
	mac.Write(d.body)
	req, err := http.NewRequest(http.MethodPost, d.url, bytes.NewReader(d.body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Topic", d.topic)
	req.Header.Set("X-Shopify-Hmac-Sha256", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req.Header.Set("X-Shopify-Shop-Domain", "orderhub-test.myshopify.com")
	req.Header.Set("X-Shopify-Webhook-Id", d.id)
	req.Header.Set("X-Shopify-Event-Id", d.id)
	req.Header.Set("X-Shopify-API-Version", DefaultAPIVersion)
	req.Header.Set("X-Shopify-Triggered-At", time.Now().UTC().Format(time.RFC3339Nano))
	req.Header.Set("User-Agent", "Shopify-Captain-Hook")
	req.Header.Set("Content-Length", strconv.Itoa(len(d.body)))
	if res, err := f.webhookClient.Do(req); err == nil {
		res.Body.Close()
	}
}
