package jobs

import (
	"context"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// CreateTestOrder stores a test order and sends it on its way to the store, together.
func (r *Runner) CreateTestOrder(ctx context.Context, db *gorm.DB, c *models.Connection, o *models.Order, actor string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateTestOrder(ctx, tx, c, o, actor, r.now()); err != nil {
			return err
		}
		return r.e.enqueueOrder(ctx, tx, o.ID, r.now())
	})
}

// CancelTestOrder cancels a test order; the order job cancels it in the store.
func (r *Runner) CancelTestOrder(ctx context.Context, db *gorm.DB, merchantID, orderID int64, actor string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := models.MerchantOrder(ctx, tx, merchantID, orderID)
		if err != nil {
			return err
		}
		if err := models.CancelTestOrder(ctx, tx, o, actor, r.now()); err != nil {
			return err
		}
		return r.e.enqueueOrder(ctx, tx, o.ID, r.now())
	})
}
