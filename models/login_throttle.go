package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Login throttling: too many failures for one account, or from one address, within the
// window lock further attempts until the oldest failure leaves the window.
const (
	LoginWindow             = 15 * time.Minute
	MaxLoginFailuresAccount = 5
	MaxLoginFailuresIP      = 20
)

// LoginFailure records one failed login.
type LoginFailure struct {
	ID        int64
	Email     string
	IP        string
	CreatedAt time.Time
}

// RecordLoginFailure notes a failed login for the account and the address.
func RecordLoginFailure(ctx context.Context, db *gorm.DB, email, ip string, now time.Time) error {
	return db.WithContext(ctx).Create(&LoginFailure{Email: NormalizeEmail(email), IP: ip, CreatedAt: now.UTC()}).Error
}

// LoginRetryAfter returns how long the account or the address must wait before the next
// attempt; zero means the attempt may go ahead.
func LoginRetryAfter(ctx context.Context, db *gorm.DB, email, ip string, now time.Time) (time.Duration, error) {
	since := now.UTC().Add(-LoginWindow)
	wait := time.Duration(0)
	checks := []struct {
		column string
		value  string
		max    int
	}{
		{"email", NormalizeEmail(email), MaxLoginFailuresAccount},
		{"ip", ip, MaxLoginFailuresIP},
	}
	for _, check := range checks {
		var times []time.Time
		err := db.WithContext(ctx).Model(&LoginFailure{}).
			Where(check.column+" = ? AND created_at > ?", check.value, since).
			Order("created_at DESC").Limit(check.max).Pluck("created_at", &times).Error
		if err != nil {
			return 0, err
		}
		if len(times) < check.max {
			continue
		}
		// The oldest of the last max failures must leave the window before the next try.
		if w := times[len(times)-1].Add(LoginWindow).Sub(now); w > wait {
			wait = w
		}
	}
	return wait, nil
}

// ClearLoginFailures forgets an account's failures after a successful login.
func ClearLoginFailures(ctx context.Context, db *gorm.DB, email string) error {
	return db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Delete(&LoginFailure{}).Error
}

// PurgeLoginFailures deletes failures older than the window.
func PurgeLoginFailures(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("created_at <= ?", now.UTC().Add(-LoginWindow)).Delete(&LoginFailure{})
	return res.RowsAffected, res.Error
}
