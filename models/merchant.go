package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Merchant is one business using orderhub: it owns connections, orders and users.
type Merchant struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SignUp creates a merchant and its first user, an admin, in one transaction.
func SignUp(ctx context.Context, db *gorm.DB, merchantName, userName, email, password string) (*Merchant, *User, error) {
	merchant := &Merchant{Name: strings.TrimSpace(merchantName)}
	var user *User
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(merchant).Error; err != nil {
			return err
		}
		var err error
		user, err = CreateUser(ctx, tx, NewUser{
			MerchantID: &merchant.ID, Name: userName, Email: email, Password: password, Role: RoleAdmin,
		})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return merchant, user, nil
}

// FindMerchant returns one merchant by id.
func FindMerchant(ctx context.Context, db *gorm.DB, id int64) (*Merchant, error) {
	var merchant Merchant
	if err := db.WithContext(ctx).First(&merchant, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &merchant, nil
}

// FindMerchantByName returns the merchant with exactly that name.
func FindMerchantByName(ctx context.Context, db *gorm.DB, name string) (*Merchant, error) {
	var merchant Merchant
	if err := db.WithContext(ctx).Where("name = ?", strings.TrimSpace(name)).First(&merchant).Error; err != nil {
		return nil, notFound(err)
	}
	return &merchant, nil
}

// MerchantSummary is a merchant with its user count, for support agents' overview.
type MerchantSummary struct {
	Merchant
	Users int64
}

// ListMerchants lists every merchant; only support agents see this list.
func ListMerchants(ctx context.Context, db *gorm.DB) ([]MerchantSummary, error) {
	var list []MerchantSummary
	err := db.WithContext(ctx).Model(&Merchant{}).
		Select("merchants.*, (SELECT count(*) FROM users WHERE users.merchant_id = merchants.id) AS users").
		Order("merchants.name").Scan(&list).Error
	return list, err
}
