package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

// WebhookStore is implemented by a store that tells its shipments by webhook as well as
// answering the sync, so that a shipment reaches the marketplace without waiting for the next
// poll (the poll stays as the safety net).
type WebhookStore interface {
	// ReadWebhook checks a delivery's signature (ErrBadSignature when it does not match) and
	// returns its delivery id and the shipment it tells of (nil for topics that carry none).
	ReadWebhook(header http.Header, body []byte) (deliveryID string, shipment *models.StoreShipment, err error)
}

// ErrBadSignature: a webhook delivery not signed with the connection's secret. ErrBadWebhook:
// a signed delivery whose body cannot be read.
var (
	ErrBadSignature = apiclient.ErrBadSignature
	ErrBadWebhook   = apiclient.ErrBadWebhook
)

// ErrNoWebhooks: the connection's store sends no webhooks orderhub reads.
var ErrNoWebhooks = errors.New("this connection's store sends no webhooks orderhub reads")

// WebhookResult says what a delivery did.
type WebhookResult string

const (
	WebhookTaken    WebhookResult = "taken"    // the order moved on
	WebhookReplayed WebhookResult = "replayed" // the same delivery came before: ignored
	WebhookIgnored  WebhookResult = "ignored"  // nothing orderhub follows (another topic, an order orderhub did not make)
)

// ReceiveStoreWebhook verifies and takes one store webhook delivery for connection c. A
// delivery is taken once: the delivery id and the order's change commit together.
func (r *Runner) ReceiveStoreWebhook(ctx context.Context, c *models.Connection, header http.Header, body []byte) (WebhookResult, error) {
	store, err := r.e.connectors.Store(c)
	if err != nil {
		return "", err
	}
	hooks, ok := store.(WebhookStore)
	if !ok {
		return "", ErrNoWebhooks
	}
	deliveryID, shipment, err := hooks.ReadWebhook(header, body)
	if err != nil {
		return "", err
	}
	now := r.e.now()
	if shipment != nil && !shipment.UpdatedAt.IsZero() && shipment.UpdatedAt.Before(now.Add(-models.WebhookDeliveriesKept)) {
		// Older than the deliveries remembered: only a replay can bring it now.
		return "", fmt.Errorf("%w: it tells of a change made %s, longer ago than the %d days deliveries are remembered; it is taken as a replay and refused (the store sync reads real changes)",
			ErrBadWebhook, shipment.UpdatedAt.UTC().Format(time.DateOnly), int(models.WebhookDeliveriesKept.Hours()/24))
	}
	result := WebhookIgnored
	err = r.e.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		result = WebhookIgnored
		fresh, err := models.TakeDelivery(ctx, tx, c, deliveryID, now)
		if err != nil {
			return err
		}
		if !fresh {
			result = WebhookReplayed
			return nil
		}
		if shipment == nil || c.State != models.ConnectionActive {
			return nil
		}
		order, err := r.e.storeOrder(ctx, tx, c, *shipment, now)
		if errors.Is(err, models.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		changed, err := r.e.recordStoreShipment(ctx, tx, c, order, *shipment, now)
		if changed {
			result = WebhookTaken
		}
		return err
	})
	return result, err
}

// StoreSendsWebhooks reports whether orderhub reads the webhooks of a store kind, so that the
// connection's page shows the address to give the store.
func StoreSendsWebhooks(kind string) bool { return kind == "shopify" }
