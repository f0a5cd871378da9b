package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Session is one browser's server-side session. The cookie holds only its signed id.
type Session struct {
	ID        string
	UserID    *int64
	Data      []byte
	IP        string
	UserAgent string
	CreatedAt time.Time
	UpdatedAt time.Time
	ExpiresAt time.Time
}

// FindSession returns a session that has not expired.
func FindSession(ctx context.Context, db *gorm.DB, id string) (*Session, error) {
	var s Session
	err := db.WithContext(ctx).Where("id = ? AND expires_at > ?", id, time.Now().UTC()).First(&s).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &s, nil
}

// SaveSession inserts or updates a session row.
func SaveSession(ctx context.Context, db *gorm.DB, s *Session) error {
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"user_id", "data", "ip", "user_agent", "updated_at", "expires_at"}),
	}).Create(s).Error
}

// DeleteSession ends one session.
func DeleteSession(ctx context.Context, db *gorm.DB, id string) error {
	return db.WithContext(ctx).Where("id = ?", id).Delete(&Session{}).Error
}

// PurgeExpiredSessions deletes sessions past their expiry and returns how many.
func PurgeExpiredSessions(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("expires_at <= ?", now.UTC()).Delete(&Session{})
	return res.RowsAffected, res.Error
}

// TouchSession notes that a session was used at now, for the list of a user's sessions.
func TouchSession(ctx context.Context, db *gorm.DB, id string, now time.Time) error {
	return db.WithContext(ctx).Model(&Session{}).Where("id = ?", id).UpdateColumn("updated_at", now.UTC()).Error
}
