package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// AuditEvent is one change a support agent made in a merchant's account: who, what, and the
// state of what it touched before and after.
type AuditEvent struct {
	ID          int64
	MerchantID  int64
	UserID      int64
	Action      string // the request, e.g. "POST /orders/12/retry"
	Subject     string // what it touched, e.g. "order Order_0001-A"
	BeforeState string
	AfterState  string
	Status      int // the answer's HTTP status
	At          time.Time
	User        *User `gorm:"foreignKey:UserID"`
}

// RecordAudit keeps a support agent's action.
func RecordAudit(ctx context.Context, db *gorm.DB, e *AuditEvent) error {
	return db.WithContext(ctx).Omit("User").Create(e).Error
}

// MerchantAudit lists the newest support actions in the merchant's account.
func MerchantAudit(ctx context.Context, db *gorm.DB, merchantID int64, limit int) ([]AuditEvent, error) {
	var events []AuditEvent
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).Preload("User").
		Order("at DESC, id DESC").Limit(limit).Find(&events).Error
	return events, err
}

// SupportActor names a support agent in an order's timeline.
func SupportActor(u *User) string { return "support:" + u.DisplayName() }
