package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SyncRun is one sync of a connection that changed something or failed.
type SyncRun struct {
	ID           int64
	MerchantID   int64
	ConnectionID int64
	Kind         string // marketplace, store or catalogue
	StartedAt    time.Time
	FinishedAt   time.Time
	Pages        int
	Created      int // orders imported, or products read
	Updated      int // orders changed, or shipments taken
	Error        string
}

// Sync kinds.
const (
	SyncMarketplace = "marketplace"
	SyncStore       = "store"
	SyncCatalogue   = "catalogue"
)

// SyncRunsKept is how long sync runs are kept.
const SyncRunsKept = 14 * 24 * time.Hour

// Worth reports whether the run is worth keeping: it changed something or failed.
func (r *SyncRun) Worth() bool { return r.Created > 0 || r.Updated > 0 || r.Error != "" }

// RecordSyncRun keeps a run of the connection.
func RecordSyncRun(ctx context.Context, db *gorm.DB, c *Connection, r *SyncRun) error {
	r.ID, r.MerchantID, r.ConnectionID = 0, c.MerchantID, c.ID
	r.StartedAt, r.FinishedAt = r.StartedAt.UTC(), r.FinishedAt.UTC()
	return db.WithContext(ctx).Create(r).Error
}

// RecentSyncRuns lists a connection's last runs, newest first.
func RecentSyncRuns(ctx context.Context, db *gorm.DB, merchantID, connectionID int64, limit int) ([]SyncRun, error) {
	var runs []SyncRun
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Where("connection_id = ?", connectionID).
		Order("id DESC").Limit(limit).Find(&runs).Error
	return runs, err
}

// PurgeSyncRuns deletes the runs older than SyncRunsKept.
func PurgeSyncRuns(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("finished_at < ?", now.Add(-SyncRunsKept).UTC()).Delete(&SyncRun{})
	return res.RowsAffected, res.Error
}
