package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// ClaimOrder takes the order's processing lease until the given time, unless another process
// holds a lease that has not expired. It reports whether the lease is ours.
func ClaimOrder(ctx context.Context, db *gorm.DB, orderID int64, until, now time.Time) (bool, error) {
	res := db.WithContext(ctx).Model(&Order{}).
		Where("id = ? AND (processing_until IS NULL OR processing_until < ?)", orderID, now.UTC()).
		UpdateColumn("processing_until", until.UTC())
	return res.RowsAffected == 1, res.Error
}

// ReleaseOrder gives the lease back.
func ReleaseOrder(ctx context.Context, db *gorm.DB, orderID int64) error {
	return db.WithContext(ctx).Model(&Order{}).Where("id = ?", orderID).UpdateColumn("processing_until", nil).Error
}

// RenewOrder extends a held processing lease.
func RenewOrder(ctx context.Context, db *gorm.DB, orderID int64, until time.Time) error {
	return db.WithContext(ctx).Model(&Order{}).Where("id = ? AND processing_until IS NOT NULL", orderID).
		UpdateColumn("processing_until", until.UTC()).Error
}
