package models

import (
	"errors"

	"gorm.io/gorm"
)

// ErrNotFound is returned when a row does not exist or belongs to another merchant: callers
// cannot tell the two apart, so ids cannot be probed.
var ErrNotFound = errors.New("not found")

// ForMerchant scopes a query to one merchant's rows. Every query on a tenant-owned table goes
// through it (or names merchant_id itself).
func ForMerchant(merchantID int64) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		return db.Where("merchant_id = ?", merchantID)
	}
}

// notFound turns GORM's missing-row error into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
