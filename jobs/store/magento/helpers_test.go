package magento

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/models"
)

const testToken = "x7m2kq9z4v1c8b5n3l6j0h2g4f7d9s1a"

type testClock struct {
	mu  sync.Mutex
	now time.Time
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

// testBundle is a fake store on loopback and a client talking to it.
type testBundle struct {
	fake   *Fake
	server *httptest.Server
	client *Client
	clock  *testClock
	sleeps *sleepLog
}

func setup(t *testing.T, opts ...Option) *testBundle {
	t.Helper()
	b := &testBundle{fake: NewFake(testToken), clock: &testClock{now: time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)}, sleeps: &sleepLog{}}
	b.fake.SetClock(b.clock.Now)
	b.server = httptest.NewServer(b.fake.Handler())
	t.Cleanup(b.server.Close)
	b.client = b.newClient(b.fake.Config(b.server.URL), opts...)
	return b
}

func (b *testBundle) newClient(cfg Config, opts ...Option) *Client {
	base := []Option{WithSleep(b.sleeps.sleep), WithLimiter(rate.NewLimiter(rate.Inf, 0)), WithClock(b.clock.Now)}
	return New(cfg, append(base, opts...)...)
}

func (b *testBundle) addCatalogue() {
	b.fake.AddProduct(FakeProduct{SKU: "MUG-1", Name: "Mug", Price: "20.00", Stock: 10, EAN: "4006381333931"})
	b.fake.AddProduct(FakeProduct{SKU: "POSTER-1", Name: "Poster", Price: "9.90", Stock: 5})
}

// marketplaceOrder has prices that differ from the catalogue on purpose.
func marketplaceOrder(id int64) *models.Order {
	return &models.Order{
		ID:                   id,
		ConnectionID:         7,
		MarketplaceOrderID:   "MKP-" + time.Unix(id, 0).UTC().Format("150405"),
		MarketplaceReference: "REF-1",
		Currency:             "EUR",
		ShippingAmount:       490,
		TotalAmount:          2*1749 + 990 + 490,
		Billing: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "12 Rue de la Paix", PostalCode: "75002",
			City: "Paris", Country: "FR", Email: "ada@example.org", Phone: "+33 1 23 45 67 89"},
		Shipping: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "3 Quai Branly", Street2: "Bât. B", PostalCode: "75007",
			City: "Paris", Country: "FR", Phone: "+33 6 12 34 56 78"},
		Lines: []models.OrderLine{
			{SKU: "MUG-1", Quantity: 2, UnitPrice: 1749},
			{SKU: "POSTER-1", Quantity: 1, UnitPrice: 990},
		},
	}
}

func attempted(order *models.Order, at time.Time) *models.Order {
	order.StoreAttemptAt = &at
	return order
}

func mustCreate(t *testing.T, b *testBundle, order *models.Order) string {
	t.Helper()
	id, err := b.client.CreateOrder(context.Background(), order)
	if err != nil {
		t.Fatalf("CreateOrder(%d): %v", order.ID, err)
	}
	return id
}
