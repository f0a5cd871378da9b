package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// SupportHit is an order found by a support agent, with its merchant.
type SupportHit struct {
	Order
	MerchantName string
}

// supportSearchLimit bounds the orders one search shows.
const supportSearchLimit = 50

// SupportSearch finds orders of every merchant whose marketplace reference or id, store order
// id, buyer e-mail or tracking number is exactly what was typed, newest first. Exact matches
// only: a support agent pastes what the merchant or buyer quoted.
func SupportSearch(ctx context.Context, db *gorm.DB, typed string) ([]SupportHit, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return nil, nil
	}
	var orders []Order
	err := db.WithContext(ctx).
		Where("marketplace_reference = ? OR marketplace_order_id = ? OR store_order_id = ? OR tracking_number = ? OR LOWER(billing_email) = ?",
			typed, typed, typed, typed, strings.ToLower(typed)).
		Order("id DESC").Limit(supportSearchLimit).Find(&orders).Error
	if err != nil || len(orders) == 0 {
		return nil, err
	}
	names := map[int64]string{}
	hits := make([]SupportHit, len(orders))
	for i, o := range orders {
		name, ok := names[o.MerchantID]
		if !ok {
			var m Merchant
			if err := db.WithContext(ctx).Select("id", "name").First(&m, o.MerchantID).Error; err != nil {
				return nil, err
			}
			name, names[o.MerchantID] = m.Name, m.Name
		}
		hits[i] = SupportHit{Order: o, MerchantName: name}
	}
	return hits, nil
}
