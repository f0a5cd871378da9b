package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Lease gives one holder a named piece of work until a time; it is renewed while the work
// goes on and expires by itself if the holder dies.
type Lease struct {
	Key    string `gorm:"primaryKey"`
	Holder string
	Until  time.Time
}

// ClaimLease takes the lease for holder unless another holder has it unexpired.
func ClaimLease(ctx context.Context, db *gorm.DB, key, holder string, until, now time.Time) (bool, error) {
	res := db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"holder", "until"}),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "leases.until < ? OR leases.holder = ?", Vars: []any{now.UTC(), holder}}}},
	}).Create(&Lease{Key: key, Holder: holder, Until: until.UTC()})
	return res.RowsAffected == 1, res.Error
}

// ReleaseLease gives the lease back if holder still has it.
func ReleaseLease(ctx context.Context, db *gorm.DB, key, holder string) error {
	return db.WithContext(ctx).Where("key = ? AND holder = ?", key, holder).Delete(&Lease{}).Error
}
