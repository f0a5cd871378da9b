package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
)

// Handle names the session on pages and in forms without revealing its id, which is the
// secret the cookie is signed around.
func (s *Session) Handle() string {
	sum := sha256.Sum256([]byte("orderhub session handle\x00" + s.ID))
	return hex.EncodeToString(sum[:12])
}

// UserSessions lists userID's sessions that have not expired, most recently active first.
func UserSessions(ctx context.Context, db *gorm.DB, userID int64, now time.Time) ([]Session, error) {
	var sessions []Session
	err := db.WithContext(ctx).Where("user_id = ? AND expires_at > ?", userID, now.UTC()).
		Order("updated_at DESC, created_at DESC").Find(&sessions).Error
	return sessions, err
}

// EndUserSession ends the session of userID's with that handle; another user's session, or
// one that does not exist, is ErrNotFound.
func EndUserSession(ctx context.Context, db *gorm.DB, userID int64, handle string, now time.Time) error {
	sessions, err := UserSessions(ctx, db, userID, now)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		if s.Handle() == handle {
			return db.WithContext(ctx).Where("user_id = ? AND id = ?", userID, s.ID).Delete(&Session{}).Error
		}
	}
	return ErrNotFound
}

// EndUserSessions ends every session of userID's but the one with id keep (none when empty),
// and returns how many ended.
func EndUserSessions(ctx context.Context, db *gorm.DB, userID int64, keep string) (int64, error) {
	res := db.WithContext(ctx).Where("user_id = ? AND id <> ?", userID, keep).Delete(&Session{})
	return res.RowsAffected, res.Error
}
