package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Password reset links: valid for an hour, once, and at most a few sent to an address per hour
// so that nobody can flood someone's mailbox.
const (
	PasswordResetTTL          = time.Hour
	PasswordResetWindow       = time.Hour
	MaxPasswordResetsInWindow = 3
)

// Why a reset link no longer works.
var (
	ErrPasswordResetExpired = errors.New("this password reset link has expired")
	ErrPasswordResetUsed    = errors.New("this password reset link was already used")
)

// PasswordReset is one reset link sent to a user; its token is kept only as a hash.
type PasswordReset struct {
	ID        int64
	UserID    int64
	Email     string
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// RequestPasswordReset returns the user with that email and the token of a new reset link
// for them. When no account has that email, or the address was sent enough links within the
// window, it returns a nil user and no error: the caller answers the same either way.
func RequestPasswordReset(ctx context.Context, db *gorm.DB, email string, now time.Time) (*User, string, error) {
	email = NormalizeEmail(email)
	var user User
	err := db.WithContext(ctx).Where("lower(email) = ?", email).First(&user).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var sent int64
	err = db.WithContext(ctx).Model(&PasswordReset{}).
		Where("email = ? AND created_at > ?", email, now.UTC().Add(-PasswordResetWindow)).Count(&sent).Error
	if err != nil {
		return nil, "", err
	}
	if sent >= MaxPasswordResetsInWindow {
		return nil, "", nil
	}
	token, hash := newSecretToken()
	reset := &PasswordReset{UserID: user.ID, Email: email, TokenHash: hash, ExpiresAt: now.UTC().Add(PasswordResetTTL), CreatedAt: now.UTC()}
	if err := db.WithContext(ctx).Create(reset).Error; err != nil {
		return nil, "", err
	}
	return &user, token, nil
}

// PasswordResetByToken returns the reset a link's token names: ErrNotFound when unknown,
// ErrPasswordResetUsed or ErrPasswordResetExpired when it can no longer be used.
func PasswordResetByToken(ctx context.Context, db *gorm.DB, token string, now time.Time) (*PasswordReset, error) {
	var reset PasswordReset
	if err := db.WithContext(ctx).Where("token_hash = ?", hashToken(token)).First(&reset).Error; err != nil {
		return nil, notFound(err)
	}
	switch {
	case reset.UsedAt != nil:
		return &reset, ErrPasswordResetUsed
	case !reset.ExpiresAt.After(now.UTC()):
		return &reset, ErrPasswordResetExpired
	}
	return &reset, nil
}

// ResetPassword sets a new password through a reset link, once. Every session of the user
// ends, every other reset link of theirs stops working, and their failed logins are forgotten.
func ResetPassword(ctx context.Context, db *gorm.DB, token, password string, now time.Time) (*User, error) {
	var user *User
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		reset, err := PasswordResetByToken(ctx, tx, token, now)
		if err != nil {
			return err
		}
		res := tx.Model(&PasswordReset{}).Where("user_id = ? AND used_at IS NULL", reset.UserID).Update("used_at", now.UTC())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrPasswordResetUsed
		}
		if user, err = FindUser(ctx, tx, reset.UserID); err != nil {
			return err
		}
		if err := SetPassword(ctx, tx, user, password); err != nil {
			return err
		}
		return ClearLoginFailures(ctx, tx, user.Email)
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

// SetPassword changes a user's password and ends all their sessions: whoever knew the old
// password is logged out everywhere.
func SetPassword(ctx context.Context, db *gorm.DB, user *User, password string) error {
	if len(password) < MinPasswordLength {
		return fmt.Errorf("the password must have at least %d characters", MinPasswordLength)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("the password cannot be used: %w", err)
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", user.ID).Update("password_hash", string(hash)).Error; err != nil {
			return err
		}
		user.PasswordHash = string(hash)
		_, err := EndUserSessions(ctx, tx, user.ID, "")
		return err
	})
}

// PurgePasswordResets deletes reset rows that neither work nor count towards the limit.
func PurgePasswordResets(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	cutoff := now.UTC().Add(-max(PasswordResetTTL, PasswordResetWindow))
	res := db.WithContext(ctx).Where("created_at <= ?", cutoff).Delete(&PasswordReset{})
	return res.RowsAffected, res.Error
}
