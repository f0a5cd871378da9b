package vendure

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/models"
)

const (
	testUser     = "superadmin"
	testPassword = "s3cr3t-superadmin"
)

// testClock is the server's clock and the client's, moved by hand.
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

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

type testBundle struct {
	fake   *Fake
	server *httptest.Server
	client *Client
	clock  *testClock
	sleeps *sleepLog
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{fake: NewFake(testUser, testPassword), clock: &testClock{now: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)}, sleeps: &sleepLog{}}
	b.fake.SetClock(b.clock.Now)
	b.server = httptest.NewServer(b.fake.Handler())
	t.Cleanup(b.server.Close)
	b.client = b.newClient(b.fake.Config(b.server.URL))
	return b
}

func (b *testBundle) newClient(cfg Config, opts ...Option) *Client {
	base := []Option{WithSleep(b.sleeps.sleep), WithLimiter(rate.NewLimiter(rate.Inf, 0)), WithClock(b.clock.Now)}
	return New(cfg, append(base, opts...)...)
}

func (b *testBundle) addCatalogue() {
	b.fake.AddProduct(FakeProduct{SKU: "MUG-BLUE", Name: "Blue Mug", Price: "15.00", Stock: 10, EAN: "3760000000017"})
	b.fake.AddProduct(FakeProduct{SKU: "POSTER-1", Name: "Poster", Price: "9.90", Stock: 5})
}

// rawCall posts a GraphQL request to the fake, as any HTTP client would.
func (b *testBundle) rawCall(t *testing.T, token, query string, variables map[string]any) (int, http.Header, gqlResponse) {
	t.Helper()
	body, _ := json.Marshal(gqlRequest{Query: query, Variables: variables})
	req, _ := http.NewRequest(http.MethodPost, b.server.URL+"/admin-api", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return res.StatusCode, res.Header, out
}

func (b *testBundle) login(t *testing.T) string {
	t.Helper()
	_, header, out := b.rawCall(t, "", loginMutation, map[string]any{"u": testUser, "p": testPassword})
	token := header.Get("vendure-auth-token")
	if token == "" || len(out.Errors) > 0 {
		t.Fatalf("login: %+v", out)
	}
	return token
}

// marketplaceOrder is an order as a marketplace connector hands it over; the mug's price
// differs from the store's catalogue on purpose.
func marketplaceOrder(id int64) *models.Order {
	return &models.Order{
		ID:                 id,
		ConnectionID:       7,
		MarketplaceOrderID: "402-1234567-" + time.Unix(id, 0).UTC().Format("150405"),
		Currency:           "EUR",
		ShippingAmount:     500,
		TotalAmount:        2*1450 + 990 + 500,
		Billing: models.Address{FirstName: "Jeanne", LastName: "Martin", Street1: "12 rue de la Paix", PostalCode: "75002",
			City: "Paris", Country: "FR", Email: "buyer+402@marketplace.example", Phone: "+33100000000"},
		Shipping: models.Address{FirstName: "Jeanne", LastName: "Martin", Street1: "3 quai Branly", PostalCode: "75007",
			City: "Paris", Country: "FR", Phone: "+33600000000"},
		Lines: []models.OrderLine{
			{SKU: "MUG-BLUE", Quantity: 2, UnitPrice: 1450},
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
