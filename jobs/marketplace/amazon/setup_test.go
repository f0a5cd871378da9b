package amazon

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/reference"
)

const (
	testClientID     = "amzn1.application-oa2-client.0f3e"
	testClientSecret = "amzn1.oa2-cs.v1.secret-7c1d"
	testRefreshToken = "Atzr|IwEBIrefresh-token-42"
)

func readReference(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(reference.Dir(t, "amazon-sp-api"), name))
	if err != nil {
		t.Fatalf("reading the reference %s: %v", name, err)
	}
	return raw
}

type testBundle struct {
	fake   *Fake
	server *httptest.Server
	cfg    Config
}

// setup starts a fake account over loopback; rateScale speeds up every usage plan.
func setup(t *testing.T, rateScale float64) *testBundle {
	t.Helper()
	fake := NewFake(FakeConfig{ClientID: testClientID, ClientSecret: testClientSecret, RefreshToken: testRefreshToken, RateScale: rateScale})
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)
	return &testBundle{
		fake:   fake,
		server: server,
		cfg: Config{
			RefreshToken: testRefreshToken,
			ClientID:     testClientID,
			ClientSecret: testClientSecret,
			BaseURL:      server.URL,
			LoginURL:     server.URL + "/auth/o2/token",
			Fulfilment:   FulfilmentMFN,
		},
	}
}

// client builds a client for the bundle's account, paced like the fake.
func (b *testBundle) client(rateScale float64, opts ...Option) *Client {
	return New(b.cfg, append([]Option{WithRateScale(rateScale)}, opts...)...)
}

// mfnOrder is an unshipped merchant-fulfilled order of two items.
func mfnOrder(id string) FakeOrder {
	return FakeOrder{
		ID:         id,
		BuyerName:  "Marie Curie",
		BuyerEmail: "abc123@marketplace.amazon.fr",
		Recipient: FakeAddress{
			Name: "Marie Curie", AddressLine1: "11 rue Pierre et Marie Curie", City: "Paris",
			PostalCode: "75005", CountryCode: "FR", Phone: "+33 1 00 00 00 00",
		},
		Items: []FakeItem{
			{ID: "11111111111101", SKU: "MUG-RED", Title: "Red mug", Quantity: 2, UnitPrice: "12.50", Shipping: "4.90"},
			{ID: "11111111111102", SKU: "TEA-GREEN", Title: "Green tea", Quantity: 1, UnitPrice: "7.00"},
		},
		Created: time.Now().Add(-10 * time.Minute),
	}
}
