package jobs_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/marketplace/amazon"
	"github.com/orderhub/orderhub/jobs/marketplace/bol"
	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/models"
)

// market is one marketplace fake as the engine scenarios drive it: the same scenarios run
// against every marketplace orderhub connects to.
type market struct {
	kind        string
	settings    string
	credentials models.Credentials
	// addOrder puts a new order, ready to ship, on the marketplace and returns its id.
	addOrder func(o newOrder) string
	// shipments lists the shipments the marketplace accepted for an order.
	shipments func(id string) []sentShipment
	// loseShipAnswer makes the marketplace act on the order's next shipment but lose its
	// answer.
	loseShipAnswer func(id string)
	// cancel cancels the order on the marketplace's side; nil where only the seller cancels.
	cancel func(id string) error
	// faults injects failures in front of every call.
	faults *apiclient.Faults
	// needsTracking: the marketplace refuses a shipment without a tracking number.
	needsTracking bool

	mirakl *mirakl.Fake
	bol    *bol.Fake
	amazon *amazon.Fake
}

// newOrder describes an order in the marketplace's own terms: n picks one of the samples'
// buyers and one product the store has plenty of; the other fields, when set, replace them.
type newOrder struct {
	n       int
	sku     string
	qty     int
	country string // ISO alpha-2
	noCity  bool
	placed  time.Time
}

type sentShipment struct{ carrier, tracking string }

// line is the order's one line: its SKU and quantity.
func (o newOrder) line() (string, int) {
	if o.sku != "" {
		return o.sku, o.qty
	}
	return []string{"MUG-BLUE-350", "TSHIRT-ORG-M"}[o.n%2], 1
}

// markets lists a fresh fake of each marketplace kind.
var markets = []struct {
	kind string
	open func(t *testing.T) *market
}{
	{"mirakl", openMirakl},
	{"bol", openBol},
	{"amazon", openAmazon},
}

func openMirakl(t *testing.T) *market {
	fake := mirakl.NewFake("mk-secret-key")
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	return &market{
		kind: "mirakl", settings: fmt.Sprintf(`{"base_url":%q}`, srv.URL),
		credentials: models.Credentials{"api_key": "mk-secret-key"},
		addOrder: func(o newOrder) string {
			order := mirakl.SampleOrder(o.n)
			sku, qty := o.line()
			order.Lines = []mirakl.FakeLine{{SKU: sku, Title: sku, Quantity: qty, UnitPrice: "19.90", ShippingPrice: "4.90"}}
			if o.country != "" {
				order.Shipping.Country, order.Shipping.CountryISOCode = o.country, alpha3[o.country]
			}
			if o.noCity {
				order.Shipping.City = ""
			}
			order.CreatedAt = o.placed
			return fake.AddOrder(order)
		},
		shipments: func(id string) []sentShipment {
			var out []sentShipment
			for _, s := range fake.Shipments(id) {
				out = append(out, sentShipment{s.CarrierCode + " " + s.CarrierName, s.TrackingNumber})
			}
			return out
		},
		loseShipAnswer: func(id string) {
			fake.Faults().LoseNextResponse(apiclient.Match("PUT", "/api/orders/"+id+"/ship"), 1)
		},
		cancel: fake.CancelOrder,
		faults: fake.Faults(),
		mirakl: fake,
	}
}

var alpha3 = map[string]string{"FR": "FRA", "BE": "BEL", "DE": "DEU", "IT": "ITA", "NL": "NLD", "ES": "ESP", "CH": "CHE"}

func openBol(t *testing.T) *market {
	fake := bol.NewFake("bol-client-id", "bol-client-secret")
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	return &market{
		kind: "bol", settings: fmt.Sprintf(`{"base_url":%q,"login_url":%q}`, srv.URL, srv.URL+"/token"),
		credentials: models.Credentials{"client_id": "bol-client-id", "client_secret": "bol-client-secret"},
		addOrder: func(o newOrder) string {
			order := bol.SampleOrder(o.n)
			sku, qty := o.line()
			order.Items = []bol.FakeItem{{Reference: sku, EAN: "8712345600001", Title: sku, Quantity: qty, UnitPrice: 1990}}
			if o.country != "" {
				order.Buyer.CountryCode = o.country
			}
			if o.noCity {
				order.Buyer.City = ""
			}
			order.PlacedAt = o.placed
			return fake.AddOrder(order)
		},
		shipments: func(id string) []sentShipment {
			var out []sentShipment
			for _, s := range fake.Shipments(id) {
				out = append(out, sentShipment{s.TransporterCode, s.TrackAndTrace})
			}
			return out
		},
		loseShipAnswer: func(string) {
			fake.Faults().LoseNextResponse(apiclient.Match("POST", "/retailer/shipments"), 1)
		},
		faults: fake.Faults(),
		bol:    fake,
	}
}

// amazonRateScale runs Amazon's usage plans ten times faster in the scenarios; the burst
// test runs them as documented.
const amazonRateScale = 10

func openAmazon(t *testing.T) *market { return openAmazonScaled(t, amazonRateScale) }

func openAmazonScaled(t *testing.T, scale float64) *market {
	fake := amazon.NewFake(amazon.FakeConfig{ClientID: "amzn1.application-oa2-client.test", ClientSecret: "lwa-secret",
		RefreshToken: "Atzr|refresh-token", RateScale: scale})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &market{
		kind: "amazon", settings: fmt.Sprintf(`{"base_url":%q,"login_url":%q,"marketplace_id":"A13V1IB3VIYZZH"}`, srv.URL, srv.URL+"/auth/o2/token"),
		credentials: models.Credentials{"client_id": "amzn1.application-oa2-client.test", "client_secret": "lwa-secret", "refresh_token": "Atzr|refresh-token"},
		addOrder: func(o newOrder) string {
			return fake.AddOrder(amazonOrder(o))
		},
		shipments: func(id string) []sentShipment {
			var out []sentShipment
			for _, s := range fake.Shipments(id) {
				out = append(out, sentShipment{strings.TrimSpace(s.CarrierCode + " " + s.CarrierName), s.TrackingNumber})
			}
			return out
		},
		loseShipAnswer: func(string) { fake.LoseNextAnswer("confirmShipment") },
		needsTracking:  true,
		cancel: func(id string) error {
			fake.SetStatus(id, "CANCELLED")
			return nil
		},
		amazon: fake,
	}
}

// amazonOrder is a merchant-fulfilled order to one of the samples' buyers.
func amazonOrder(o newOrder) amazon.FakeOrder {
	sample := mirakl.SampleOrder(o.n)
	a := sample.Shipping
	order := amazon.FakeOrder{
		MarketplaceID: "A13V1IB3VIYZZH",
		Created:       o.placed,
		BuyerName:     sample.Customer.FirstName + " " + sample.Customer.LastName,
		BuyerEmail:    fmt.Sprintf("buyer%d@marketplace.amazon.fr", o.n),
		Recipient: amazon.FakeAddress{Name: a.FirstName + " " + a.LastName, AddressLine1: a.Street1, AddressLine2: a.Street2,
			City: a.City, PostalCode: a.ZipCode, CountryCode: countryOf(a.CountryISOCode), Phone: a.Phone},
	}
	sku, qty := o.line()
	order.Items = []amazon.FakeItem{{ASIN: "B0SKU00001", SKU: sku, Title: sku, Quantity: qty, UnitPrice: "19.90", Shipping: "4.90"}}
	if o.country != "" {
		order.Recipient.CountryCode = o.country
	}
	if o.noCity {
		order.Recipient.City = ""
	}
	return order
}

func countryOf(alpha3Code string) string {
	for two, three := range alpha3 {
		if three == alpha3Code {
			return two
		}
	}
	return ""
}
