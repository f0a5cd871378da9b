package models

import (
	"context"

	"gorm.io/gorm"
)

// AddCarrierRule validates a rule and puts it last on its connection.
func AddCarrierRule(ctx context.Context, db *gorm.DB, c *Connection, r *CarrierRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last struct{ N int }
		if err := tx.Model(&CarrierRule{}).Scopes(ForMerchant(c.MerchantID)).Where("connection_id = ?", c.ID).
			Select("COALESCE(MAX(position), 0) AS n").Scan(&last).Error; err != nil {
			return err
		}
		r.ID, r.MerchantID, r.ConnectionID, r.Position = 0, c.MerchantID, c.ID, last.N+1
		return tx.Create(r).Error
	})
}

// DeleteCarrierRule removes one of a connection's rules.
func DeleteCarrierRule(ctx context.Context, db *gorm.DB, c *Connection, ruleID int64) error {
	res := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).Where("connection_id = ? AND id = ?", c.ID, ruleID).Delete(&CarrierRule{})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// MoveCarrierRule moves a rule one place earlier (up) or later in the order rules are tried.
func MoveCarrierRule(ctx context.Context, db *gorm.DB, c *Connection, ruleID int64, up bool) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		rules, err := ConnectionCarrierRules(ctx, tx, c.MerchantID, c.ID)
		if err != nil {
			return err
		}
		i := -1
		for k, r := range rules {
			if r.ID == ruleID {
				i = k
			}
		}
		if i < 0 {
			return ErrNotFound
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j < 0 || j >= len(rules) {
			return NewUserError("setup.error.rule_at_end", nil, "the rule is already at that end of the list")
		}
		rules[i], rules[j] = rules[j], rules[i]
		for k, r := range rules {
			if err := tx.Model(&CarrierRule{}).Where("id = ? AND merchant_id = ?", r.ID, c.MerchantID).Update("position", k+1).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
