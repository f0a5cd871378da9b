package mirakl

import (
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

func TestParseTimeWithAndWithoutMilliseconds(t *testing.T) {
	tests := map[string]time.Time{
		"2019-04-02T14:18:43Z":       time.Date(2019, 4, 2, 14, 18, 43, 0, time.UTC),
		"2019-04-02T14:58:22.460Z":   time.Date(2019, 4, 2, 14, 58, 22, 460e6, time.UTC),
		"2019-09-01T23:59:59.999Z":   time.Date(2019, 9, 1, 23, 59, 59, 999e6, time.UTC),
		"2019-04-02T16:18:43+02:00":  time.Date(2019, 4, 2, 14, 18, 43, 0, time.UTC),
		"2019-04-02T16:18:43.1+0200": time.Date(2019, 4, 2, 14, 18, 43, 100e6, time.UTC),
		"2019-04-02T14:18:43":        time.Date(2019, 4, 2, 14, 18, 43, 0, time.UTC),
	}
	for text, want := range tests {
		got, err := parseTime(text)
		if err != nil {
			t.Errorf("parseTime(%q): %v", text, err)
			continue
		}
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, want %v in UTC", text, got, want)
		}
	}
	if _, err := parseTime("02/04/2019"); err == nil {
		t.Error("parseTime accepted a date that is not ISO 8601")
	}
}

func TestOrderStatusMapsEveryMiraklState(t *testing.T) {
	tests := map[string]string{
		"STAGING":               models.StatusCreated,
		"WAITING_DEBIT":         models.StatusCreated,
		"WAITING_DEBIT_PAYMENT": models.StatusCreated,
		"WAITING_ACCEPTANCE":    models.StatusWaitingAcceptance,
		"SHIPPING":              models.StatusWaitingShipment,
		"SHIPPED":               models.StatusShipped,
		"TO_COLLECT":            models.StatusShipped,
		"RECEIVED":              models.StatusDelivered,
		"CLOSED":                models.StatusDelivered,
		"REFUSED":               models.StatusRefused,
		"CANCELED":              models.StatusCancelled,
		"SOME_FUTURE_STATE":     models.StatusCreated,
	}
	for state, want := range tests {
		if got := orderStatus(state); got != want {
			t.Errorf("orderStatus(%s) = %s, want %s", state, got, want)
		}
	}
}

func TestDecodeErrorFindsTheCode(t *testing.T) {
	tests := []struct {
		body, code, message string
	}{
		{`{"status":400,"message":"ORDER_INVALID_STATE: Order X is SHIPPED"}`, "ORDER_INVALID_STATE", "Order X is SHIPPED"},
		{`{"status":400,"message":"Bad Request"}`, "", "Bad Request"},
		{`{"status":400,"code":"ORDER_LINE_NOT_FOUND","message":"unknown line"}`, "ORDER_LINE_NOT_FOUND", "unknown line"},
		{`{"status":400,"message":"Validation failed","errors":[{"code":"ORDER_LINE_DUPLICATE_ID","message":"line 1 twice"}]}`, "ORDER_LINE_DUPLICATE_ID", "Validation failed; line 1 twice"},
		{`{"status":400,"message":"Some lines: ORDER_LINE_ACCEPTANCE_DECISION_MISSING"}`, "ORDER_LINE_ACCEPTANCE_DECISION_MISSING", "Some lines: ORDER_LINE_ACCEPTANCE_DECISION_MISSING"},
		{`<html>Bad gateway</html>`, "", ""},
	}
	for _, tt := range tests {
		code, message := decodeError(400, []byte(tt.body))
		if code != tt.code || message != tt.message {
			t.Errorf("decodeError(%s) = %q, %q; want %q, %q", tt.body, code, message, tt.code, tt.message)
		}
	}
}

func TestCursorMovesWithinAWindowThenToTheLatestUpdate(t *testing.T) {
	since := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	seen := since.Add(time.Hour)
	c := cursor{Since: since, Offset: 100, MaxSeen: seen}
	next, more := c.next(100, 250)
	if !more || next.Offset != 200 || !next.Since.Equal(since) || !next.MaxSeen.Equal(seen) {
		t.Errorf("within the window: got %+v more=%v", next, more)
	}
	next, more = next.next(50, 250)
	if more || next.Offset != 0 || !next.Since.Equal(seen) {
		t.Errorf("at the window's end: got %+v more=%v", next, more)
	}
	// An empty answer while total_count says more must not loop forever.
	if _, more := (cursor{Offset: 10}).next(0, 20); more {
		t.Error("an empty page asked for another")
	}
	round, err := parseCursor(next.String())
	if err != nil || !round.Since.Equal(next.Since) {
		t.Errorf("cursor round trip: %+v, %v", round, err)
	}
}
