package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/models"
)

const testToken = "shpat_0123456789abcdef0123456789abcdef"

// testClock is the shop's clock, moved by hand and by the client's waits.
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

// testBundle is a fake store on loopback and a client talking to it. The client's waits move
// the shop's clock instead of sleeping, so the cost bucket refills as it would.
type testBundle struct {
	fake   *Fake
	server *httptest.Server
	client *Client
	clock  *testClock
	mu     sync.Mutex
	waits  []time.Duration
}

func setup(t *testing.T, opts ...Option) *testBundle {
	t.Helper()
	b := &testBundle{fake: NewFake(testToken), clock: &testClock{now: time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)}}
	b.fake.SetClock(b.clock.Now)
	b.server = httptest.NewServer(b.fake.Handler())
	t.Cleanup(b.server.Close)
	b.client = b.newClient(b.fake.Config(b.server.URL), opts...)
	return b
}

func (b *testBundle) newClient(cfg Config, opts ...Option) *Client {
	base := []Option{WithSleep(b.sleep), WithLimiter(rate.NewLimiter(rate.Inf, 0))}
	return New(cfg, append(base, opts...)...)
}

func (b *testBundle) sleep(_ context.Context, d time.Duration) error {
	b.mu.Lock()
	b.waits = append(b.waits, d)
	b.mu.Unlock()
	b.clock.Advance(d)
	return nil
}

func (b *testBundle) allWaits() []time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]time.Duration(nil), b.waits...)
}

func (b *testBundle) addCatalogue() {
	b.fake.AddProduct(FakeProduct{SKU: "MUG-1", Name: "Mug", Price: "20.00", Stock: 10, EAN: "4006381333931"})
	b.fake.AddProduct(FakeProduct{SKU: "POSTER-1", Name: "Poster", Price: "9.90", Stock: 5})
}

// raw posts a GraphQL request as it stands and returns the status and decoded body.
func (b *testBundle) raw(t *testing.T, token, path string, body any) (int, map[string]any) {
	t.Helper()
	var payload []byte
	switch v := body.(type) {
	case string:
		payload = []byte(v)
	default:
		payload, _ = json.Marshal(v)
	}
	req, _ := http.NewRequest(http.MethodPost, b.server.URL+path, bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("X-Shopify-Access-Token", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("answer is not JSON: %s", data)
	}
	return res.StatusCode, out
}

// gql posts a document with variables to the fake's endpoint with the right token.
func (b *testBundle) gql(t *testing.T, document string, variables map[string]any) map[string]any {
	t.Helper()
	status, out := b.raw(t, testToken, "/admin/api/"+DefaultAPIVersion+"/graphql.json", map[string]any{"query": document, "variables": variables})
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, out)
	}
	return out
}

// firstError returns the message and code of an answer's first top-level error.
func firstError(out map[string]any) (message, code string) {
	errs, _ := out["errors"].([]any)
	if len(errs) == 0 {
		return "", ""
	}
	e, _ := errs[0].(map[string]any)
	message, _ = e["message"].(string)
	if ext, ok := e["extensions"].(map[string]any); ok {
		code, _ = ext["code"].(string)
	}
	return message, code
}

// marketplaceOrder is an order as a marketplace connector hands it over: its prices differ
// from the store's catalogue on purpose.
func marketplaceOrder(id int64) *models.Order {
	return &models.Order{
		ID:                   id,
		ConnectionID:         7,
		MarketplaceOrderID:   "MKP-" + time.Unix(id, 0).UTC().Format("150405"),
		MarketplaceReference: "REF-42",
		Currency:             "EUR",
		ShippingMethod:       "STANDARD",
		ShippingAmount:       490,
		TotalAmount:          2*1749 + 990 + 490,
		Billing: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "12 Rue de la Paix", PostalCode: "75002",
			City: "Paris", Country: "FR", Email: "ada@example.org", Phone: "+33 1 23 45 67 89"},
		Shipping: models.Address{FirstName: "Grace", LastName: "Hopper", Street1: "3 Quai Branly", PostalCode: "75007",
			City: "Lyon", Country: "FR", Phone: "+33 6 12 34 56 78"},
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

// operationCounter matches requests whose GraphQL document uses a root field, for arming
// faults on one operation; it puts the body back for the fake.
type operationCounter struct {
	name string
	mu   sync.Mutex
	seen int
}

func (o *operationCounter) match(r *http.Request) bool {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !bytes.Contains(body, []byte(o.name+"(")) {
		return false
	}
	o.mu.Lock()
	o.seen++
	o.mu.Unlock()
	return true
}

func (o *operationCounter) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.seen
}
