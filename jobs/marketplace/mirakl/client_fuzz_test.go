package mirakl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/apiclient/apitest"
	"github.com/orderhub/orderhub/models"
)

// fuzzClient is the real client talking to the fuzz server on loopback, without waits.
func fuzzClient(f *testing.F, answer *apitest.Answer) *Client {
	server := httptest.NewServer(answer)
	f.Cleanup(server.Close)
	httpClient := &http.Client{Timeout: 10 * time.Second, Transport: server.Client().Transport}
	noSleep := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return New(Config{BaseURL: server.URL, APIKey: testKey}, WithHTTPClient(httpClient), WithSleep(noSleep), WithLimiter(nil))
}

// fakeAnswers are the fake's answers to a poll and to a read of one order, for seeds.
func fakeAnswers(f *testing.F) [][]byte {
	fake := NewFake(testKey)
	fake.SetClock(func() time.Time { return time.Date(2024, 5, 2, 9, 30, 0, 0, time.UTC) })
	server := httptest.NewServer(fake.Handler())
	defer server.Close()
	rec := &apitest.BodyRecorder{Base: server.Client().Transport}
	client := New(Config{BaseURL: server.URL, APIKey: testKey}, WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: rec}), WithLimiter(nil))
	id := fake.AddOrder(SampleOrder(1))
	fake.AddOrder(SampleOrder(2))
	ctx := context.Background()
	if _, err := client.ChangedOrders(ctx, ""); err != nil {
		f.Fatal(err)
	}
	if _, err := client.Order(ctx, id); err != nil {
		f.Fatal(err)
	}
	if _, err := client.Order(ctx, "missing-order"); err == nil {
		f.Fatal("reading a missing order succeeded")
	}
	return rec.Bodies()
}

// checkOrder holds what every converted order has: its id, its dates and a known status.
func checkOrder(t *testing.T, o models.Order) {
	t.Helper()
	if o.MarketplaceOrderID == "" || o.PlacedAt.IsZero() || o.MarketplaceUpdatedAt.IsZero() {
		t.Fatalf("an order without id or dates: %+v", o)
	}
	switch o.Status {
	case models.StatusCreated, models.StatusWaitingAcceptance, models.StatusWaitingShipment, models.StatusShipped,
		models.StatusDelivered, models.StatusRefused, models.StatusCancelled, models.StatusRefunded:
	default:
		t.Fatalf("order %s has the unknown status %q", o.MarketplaceOrderID, o.Status)
	}
}

// FuzzOrdersAnswer serves any body as OR11's answer to the client's poll and order read:
// either an error, or orders with their ids and dates, each once, and a cursor the next poll
// reads.
func FuzzOrdersAnswer(f *testing.F) {
	for _, body := range fakeAnswers(f) {
		f.Add(body)
	}
	f.Add([]byte(`{"orders":[{"order_id":"A-1","created_date":"2024-05-01T10:00:00Z","last_updated_date":"2024-05-01T10:00:00Z","order_state":"SHIPPING","total_price":"1e400"}],"total_count":1}`))
	f.Add([]byte(`{"orders":[{"order_id":"A-1","created_date":"9999-12-31T23:00:00-10:00","last_updated_date":"9999-12-31T23:00:00-10:00"}],"total_count":1}`))
	answer := &apitest.Answer{}
	client := fuzzClient(f, answer)
	f.Fuzz(func(t *testing.T, body []byte) {
		answer.Set(http.StatusOK, body)
		ctx := context.Background()
		page, err := client.ChangedOrders(ctx, "")
		if err == nil {
			seen := map[string]bool{}
			for _, o := range page.Orders {
				checkOrder(t, o)
				if seen[o.MarketplaceOrderID] {
					t.Fatalf("order %s comes twice in one page", o.MarketplaceOrderID)
				}
				seen[o.MarketplaceOrderID] = true
			}
			if page.Cursor == "" {
				t.Fatal("a page without a cursor: the next poll would start over")
			}
			if _, err := parseCursor(page.Cursor); err != nil {
				t.Fatalf("the next poll cannot read the cursor it is given: %v", err)
			}
		}
		var listed struct {
			Orders []struct {
				OrderID string `json:"order_id"`
			} `json:"orders"`
		}
		if json.Unmarshal(body, &listed) != nil || len(listed.Orders) == 0 {
			return
		}
		id := listed.Orders[0].OrderID
		order, err := client.Order(ctx, id)
		if err != nil {
			return
		}
		checkOrder(t, *order)
		if order.MarketplaceOrderID != id {
			t.Fatalf("asked for order %q, got %q", id, order.MarketplaceOrderID)
		}
	})
}

// FuzzErrorAnswer serves any body with an error status: the client returns an
// *apiclient.Error with that status, and never shows the API key.
func FuzzErrorAnswer(f *testing.F) {
	f.Add(uint16(0), []byte(`{"status":400,"message":"ORDER_INVALID_STATE - Order 1000-A is not in state WAITING_ACCEPTANCE"}`))
	f.Add(uint16(0), []byte(`{"status":400,"message":"Bad request","errors":[{"code":"ORDER_LINE_NOT_FOUND","message":"Order line 1000-A-1 not found"}]}`))
	f.Add(uint16(1), []byte(`{"status":401,"message":"Unauthorized"}`))
	f.Add(uint16(4), []byte(`{"message":"`+testKey+` is not allowed"}`))
	f.Add(uint16(100), []byte(`<html><body>Internal error</body></html>`))
	f.Add(uint16(29), []byte{})
	answer := &apitest.Answer{}
	client := fuzzClient(f, answer)
	f.Fuzz(func(t *testing.T, offset uint16, body []byte) {
		status := http.StatusBadRequest + int(offset%200)
		answer.Set(status, body)
		_, err := client.ChangedOrders(context.Background(), "")
		var apiErr *apiclient.Error
		if !errors.As(err, &apiErr) || apiErr.Status != status {
			t.Fatalf("answer %d gave %v (%T), want an *apiclient.Error with status %d", status, err, err, status)
		}
		if strings.Contains(err.Error(), testKey) {
			t.Fatalf("the error shows the API key: %v", err)
		}
		if code, _ := decodeError(status, body); apiErr.Code != strings.ReplaceAll(code, testKey, "[redacted]") {
			t.Fatalf("the error has code %q, the body says %q", apiErr.Code, code)
		}
		if apiErr.Message == "" && len(bytes.TrimSpace(body)) > 0 {
			t.Fatalf("an error without a message for the body %q", body)
		}
	})
}
