package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

func TestAPIIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.apiConnection(m.ID, "shop")
	o := app.orderOn(c, "IDEM-1", models.StatusWaitingShipment)
	token := app.token(m.ID)
	ack := fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"WEB-1","status":"success"}]}`, o.ID)
	key := map[string]string{"Idempotency-Key": "5b1f0a7e-7c1d-4a47-9a55-1f6f3c1d2b01"}

	first := app.apiWith("POST", "/api/v1/orders/acknowledge", token, ack, key)
	if first.status != http.StatusOK || first.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first request: %d %v %s", first.status, first.header, first.body)
	}
	// The shop offers the order again; a retry of the lost first answer must not undo that.
	if res := app.api("POST", "/api/v1/orders/unacknowledge", token, fmt.Sprintf(`{"orders":[{"id":%d}]}`, o.ID)); res.status != http.StatusOK {
		t.Fatalf("unacknowledge: %d %s", res.status, res.body)
	}
	again := app.apiWith("POST", "/api/v1/orders/acknowledge", token, ack, key)
	if again.status != first.status || !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %v %s, first %s", again.status, again.header, again.body, first.body)
	}
	if got := ids(app.list(token, "")); len(got) != 1 || got[0] != o.ID {
		t.Fatalf("the replay acted again: the listing is %v", got)
	}

	// The same key for another request is refused, and changes nothing.
	other := app.apiWith("POST", "/api/v1/orders/acknowledge", token, strings.Replace(ack, "WEB-1", "WEB-2", 1), key)
	if other.status != http.StatusUnprocessableEntity || other.problemType(t) != "idempotency-key-reused" {
		t.Fatalf("reused key: %d %s", other.status, other.body)
	}
	other = app.apiWith("POST", "/api/v1/orders/ship", token, fmt.Sprintf(`{"orders":[{"id":%d,"tracking_number":"1Z"}]}`, o.ID), key)
	if other.status != http.StatusUnprocessableEntity || other.problemType(t) != "idempotency-key-reused" {
		t.Fatalf("key reused on another endpoint: %d %s", other.status, other.body)
	}
	if got := ids(app.list(token, "")); len(got) != 1 {
		t.Fatalf("a refused request changed the listing: %v", got)
	}

	// Keys belong to a token: another token's request with the same key runs.
	second := app.token(m.ID)
	if res := app.apiWith("POST", "/api/v1/orders/acknowledge", second, ack, key); res.status != http.StatusOK || res.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another token's key: %d %v %s", res.status, res.header, res.body)
	}
	if got := ids(app.list(token, "")); len(got) != 0 {
		t.Fatalf("the other token's acknowledgement did not run: %v", got)
	}

	for _, bad := range []string{"has space", strings.Repeat("k", 256), "é"} {
		res := app.apiWith("POST", "/api/v1/orders/acknowledge", token, ack, map[string]string{"Idempotency-Key": bad})
		if res.status != http.StatusBadRequest || res.problemType(t) != "idempotency-key-invalid" {
			t.Fatalf("key %q: %d %s", bad, res.status, res.body)
		}
	}
}

func TestAPIIdempotencyKeyWhileTheFirstRequestRuns(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	c := app.apiConnection(m.ID, "shop")
	o := app.orderOn(c, "IDEM-2", models.StatusWaitingShipment)
	plaintext := app.token(m.ID)
	token, err := models.AuthenticateAPIToken(context.Background(), app.db.Gorm, plaintext, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"orders":[{"id":%d,"store_reference":"WEB-9","status":"success"}]}`, o.ID)
	// The first request with the key has started and not answered yet.
	hash := models.RequestHash("POST", "/api/v1/orders/acknowledge", []byte(body))
	if _, err := models.BeginIdempotent(context.Background(), app.db.Gorm, token, "k-1", hash, time.Now()); err != nil {
		t.Fatal(err)
	}
	res := app.apiWith("POST", "/api/v1/orders/acknowledge", plaintext, body, map[string]string{"Idempotency-Key": "k-1"})
	if res.status != http.StatusConflict || res.problemType(t) != "idempotency-key-in-use" || res.header.Get("Retry-After") == "" {
		t.Fatalf("key in use: %d %v %s", res.status, res.header, res.body)
	}
	if got := ids(app.list(plaintext, "")); len(got) != 1 {
		t.Fatalf("the refused request acted: %v", got)
	}
}
