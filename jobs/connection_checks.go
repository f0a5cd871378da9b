package jobs

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// checkTimeout bounds a "test connection" made while a person waits for the answer.
const checkTimeout = 15 * time.Second

// CheckMarketplace makes one authenticated call to the connection's marketplace with its
// settings and credentials as they are now (saved or not), for the "test connection" button.
func (r *Runner) CheckMarketplace(ctx context.Context, c *models.Connection) error {
	mp, err := r.e.connectors.Marketplace(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return mp.CheckCredentials(ctx)
}

// CheckStore does the same with the connection's store.
func (r *Runner) CheckStore(ctx context.Context, c *models.Connection) error {
	store, err := r.e.connectors.Store(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return store.CheckCredentials(ctx)
}

// MarketplaceCarriers lists the carriers the connection's marketplace knows, read at most
// every few hours.
func (r *Runner) MarketplaceCarriers(ctx context.Context, c *models.Connection) ([]models.Carrier, error) {
	mp, err := r.e.connectors.Marketplace(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return r.e.marketplaceCarriers(ctx, c, mp)
}

// SyncCatalogueNow asks for the connection's store catalogue to be read, inside tx.
func (r *Runner) SyncCatalogueNow(ctx context.Context, tx *gorm.DB, connectionID int64) error {
	_, err := r.Enqueue(ctx, tx, SyncCatalogueArgs{ConnectionID: connectionID}, nil)
	return err
}

// RefreshCatalogueAndRetry reads the connection's store catalogue again, then retries its
// orders blocked by an unknown product or a stock shortage.
func (r *Runner) RefreshCatalogueAndRetry(ctx context.Context, db *gorm.DB, merchantID, connectionID int64, actor string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := models.MerchantConnection(ctx, tx, merchantID, connectionID); err != nil {
			return err
		}
		_, err := r.Enqueue(ctx, tx, SyncCatalogueArgs{ConnectionID: connectionID, RetryBlocked: true, Actor: actor}, nil)
		return err
	})
}
