package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// WebhookDelivery is one webhook delivery a store sent and orderhub took, kept by the store's
// delivery id so that the same delivery sent again is ignored.
type WebhookDelivery struct {
	ID           int64
	MerchantID   int64
	ConnectionID int64
	DeliveryID   string
	ReceivedAt   time.Time
}

// TakeDelivery records a delivery for the connection and reports whether it is new; false
// means it was taken before. Call it in the transaction that acts on the delivery, so that
// a delivery whose handling failed is taken again when the store retries it.
func TakeDelivery(ctx context.Context, tx *gorm.DB, c *Connection, deliveryID string, now time.Time) (bool, error) {
	d := WebhookDelivery{MerchantID: c.MerchantID, ConnectionID: c.ID, DeliveryID: deliveryID, ReceivedAt: now.UTC()}
	res := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&d)
	return res.RowsAffected == 1, res.Error
}

// ConnectionByID reads a connection by its id alone, for requests that carry no session
// (store webhooks): the caller proves its right to it another way, such as a signature
// made with the connection's secret.
func ConnectionByID(ctx context.Context, db *gorm.DB, id int64) (*Connection, error) {
	var c Connection
	if err := db.WithContext(ctx).First(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// WebhookDeliveriesKept is how long delivery ids are remembered; stores retry a failed
// delivery for a few days at most, and a delivery telling of an older change is refused.
const WebhookDeliveriesKept = 14 * 24 * time.Hour

// PurgeWebhookDeliveries deletes the delivery ids no store will send again.
func PurgeWebhookDeliveries(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("received_at < ?", now.Add(-WebhookDeliveriesKept).UTC()).Delete(&WebhookDelivery{})
	return res.RowsAffected, res.Error
}
