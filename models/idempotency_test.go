package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestIdempotencyKeyLifecycle(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	merchant, _, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := models.CreateAPIToken(ctx, db.Gorm, merchant.ID, models.NewAPIToken{Name: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	hash := models.RequestHash("POST", "/api/v1/orders/ship", []byte(`{"orders":[]}`))

	first, err := models.BeginIdempotent(ctx, db.Gorm, token, "k", hash, day0)
	if err != nil || first.Status != 0 {
		t.Fatalf("first use: %+v %v", first, err)
	}
	if _, err := models.BeginIdempotent(ctx, db.Gorm, token, "k", hash, day0.Add(time.Second)); !errors.Is(err, models.ErrIdempotencyInProgress) {
		t.Fatalf("while running: %v", err)
	}
	// A request whose process died is given up after two minutes: the key runs afresh.
	taken, err := models.BeginIdempotent(ctx, db.Gorm, token, "k", hash, day0.Add(3*time.Minute))
	if err != nil || taken.Status != 0 || taken.ID == first.ID {
		t.Fatalf("abandoned request: %+v %v", taken, err)
	}
	if err := models.FinishIdempotent(ctx, db.Gorm, taken, 200, "application/json", []byte(`{"results":[]}`), day0.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	done, err := models.BeginIdempotent(ctx, db.Gorm, token, "k", hash, day0.Add(time.Hour))
	if err != nil || done.Status != 200 || string(done.Body) != `{"results":[]}` || done.ContentType != "application/json" {
		t.Fatalf("completed: %+v %v", done, err)
	}
	if _, err := models.BeginIdempotent(ctx, db.Gorm, token, "k", "other", day0.Add(time.Hour)); !errors.Is(err, models.ErrIdempotencyMismatch) {
		t.Fatalf("another request: %v", err)
	}

	// A failed request is forgotten: sent again, it runs again.
	failed, _ := models.BeginIdempotent(ctx, db.Gorm, token, "f", hash, day0)
	if err := models.ForgetIdempotent(ctx, db.Gorm, failed); err != nil {
		t.Fatal(err)
	}
	if again, err := models.BeginIdempotent(ctx, db.Gorm, token, "f", hash, day0); err != nil || again.Status != 0 {
		t.Fatalf("after a failure: %+v %v", again, err)
	}

	// Kept a day.
	if n, err := models.PurgeIdempotencyKeys(ctx, db.Gorm, day0.Add(23*time.Hour)); err != nil || n != 0 {
		t.Fatalf("purged %d before a day: %v", n, err)
	}
	if n, err := models.PurgeIdempotencyKeys(ctx, db.Gorm, day0.Add(25*time.Hour)); err != nil || n != 2 {
		t.Fatalf("purged %d after a day, want 2: %v", n, err)
	}
}
