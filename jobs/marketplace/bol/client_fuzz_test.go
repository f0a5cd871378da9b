package bol

import (
	"bytes"
	"context"
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

// fuzzClient is the real client talking on loopback to a server whose token endpoint is the
// fake's, whose order list answer is list's and whose every other answer is detail's.
func fuzzClient(f *testing.F, list, detail *apitest.Answer) *Client {
	fake := NewFake(testClientID, testSecret)
	mux := http.NewServeMux()
	mux.Handle("/token", fake.Handler())
	mux.Handle("/retailer/orders", list)
	mux.Handle("/", detail)
	server := httptest.NewServer(mux)
	f.Cleanup(server.Close)
	cfg := Config{ClientID: testClientID, ClientSecret: testSecret, BaseURL: server.URL, LoginURL: server.URL + "/token"}
	httpClient := &http.Client{Timeout: 10 * time.Second, Transport: server.Client().Transport}
	noSleep := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return New(cfg, WithHTTPClient(httpClient), WithSleep(noSleep), WithLimiter(nil))
}

// fakeAnswers are the fake's answers to an order list and to an order's detail, for seeds.
func fakeAnswers(f *testing.F) (lists, details [][]byte) {
	fake := NewFake(testClientID, testSecret)
	now := func() time.Time { return time.Date(2024, 5, 2, 9, 30, 0, 0, time.UTC) }
	fake.SetClock(now)
	server := httptest.NewServer(fake.Handler())
	defer server.Close()
	rec := &apitest.BodyRecorder{Base: server.Client().Transport, Skip: "/token"}
	cfg := Config{ClientID: testClientID, ClientSecret: testSecret, BaseURL: server.URL, LoginURL: server.URL + "/token"}
	client := New(cfg, WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: rec}), WithLimiter(nil), WithClock(now))
	fake.AddOrder(SampleOrder(1))
	fake.AddOrder(SampleOrder(2))
	if _, err := client.ChangedOrders(context.Background(), ""); err != nil {
		f.Fatal(err)
	}
	// The first answer is the list; the others are details.
	bodies := rec.Bodies()
	if len(bodies) < 2 {
		f.Fatalf("the fake answered %d calls, want a list and details", len(bodies))
	}
	return bodies[:1], bodies[1:]
}

// checkOrder holds what every converted order has: its id and a known status (bol's dates
// may be missing while an order is being placed).
func checkOrder(t *testing.T, o models.Order) {
	t.Helper()
	if o.MarketplaceOrderID == "" {
		t.Fatalf("an order without id: %+v", o)
	}
	switch o.Status {
	case models.StatusCreated, models.StatusWaitingAcceptance, models.StatusWaitingShipment, models.StatusShipped,
		models.StatusDelivered, models.StatusRefused, models.StatusCancelled, models.StatusRefunded:
	default:
		t.Fatalf("order %s has the unknown status %q", o.MarketplaceOrderID, o.Status)
	}
}

// FuzzOrdersAnswer serves any bodies as the order list and the order details: the client
// returns an error, or the orders listed, each once with its id, and a cursor the next
// poll reads.
func FuzzOrdersAnswer(f *testing.F) {
	lists, details := fakeAnswers(f)
	for _, list := range lists {
		for _, detail := range details {
			f.Add(list, detail)
		}
	}
	f.Add([]byte(`{"orders":[{"orderId":"A2K8290LP8","orderItems":[{"orderItemId":"1"}]}]}`), []byte(`{"orderId":"OTHER","orderItems":[]}`))
	f.Add([]byte(`{"orders":[{"orderId":"A2K8290LP8"}]}`), []byte(`{"orderItems":[{"orderItemId":"1","quantity":1,"unitPrice":1e400}]}`))
	f.Add([]byte(`{}`), []byte(`null`))
	list, detail := &apitest.Answer{}, &apitest.Answer{}
	client := fuzzClient(f, list, detail)
	f.Fuzz(func(t *testing.T, listBody, detailBody []byte) {
		list.Set(http.StatusOK, listBody)
		detail.Set(http.StatusOK, detailBody)
		page, err := client.ChangedOrders(context.Background(), "")
		if err != nil {
			return
		}
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
	})
}

// FuzzErrorAnswer serves any body with an error status: the client returns an
// *apiclient.Error with that status, and never shows the client secret.
func FuzzErrorAnswer(f *testing.F) {
	f.Add(uint16(0), []byte(`{"type":"https://api.bol.com/problems","title":"Error validating request","status":400,"detail":"Bad request","violations":[{"name":"page","reason":"Request contains invalid value(s): 'x'."}]}`))
	f.Add(uint16(1), []byte(`{"type":"https://api.bol.com/problems","title":"Expired JWT","status":401,"detail":"Expired JWT"}`))
	f.Add(uint16(3), []byte(`{"title":"Forbidden","status":403,"detail":"Account is not active"}`))
	f.Add(uint16(4), []byte(`{"title":"Not Found","status":404,"detail":"`+testSecret+`"}`))
	f.Add(uint16(29), []byte(`{"title":"Too Many Requests","status":429,"detail":"Too many requests, retry later."}`))
	f.Add(uint16(100), []byte(`<html><body>Internal error</body></html>`))
	list, detail := &apitest.Answer{}, &apitest.Answer{}
	client := fuzzClient(f, list, detail)
	f.Fuzz(func(t *testing.T, offset uint16, body []byte) {
		status := http.StatusBadRequest + int(offset%200)
		list.Set(status, body)
		_, err := client.ChangedOrders(context.Background(), "")
		var apiErr *apiclient.Error
		if !errors.As(err, &apiErr) || apiErr.Status != status {
			t.Fatalf("answer %d gave %v (%T), want an *apiclient.Error with status %d", status, err, err, status)
		}
		if strings.Contains(err.Error(), testSecret) {
			t.Fatalf("the error shows the client secret: %v", err)
		}
		if code, _ := decodeError(status, body); apiErr.Code != strings.ReplaceAll(code, testSecret, "[redacted]") {
			t.Fatalf("the error has code %q, the body says %q", apiErr.Code, code)
		}
		if apiErr.Message == "" && len(bytes.TrimSpace(body)) > 0 {
			t.Fatalf("an error without a message for the body %q", body)
		}
	})
}
