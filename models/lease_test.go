package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestLeases(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	claim := func(holder string, at time.Time) bool {
		t.Helper()
		ok, err := models.ClaimLease(ctx, db.Gorm, "sync:1", holder, at.Add(10*time.Second), at)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("a", now) {
		t.Fatal("a free lease was refused")
	}
	if claim("b", now.Add(5*time.Second)) {
		t.Fatal("b took a's unexpired lease")
	}
	if !claim("a", now.Add(5*time.Second)) {
		t.Fatal("a could not renew its own lease")
	}
	if !claim("b", now.Add(16*time.Second)) {
		t.Fatal("b could not take the expired lease")
	}
	if err := models.ReleaseLease(ctx, db.Gorm, "sync:1", "a"); err != nil {
		t.Fatal(err)
	}
	if claim("c", now.Add(17*time.Second)) {
		t.Fatal("a's release freed b's lease")
	}
	if err := models.ReleaseLease(ctx, db.Gorm, "sync:1", "b"); err != nil {
		t.Fatal(err)
	}
	if !claim("c", now.Add(17*time.Second)) {
		t.Fatal("a released lease was refused")
	}
}
