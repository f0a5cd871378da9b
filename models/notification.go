package models

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm"
)

// DigestInterval is the least time between two digest e-mails to one merchant.
const DigestInterval = time.Hour

// NotificationDigest is the last digest e-mail a merchant was sent and the newest blocked
// order it covered: orders blocked after that mark are the new ones.
type NotificationDigest struct {
	MerchantID     int64 `gorm:"primaryKey;autoIncrement:false"`
	SentAt         time.Time
	CoveredUntil   time.Time // updated_at of the newest blocked order the digest included
	CoveredOrderID int64     // that order's id: orders updated in the same instant are newer by id
	Orders         int64     // blocked orders the digest told of
}

// Digest is what one digest e-mail tells a merchant's admins: the error queue's groups, and
// how many orders got blocked since the last digest.
type Digest struct {
	MerchantID   int64
	MerchantName string
	// Recipients are the merchant's admins only: they run the account and can fix every
	// cause (staff see the same error queue when they log in, and get no e-mail).
	Recipients []string
	Groups     []BlockedGroup // the longest-waiting first
	Orders     int64          // blocked orders in all
	New        int64          // orders blocked since the last digest (all of them for the first)

	covered  NotificationDigest  // the mark this digest sets, once claimed
	previous *NotificationDigest // the mark before it; nil before the first digest
}

// blockedOrders narrows a query on orders to the merchant's orders blocked on either side.
func blockedOrders(q *gorm.DB, merchantID int64) *gorm.DB {
	return q.Model(&Order{}).Scopes(ForMerchant(merchantID)).
		Where("(store_state = ? OR shipment_state = ?)", StoreBlocked, ShipmentBlocked)
}

// MerchantsDueForDigest lists the merchants a digest is due for: an order of theirs got
// blocked after their last digest's mark (or they never had one) and that digest is at least
// DigestInterval old. It reads every merchant's orders, for the digest job alone.
//
// An order counts as blocked when its updated_at says: one blocked again by a retry that failed
// the same way is new once more.
func MerchantsDueForDigest(ctx context.Context, db *gorm.DB, now time.Time) ([]int64, error) {
	var ids []int64
	err := db.WithContext(ctx).Raw(`SELECT DISTINCT o.merchant_id FROM orders o
		LEFT JOIN notification_digests d ON d.merchant_id = o.merchant_id
		WHERE (o.store_state = ? OR o.shipment_state = ?)
		AND (d.merchant_id IS NULL OR (d.sent_at <= ? AND (o.updated_at > d.covered_until
			OR (o.updated_at = d.covered_until AND o.id > d.covered_order_id))))
		ORDER BY o.merchant_id`,
		StoreBlocked, ShipmentBlocked, now.Add(-DigestInterval).UTC()).Scan(&ids).Error
	return ids, err
}

// NextDigest builds the merchant's digest as it would be sent now; ok is false when none is
// due: the last one is younger than DigestInterval, no order got blocked since its mark, or
// the merchant has no admin to send it to.
func NextDigest(ctx context.Context, db *gorm.DB, merchantID int64, now time.Time) (d *Digest, ok bool, err error) {
	db = db.WithContext(ctx)
	d = &Digest{MerchantID: merchantID}
	var previous NotificationDigest
	res := db.Where("merchant_id = ?", merchantID).Limit(1).Find(&previous)
	if res.Error != nil {
		return nil, false, res.Error
	}
	newOrders := blockedOrders(db, merchantID)
	if res.RowsAffected > 0 {
		if now.Sub(previous.SentAt) < DigestInterval {
			return nil, false, nil
		}
		d.previous = &previous
		newOrders = newOrders.Where("(updated_at > ? OR (updated_at = ? AND id > ?))",
			previous.CoveredUntil, previous.CoveredUntil, previous.CoveredOrderID)
	}
	if err := newOrders.Count(&d.New).Error; err != nil || d.New == 0 {
		return nil, false, err
	}
	if err := db.Model(&User{}).Scopes(ForMerchant(merchantID)).Where("role = ?", RoleAdmin).
		Order("lower(email)").Pluck("email", &d.Recipients).Error; err != nil || len(d.Recipients) == 0 {
		return nil, false, err
	}

	// The mark is read before the groups: an order blocked in between is in this digest and
	// also new for the next one, never in neither.
	row := blockedOrders(db, merchantID).Select("updated_at", "id").Order("updated_at DESC, id DESC").Limit(1).Row()
	var newest dbTime
	if err := row.Scan(&newest, &d.covered.CoveredOrderID); errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil // unblocked meanwhile
	} else if err != nil {
		return nil, false, err
	}
	d.covered.MerchantID, d.covered.CoveredUntil = merchantID, newest.Time

	merchant, err := FindMerchant(ctx, db, merchantID)
	if err != nil {
		return nil, false, err
	}
	d.MerchantName = merchant.Name
	if d.Orders, err = BlockedOrderCount(ctx, db, merchantID); err != nil {
		return nil, false, err
	}
	d.covered.Orders = d.Orders
	if d.Groups, err = ErrorQueue(ctx, db, merchantID, ErrorQueueFilter{}, now); err != nil {
		return nil, false, err
	}
	return d, true, nil
}

// ClaimDigest records the digest as sent at now, before it is sent, if no other run recorded
// one for the merchant within DigestInterval meanwhile; false: another run has it. Claiming
// first means two processes, or a run after a restart, never send the same digest twice; a
// process that dies between the claim and the sending loses that one digest, and the next
// comes after the hour. Call ReleaseDigest when the sending fails.
func ClaimDigest(ctx context.Context, db *gorm.DB, d *Digest, now time.Time) (bool, error) {
	// Microseconds, as PostgreSQL keeps them, so that ReleaseDigest finds the row by it.
	d.covered.SentAt = now.UTC().Truncate(time.Microsecond)
	c := d.covered
	res := db.WithContext(ctx).Exec(`INSERT INTO notification_digests
		(merchant_id, sent_at, covered_until, covered_order_id, orders) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (merchant_id) DO UPDATE SET sent_at = excluded.sent_at,
			covered_until = excluded.covered_until, covered_order_id = excluded.covered_order_id,
			orders = excluded.orders
		WHERE notification_digests.sent_at <= ?`,
		c.MerchantID, c.SentAt, c.CoveredUntil.UTC(), c.CoveredOrderID, c.Orders, c.SentAt.Add(-DigestInterval))
	return res.RowsAffected == 1, res.Error
}

// ReleaseDigest undoes ClaimDigest after the sending failed, so that the next run sends the
// digest again; a claim another run made since stays.
func ReleaseDigest(ctx context.Context, db *gorm.DB, d *Digest) error {
	q := db.WithContext(ctx).Where("merchant_id = ? AND sent_at = ?", d.MerchantID, d.covered.SentAt)
	if d.previous == nil {
		return q.Delete(&NotificationDigest{}).Error
	}
	p := d.previous
	return q.Model(&NotificationDigest{}).Updates(map[string]any{"sent_at": p.SentAt.UTC(),
		"covered_until": p.CoveredUntil.UTC(), "covered_order_id": p.CoveredOrderID, "orders": p.Orders}).Error
}

// LastDigest returns the last digest recorded for the merchant, or ErrNotFound.
func LastDigest(ctx context.Context, db *gorm.DB, merchantID int64) (*NotificationDigest, error) {
	var last NotificationDigest
	if err := db.WithContext(ctx).Where("merchant_id = ?", merchantID).First(&last).Error; err != nil {
		return nil, notFound(err)
	}
	return &last, nil
}
