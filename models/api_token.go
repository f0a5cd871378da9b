package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// APIToken lets a shop call the Store API for one merchant, optionally for some connections.
type APIToken struct {
	ID            int64
	MerchantID    int64
	Name          string
	TokenHash     string
	Prefix        string // the first characters, to recognise a token in lists
	ConnectionIDs string // comma-separated; empty: every connection of the merchant
	CreatedBy     *int64
	CreatedAt     time.Time
	ExpiresAt     *time.Time
	LastUsedAt    *time.Time
	RevokedAt     *time.Time
}

// ErrTokenInvalid covers unknown, revoked and expired tokens alike.
var ErrTokenInvalid = errors.New("the API token is unknown, revoked or expired")

const tokenPrefix = "oh_"

// NewAPIToken is what creating a token takes.
type NewAPIToken struct {
	Name          string
	ConnectionIDs []int64
	ExpiresAt     *time.Time
	CreatedBy     *int64
}

// CreateAPIToken stores a new token and returns it in clear, the only time it is ever shown.
func CreateAPIToken(ctx context.Context, db *gorm.DB, merchantID int64, in NewAPIToken) (string, *APIToken, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return "", nil, NewUserError("tokens.error.name", nil, "name the token after the shop or system that uses it")
	}
	for _, id := range in.ConnectionIDs {
		if _, err := MerchantConnection(ctx, db, merchantID, id); err != nil {
			return "", nil, NewUserError("tokens.error.connection", nil, "a chosen connection does not exist")
		}
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	plaintext := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	ids := make([]string, len(in.ConnectionIDs))
	for i, id := range in.ConnectionIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	token := &APIToken{MerchantID: merchantID, Name: name, TokenHash: hashToken(plaintext), Prefix: plaintext[:10],
		ConnectionIDs: strings.Join(ids, ","), CreatedBy: in.CreatedBy, ExpiresAt: in.ExpiresAt}
	if err := db.WithContext(ctx).Create(token).Error; err != nil {
		return "", nil, err
	}
	return plaintext, token, nil
}

func hashToken(plaintext string) string {
	sum := sha256.Sum256([]byte(plaintext))
	return hex.EncodeToString(sum[:])
}

// AuthenticateAPIToken returns the live token matching plaintext and notes its use.
func AuthenticateAPIToken(ctx context.Context, db *gorm.DB, plaintext string, now time.Time) (*APIToken, error) {
	if !strings.HasPrefix(plaintext, tokenPrefix) {
		return nil, ErrTokenInvalid
	}
	var token APIToken
	err := db.WithContext(ctx).Where("token_hash = ?", hashToken(plaintext)).First(&token).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, err
	}
	if token.RevokedAt != nil || (token.ExpiresAt != nil && !now.Before(*token.ExpiresAt)) {
		return nil, ErrTokenInvalid
	}
	// Noted at most once a minute, so that busy shops do not write on every call.
	if token.LastUsedAt == nil || now.Sub(*token.LastUsedAt) > time.Minute {
		used := now.UTC()
		token.LastUsedAt = &used
		if err := db.WithContext(ctx).Model(&token).Update("last_used_at", used).Error; err != nil {
			return nil, err
		}
	}
	return &token, nil
}

// Allows reports whether the token may act on a connection.
func (t *APIToken) Allows(connectionID int64) bool {
	if t.ConnectionIDs == "" {
		return true
	}
	return slices.Contains(strings.Split(t.ConnectionIDs, ","), strconv.FormatInt(connectionID, 10))
}

// ConnectionIDList lists the connections the token is limited to (empty: all).
func (t *APIToken) ConnectionIDList() []int64 {
	var ids []int64
	for _, part := range splitList(t.ConnectionIDs) {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// MerchantAPITokens lists a merchant's tokens, newest first.
func MerchantAPITokens(ctx context.Context, db *gorm.DB, merchantID int64) ([]APIToken, error) {
	var tokens []APIToken
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Order("created_at DESC, id DESC").Find(&tokens).Error
	return tokens, err
}

// RevokeAPIToken ends a token at once.
func RevokeAPIToken(ctx context.Context, db *gorm.DB, merchantID, id int64, now time.Time) error {
	res := db.WithContext(ctx).Model(&APIToken{}).Scopes(ForMerchant(merchantID)).
		Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", now.UTC())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
