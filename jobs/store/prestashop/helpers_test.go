package prestashop

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/models"
)

const testKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"

type setup struct {
	fake   *Fake
	server *httptest.Server
	client *Client
	waits  []time.Duration
}

func newSetup(t *testing.T, opts ...Option) *setup {
	t.Helper()
	s := &setup{fake: NewFake(testKey)}
	s.server = httptest.NewServer(s.fake.Handler())
	t.Cleanup(s.server.Close)
	opts = append([]Option{WithLimiter(rate.NewLimiter(rate.Inf, 1)), WithSleep(func(ctx context.Context, d time.Duration) error {
		s.waits = append(s.waits, d)
		return nil
	})}, opts...)
	s.client = New(s.fake.Config(s.server.URL), opts...)
	s.fake.AddProduct(FakeProduct{SKU: "MUG-1", Name: "Mug", Price: "12.90", Stock: 5, EAN: "3700000000017"})
	s.fake.AddProduct(FakeProduct{SKU: "TEE-M", Name: "T-shirt", Price: "19.00", Stock: 1})
	return s
}

func testOrder(id int64) *models.Order {
	return &models.Order{
		ID: id, ConnectionID: 7, MarketplaceOrderID: "MP-1001", MarketplaceReference: "REF-9",
		Currency: "EUR", ShippingAmount: 490, TotalAmount: 490 + 2*1099 + 1750,
		Shipping: models.Address{FirstName: "Jeanne", LastName: "Martin", Street1: "1 rue de la Paix", PostalCode: "75002", City: "Paris", Country: "FR", Phone: "+33600000000", Email: "jeanne@example.com"},
		Billing:  models.Address{FirstName: "Jean", LastName: "Martin", Street1: "9 avenue Foch", PostalCode: "69006", City: "Lyon", Country: "FR", Email: "jeanne@example.com"},
		Lines: []models.OrderLine{
			{SKU: "MUG-1", Quantity: 2, UnitPrice: 1099},
			{SKU: "TEE-M", Quantity: 1, UnitPrice: 1750},
		},
	}
}

func attempted(order *models.Order) *models.Order {
	now := time.Now()
	order.StoreAttemptAt = &now
	return order
}
