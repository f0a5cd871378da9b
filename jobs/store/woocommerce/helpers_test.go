package woocommerce

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

const (
	testKey    = "ck_4f1d2e3c4b5a69788796a5b4c3d2e1f0a1b2c3d4"
	testSecret = "cs_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"
)

// testClock is the shop's clock and the client's, moved by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// sleepLog records the waits the client asked for instead of waiting.
type sleepLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepLog) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// testBundle is a fake store on loopback and a client talking to it.
type testBundle struct {
	fake   *Fake
	server *httptest.Server
	client *Client
	clock  *testClock
	sleeps *sleepLog
}

// setup serves the fake over plain HTTP, so every call is OAuth-signed.
func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{fake: NewFake(testKey, testSecret), clock: newTestClock(), sleeps: &sleepLog{}}
	b.fake.SetClock(b.clock.Now)
	b.server = httptest.NewServer(b.fake.Handler())
	t.Cleanup(b.server.Close)
	b.client = b.newClient(Config{BaseURL: b.server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret})
	return b
}

func (b *testBundle) newClient(cfg Config, opts ...Option) *Client {
	base := []Option{
		WithSleep(b.sleeps.sleep),
		WithLimiter(rate.NewLimiter(rate.Inf, 0)),
		WithClock(b.clock.Now),
	}
	return New(cfg, append(base, opts...)...)
}

// call sends a raw API request through the client's signing, for what the Store interface
// does not cover.
func (b *testBundle) call(t *testing.T, r apiclient.Request) (*apiclient.Response, *apiclient.Error) {
	t.Helper()
	return b.callNamespace(t, "wc/v3", r)
}

// callNamespace calls another REST namespace of the shop, e.g. wc-shipment-tracking/v3.
func (b *testBundle) callNamespace(t *testing.T, namespace string, r apiclient.Request) (*apiclient.Response, *apiclient.Error) {
	t.Helper()
	api := *b.client.api
	api.BaseURL = b.client.cfg.BaseURL + "/wp-json/" + namespace
	res, err := api.Do(context.Background(), r)
	if err == nil {
		return res, nil
	}
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	return nil, apiErr
}

func (b *testBundle) addCatalogue() {
	b.fake.AddProduct(ProductSpec{Name: "Mug", SKU: "MUG-1", RegularPrice: "20.00", ManageStock: true, StockQuantity: 10})
	b.fake.AddProduct(ProductSpec{Name: "Poster", SKU: "POSTER-1", RegularPrice: "9.90"})
}

// marketplaceOrder is an order as a marketplace connector hands it over: prices differ from
// the store's catalogue on purpose.
func marketplaceOrder(id int64) *models.Order {
	return &models.Order{
		ID:                 id,
		ConnectionID:       7,
		MarketplaceOrderID: "MKP-" + time.Unix(id, 0).UTC().Format("150405"),
		Currency:           "EUR",
		ShippingMethod:     "STANDARD",
		ShippingAmount:     490,
		TotalAmount:        2*1749 + 990 + 490,
		Billing: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "12 Rue de la Paix", PostalCode: "75002",
			City: "Paris", Country: "FR", Email: "ada@example.org", Phone: "+33 1 23 45 67 89"},
		Shipping: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "3 Quai Branly", PostalCode: "75007",
			City: "Paris", Country: "FR", Phone: "+33 6 12 34 56 78"},
		Lines: []models.OrderLine{
			{SKU: "MUG-1", Quantity: 2, UnitPrice: 1749},
			{SKU: "POSTER-1", Quantity: 1, UnitPrice: 990},
		},
	}
}

func mustCreate(t *testing.T, b *testBundle, order *models.Order) string {
	t.Helper()
	id, err := b.client.CreateOrder(context.Background(), order)
	if err != nil {
		t.Fatalf("CreateOrder(%d): %v", order.ID, err)
	}
	return id
}

func mustID(t *testing.T, storeOrderID string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(storeOrderID, 10, 64)
	if err != nil {
		t.Fatalf("store order id %q is not numeric", storeOrderID)
	}
	return id
}
