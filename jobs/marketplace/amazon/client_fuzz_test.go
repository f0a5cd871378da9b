package amazon

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

const fuzzTokenPath = "/auth/o2/token"

// fuzzClient is the real client talking on loopback to a server whose token endpoint is the
// fake's and whose every other answer is the fuzz input's, without waits.
func fuzzClient(f *testing.F, answer *apitest.Answer) *Client {
	fake := NewFake(FakeConfig{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefreshToken})
	mux := http.NewServeMux()
	mux.Handle(fuzzTokenPath, fake)
	mux.Handle("/", answer)
	server := httptest.NewServer(mux)
	f.Cleanup(server.Close)
	cfg := Config{RefreshToken: testRefreshToken, ClientID: testClientID, ClientSecret: testClientSecret,
		BaseURL: server.URL, LoginURL: server.URL + fuzzTokenPath, Fulfilment: FulfilmentMFN}
	httpClient := &http.Client{Timeout: 10 * time.Second, Transport: server.Client().Transport}
	noSleep := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return New(cfg, WithHTTPClient(httpClient), WithSleep(noSleep), WithRateScale(1e6))
}

// fakeAnswers are the fake's answers to a poll and to reads of one order, for seeds.
func fakeAnswers(f *testing.F) [][]byte {
	fake := NewFake(FakeConfig{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefreshToken, RateScale: 1e6})
	server := httptest.NewServer(fake)
	defer server.Close()
	rec := &apitest.BodyRecorder{Base: server.Client().Transport, Skip: fuzzTokenPath}
	cfg := Config{RefreshToken: testRefreshToken, ClientID: testClientID, ClientSecret: testClientSecret,
		BaseURL: server.URL, LoginURL: server.URL + fuzzTokenPath, Fulfilment: FulfilmentMFN}
	client := New(cfg, WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: rec}), WithRateScale(1e6))
	id := fake.AddOrder(mfnOrder("028-1111111-1111111"))
	fake.AddOrder(mfnOrder("028-2222222-2222222"))
	ctx := context.Background()
	if _, err := client.ChangedOrders(ctx, ""); err != nil {
		f.Fatal(err)
	}
	if _, err := client.Order(ctx, id); err != nil {
		f.Fatal(err)
	}
	if _, err := client.Order(ctx, "028-9999999-9999999"); err == nil {
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

// FuzzOrdersAnswer serves any body as the answer to searchOrders and getOrder: the client
// returns an error, or orders with their ids and dates, each once, and a cursor the next
// poll reads.
func FuzzOrdersAnswer(f *testing.F) {
	for _, body := range fakeAnswers(f) {
		f.Add(body)
	}
	f.Add([]byte(`{"orders":[{"orderId":"028-1","createdTime":"2026-01-05T10:00:00Z","lastUpdatedTime":"2026-01-05T10:00:00Z","orderItems":[{"orderItemId":"1","quantityOrdered":1,"product":{"price":{"unitPrice":{"amount":"99999999999999999999","currencyCode":"EUR"}}}}]}]}`))
	f.Add([]byte(`{"orders":[],"pagination":{"nextToken":"next"},"lastUpdatedBefore":"9999-12-31T23:00:00-10:00"}`))
	f.Add([]byte(`{"order":{"orderId":"028-1","createdTime":"2026-01-05T10:00:00","lastUpdatedTime":"2026-01-05T10:00:00.123+01:00","fulfillment":{"fulfillmentStatus":"unshipped"}}}`))
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
		if order, err := client.Order(ctx, "028-1111111-1111111"); err == nil {
			checkOrder(t, *order)
			if order.MarketplaceOrderID != "028-1111111-1111111" {
				t.Fatalf("asked for order 028-1111111-1111111, got %q", order.MarketplaceOrderID)
			}
		}
	})
}

// FuzzErrorAnswer serves any body with an error status: the client returns an
// *apiclient.Error with that status, and never shows the credentials.
func FuzzErrorAnswer(f *testing.F) {
	f.Add(uint16(0), []byte(`{"errors":[{"code":"InvalidInput","message":"Invalid input","details":"lastUpdatedAfter is in the future"}]}`))
	f.Add(uint16(3), []byte(`{"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied."}]}`))
	f.Add(uint16(4), []byte(`{"errors":[{"code":"NotFound","message":"`+testRefreshToken+`"},{"message":"second"}]}`))
	f.Add(uint16(29), []byte(`{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource."}]}`))
	f.Add(uint16(100), []byte(`<html><body>Internal error</body></html>`))
	f.Add(uint16(3), []byte(`{"errors":[]}`))
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
		if strings.Contains(err.Error(), testRefreshToken) || strings.Contains(err.Error(), testClientSecret) {
			t.Fatalf("the error shows the credentials: %v", err)
		}
		code, _ := decodeError(status, body)
		code = strings.NewReplacer(testRefreshToken, "[redacted]", testClientSecret, "[redacted]").Replace(code)
		if apiErr.Code != code {
			t.Fatalf("the error has code %q, the body says %q", apiErr.Code, code)
		}
		if apiErr.Message == "" && len(bytes.TrimSpace(body)) > 0 {
			t.Fatalf("an error without a message for the body %q", body)
		}
	})
}
