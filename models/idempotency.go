package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// IdempotencyKey is a Store API request made with an Idempotency-Key header, and the answer
// it got. A request sent again with the same key gets that answer back instead of acting
// twice.
type IdempotencyKey struct {
	ID          int64
	MerchantID  int64
	TokenID     int64
	Key         string
	RequestHash string
	Status      int // 0 while the first request runs
	ContentType string
	Body        []byte
	CreatedAt   time.Time
	CompletedAt *time.Time
}

// Idempotency keys live a day; a request still running after idempotencyAbandoned is taken
// to have died with its process, and the key may be used again.
const (
	IdempotencyKeyTTL    = 24 * time.Hour
	idempotencyAbandoned = 2 * time.Minute
)

var (
	// ErrIdempotencyMismatch: the key was used for a different request.
	ErrIdempotencyMismatch = errors.New("this idempotency key was used for a different request")
	// ErrIdempotencyInProgress: the first request with this key is still running.
	ErrIdempotencyInProgress = errors.New("a request with this idempotency key is still running")
)

// RequestHash identifies a request by its method, path and body.
func RequestHash(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + " " + path + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// BeginIdempotent records that a request with this key starts, or returns the earlier
// request's record: completed (Status set: answer with its response), or an error when it
// is still running or was a different request.
func BeginIdempotent(ctx context.Context, db *gorm.DB, token *APIToken, key, hash string, now time.Time) (*IdempotencyKey, error) {
	for attempt := 0; ; attempt++ {
		k := &IdempotencyKey{MerchantID: token.MerchantID, TokenID: token.ID, Key: key, RequestHash: hash, CreatedAt: now.UTC()}
		err := db.WithContext(ctx).Create(k).Error
		if err == nil {
			return k, nil
		}
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, err
		}
		var earlier IdempotencyKey
		err = db.WithContext(ctx).Scopes(ForMerchant(token.MerchantID)).
			Where("token_id = ? AND key = ?", token.ID, key).First(&earlier).Error
		if errors.Is(err, gorm.ErrRecordNotFound) && attempt == 0 {
			continue // deleted meanwhile (expired, or its request failed): use it afresh
		}
		if err != nil {
			return nil, err
		}
		switch {
		case earlier.RequestHash != hash:
			return nil, ErrIdempotencyMismatch
		case earlier.Status != 0:
			return &earlier, nil
		case now.Sub(earlier.CreatedAt) > idempotencyAbandoned && attempt == 0:
			if err := forgetRunning(ctx, db, &earlier); err != nil {
				return nil, err
			}
			continue
		}
		return nil, ErrIdempotencyInProgress
	}
}

// FinishIdempotent keeps the response given to the request.
func FinishIdempotent(ctx context.Context, db *gorm.DB, k *IdempotencyKey, status int, contentType string, body []byte, now time.Time) error {
	done := now.UTC()
	k.Status, k.ContentType, k.Body, k.CompletedAt = status, contentType, body, &done
	return db.WithContext(ctx).Model(&IdempotencyKey{}).Where("id = ? AND merchant_id = ?", k.ID, k.MerchantID).
		Updates(map[string]any{"status": status, "content_type": contentType, "body": body, "completed_at": done}).Error
}

// ForgetIdempotent drops the key of a request that failed without an answer worth keeping
// (a server error, a rate limit): sent again, it runs again.
func ForgetIdempotent(ctx context.Context, db *gorm.DB, k *IdempotencyKey) error {
	return forgetRunning(ctx, db, k)
}

func forgetRunning(ctx context.Context, db *gorm.DB, k *IdempotencyKey) error {
	return db.WithContext(ctx).Where("id = ? AND merchant_id = ? AND status = 0", k.ID, k.MerchantID).Delete(&IdempotencyKey{}).Error
}

// PurgeIdempotencyKeys deletes the keys older than a day.
func PurgeIdempotencyKeys(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("created_at < ?", now.Add(-IdempotencyKeyTTL).UTC()).Delete(&IdempotencyKey{})
	return res.RowsAffected, res.Error
}
