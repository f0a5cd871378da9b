package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// InvitationTTL is how long an invitation link can be used.
const InvitationTTL = 7 * 24 * time.Hour

// Why an invitation link no longer opens: each gets its own page.
var (
	ErrInvitationExpired = errors.New("this invitation has expired")
	ErrInvitationUsed    = errors.New("this invitation was already used")
	ErrInvitationRevoked = errors.New("this invitation was revoked")
)

// Invitation asks someone to join a merchant's team with a role. Its link carries a token
// kept here only as a hash.
type Invitation struct {
	ID          int64
	MerchantID  int64
	Email       string
	Name        string
	Role        string
	TokenHash   string
	InvitedByID *int64
	ExpiresAt   time.Time
	UsedAt      *time.Time
	RevokedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// NewInvitation is what inviting someone takes.
type NewInvitation struct {
	Email       string
	Name        string
	Role        string
	InvitedByID int64
}

// newSecretToken returns a random token for a link, and the hash it is stored as.
func newSecretToken() (token, hash string) {
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	token = base64.RawURLEncoding.EncodeToString(raw)
	return token, hashToken(token)
}

// CreateInvitation stores an invitation to merchantID's team and returns the token of its
// link. An address that already has an account is ErrEmailTaken; a pending invitation to the
// same address in this merchant is replaced, so only the newest link works.
func CreateInvitation(ctx context.Context, db *gorm.DB, merchantID int64, in NewInvitation, now time.Time) (*Invitation, string, error) {
	email := NormalizeEmail(in.Email)
	if _, err := mail.ParseAddress(email); err != nil || !strings.Contains(email, "@") {
		return nil, "", fmt.Errorf("%q is not an email address", in.Email)
	}
	if in.Role != RoleAdmin && in.Role != RoleStaff {
		return nil, "", fmt.Errorf("role %q cannot be given by invitation: use admin or staff", in.Role)
	}
	token, hash := newSecretToken()
	inv := &Invitation{
		MerchantID: merchantID, Email: email, Name: strings.TrimSpace(in.Name), Role: in.Role,
		TokenHash: hash, InvitedByID: &in.InvitedByID, ExpiresAt: now.UTC().Add(InvitationTTL),
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var taken int64
		if err := tx.Model(&User{}).Where("lower(email) = ?", email).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return ErrEmailTaken
		}
		if err := pendingInvitations(tx, merchantID, now).Where("email = ?", email).
			Update("revoked_at", now.UTC()).Error; err != nil {
			return err
		}
		return tx.Create(inv).Error
	})
	if err != nil {
		return nil, "", err
	}
	return inv, token, nil
}

// pendingInvitations scopes a query to merchantID's invitations that can still be used.
func pendingInvitations(db *gorm.DB, merchantID int64, now time.Time) *gorm.DB {
	return db.Model(&Invitation{}).Scopes(ForMerchant(merchantID)).
		Where("used_at IS NULL AND revoked_at IS NULL AND expires_at > ?", now.UTC())
}

// PendingInvitations lists merchantID's invitations that can still be used, newest first.
func PendingInvitations(ctx context.Context, db *gorm.DB, merchantID int64, now time.Time) ([]Invitation, error) {
	var invitations []Invitation
	err := pendingInvitations(db.WithContext(ctx), merchantID, now).Order("created_at DESC, id DESC").Find(&invitations).Error
	return invitations, err
}

// RevokeInvitation makes a pending invitation of merchantID's unusable; any other is
// ErrNotFound.
func RevokeInvitation(ctx context.Context, db *gorm.DB, merchantID, id int64, now time.Time) error {
	res := pendingInvitations(db.WithContext(ctx), merchantID, now).Where("id = ?", id).
		Updates(map[string]any{"revoked_at": now.UTC(), "updated_at": now.UTC()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// RenewInvitation gives a pending invitation of merchantID's a new token and a new expiry:
// the old link stops working. Any other invitation is ErrNotFound.
func RenewInvitation(ctx context.Context, db *gorm.DB, merchantID, id int64, now time.Time) (*Invitation, string, error) {
	token, hash := newSecretToken()
	var inv Invitation
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := pendingInvitations(tx, merchantID, now).Where("id = ?", id).First(&inv).Error; err != nil {
			return notFound(err)
		}
		inv.TokenHash, inv.ExpiresAt, inv.UpdatedAt = hash, now.UTC().Add(InvitationTTL), now.UTC()
		return tx.Model(&Invitation{}).Scopes(ForMerchant(merchantID)).Where("id = ?", id).
			Updates(map[string]any{"token_hash": hash, "expires_at": inv.ExpiresAt, "updated_at": inv.UpdatedAt}).Error
	})
	if err != nil {
		return nil, "", err
	}
	return &inv, token, nil
}

// InvitationByToken returns the invitation a link's token opens. An unknown token is
// ErrNotFound; a used, revoked or expired invitation is returned with ErrInvitationUsed,
// ErrInvitationRevoked or ErrInvitationExpired, so the page can name who to ask.
func InvitationByToken(ctx context.Context, db *gorm.DB, token string, now time.Time) (*Invitation, error) {
	var inv Invitation
	if err := db.WithContext(ctx).Where("token_hash = ?", hashToken(token)).First(&inv).Error; err != nil {
		return nil, notFound(err)
	}
	switch {
	case inv.UsedAt != nil:
		return &inv, ErrInvitationUsed
	case inv.RevokedAt != nil:
		return &inv, ErrInvitationRevoked
	case !inv.ExpiresAt.After(now.UTC()):
		return &inv, ErrInvitationExpired
	}
	return &inv, nil
}

// AcceptInvitation creates the invited person's account in the invitation's merchant, with
// its role, and uses the invitation up; a link works once only.
func AcceptInvitation(ctx context.Context, db *gorm.DB, token, name, password string, now time.Time) (*User, error) {
	var user *User
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inv, err := InvitationByToken(ctx, tx, token, now)
		if err != nil {
			return err
		}
		// Claiming the row first means two submissions of the same link cannot both succeed.
		res := tx.Model(&Invitation{}).Scopes(ForMerchant(inv.MerchantID)).
			Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", inv.ID).
			Updates(map[string]any{"used_at": now.UTC(), "updated_at": now.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrInvitationUsed
		}
		if strings.TrimSpace(name) == "" {
			name = inv.Name
		}
		user, err = CreateUser(ctx, tx, NewUser{MerchantID: &inv.MerchantID, Name: name, Email: inv.Email, Password: password, Role: inv.Role})
		return err
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

// deadInvitationsKept is how long an invitation that was never used is kept after it expired
// (its link explains itself meanwhile); used invitations stay as the record of who invited whom.
const deadInvitationsKept = 30 * 24 * time.Hour

// PurgeInvitations deletes the unused invitations that expired (or were revoked) long ago.
func PurgeInvitations(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("used_at IS NULL AND expires_at < ?", now.UTC().Add(-deadInvitationsKept)).Delete(&Invitation{})
	return res.RowsAffected, res.Error
}
