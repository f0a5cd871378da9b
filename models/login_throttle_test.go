package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestLoginThrottlePerAddress(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	// One address trying many accounts, each under the account limit.
	for i := 0; i < models.MaxLoginFailuresIP; i++ {
		email := fmt.Sprintf("user%d@a.test", i)
		if err := models.RecordLoginFailure(ctx, db.Gorm, email, "10.0.0.9", now); err != nil {
			t.Fatal(err)
		}
	}
	if wait, err := models.LoginRetryAfter(ctx, db.Gorm, "fresh@a.test", "10.0.0.9", now.Add(time.Minute)); err != nil || wait != models.LoginWindow-time.Minute {
		t.Fatalf("address over its limit: wait %v, %v", wait, err)
	}
	if wait, _ := models.LoginRetryAfter(ctx, db.Gorm, "fresh@a.test", "10.0.0.10", now.Add(time.Minute)); wait != 0 {
		t.Fatalf("another address waits %v", wait)
	}
}
func TestLoginThrottle(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for i := 0; i < models.MaxLoginFailuresAccount; i++ {
		wait, err := models.LoginRetryAfter(ctx, db.Gorm, "a@a.test", "10.0.0.1", now)
		if err != nil || wait != 0 {
			t.Fatalf("attempt %d: wait %v err %v, want allowed", i+1, wait, err)
		}
		if err := models.RecordLoginFailure(ctx, db.Gorm, "a@a.test", "10.0.0.1", now.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	later := now.Add(5 * time.Minute)
	wait, err := models.LoginRetryAfter(ctx, db.Gorm, "A@a.test", "10.0.0.2", later)
	if err != nil {
		t.Fatal(err)
	}
	if want := models.LoginWindow - 5*time.Minute; wait != want {
		t.Fatalf("wait = %v, want %v (until the first failure leaves the window)", wait, want)
	}
	if wait, _ := models.LoginRetryAfter(ctx, db.Gorm, "other@a.test", "10.0.0.1", later); wait != 0 {
		t.Fatalf("another account from the same address waits %v, want 0 under the address limit", wait)
	}
	if wait, _ := models.LoginRetryAfter(ctx, db.Gorm, "a@a.test", "10.0.0.1", now.Add(models.LoginWindow+time.Second)); wait != 0 {
		t.Fatalf("after the window the account still waits %v", wait)
	}
	if n, err := models.PurgeLoginFailures(ctx, db.Gorm, now.Add(time.Hour)); err != nil || n != int64(models.MaxLoginFailuresAccount) {
		t.Fatalf("purged %d, %v", n, err)
	}
}
