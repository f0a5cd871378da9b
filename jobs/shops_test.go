package jobs_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/store/magento"
	"github.com/orderhub/orderhub/jobs/store/prestashop"
	"github.com/orderhub/orderhub/jobs/store/shopify"
	"github.com/orderhub/orderhub/jobs/store/vendure"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

// shop is one store fake as the engine scenarios drive it: the same scenarios run against
// every store orderhub creates orders in.
type shop struct {
	kind        string
	settings    string
	credentials models.Credentials
	addProduct  func(sku, name, price string, stock int)
	stock       func(sku string) int
	// ordersFor lists the store orders made for an orderhub order.
	ordersFor func(o *models.Order) []string
	order     func(storeOrderID string) shopOrder
	// ship ships the order in the store with a carrier and tracking ("" for none).
	ship        func(storeOrderID, carrier, tracking string) error
	addTracking func(storeOrderID, carrier, tracking string) error
	cancel      func(storeOrderID string) error
	// loseNextCreate makes the store create the next order but lose its answer.
	loseNextCreate func()
	faults         *apiclient.Faults

	woo *woocommerce.Fake
}

// shopOrder is what the scenarios check of a store order.
type shopOrder struct {
	status        string
	lines         map[string]int // SKU → quantity
	city, country string
}

var shops = []struct {
	kind string
	open func(t *testing.T) *shop
}{
	{"woocommerce", openWoo},
	{"prestashop", openPrestaShop},
	{"magento", openMagento},
	{"shopify", openShopify},
	{"vendure", openVendure},
}

// commonFake is the test-facing side every store fake shares; P and V are its package's
// FakeProduct and FakeOrderView, which have the same fields in every package.
type commonFake[P, V any] interface {
	AddProduct(p P)
	Order(storeOrderID string) (V, bool)
	Handler() http.Handler
	Faults() *apiclient.Faults
	Stock(sku string) (int, bool)
	OrdersFor(orderhubOrderID int64) []string
	Ship(storeOrderID, carrier, tracking string) error
	AddTracking(storeOrderID, carrier, tracking string) error
	Cancel(storeOrderID string) error
	LoseNextCreateAnswer()
}

// openCommon serves a store fake on loopback and builds the shop around it; config gives the
// connector's configuration for the fake's address, kept whole in the settings.
func openCommon[P, V any](t *testing.T, kind string, fake commonFake[P, V], config func(baseURL string) any) *shop {
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	settings, err := json.Marshal(config(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	// The whole configuration goes in both: the registry merges them, credentials last.
	var fields map[string]any
	if err := json.Unmarshal(settings, &fields); err != nil {
		t.Fatal(err)
	}
	credentials := models.Credentials{}
	for k, v := range fields {
		if text, ok := v.(string); ok && text != "" {
			credentials[k] = text
		}
	}
	return &shop{
		kind: kind, settings: string(settings), credentials: credentials,
		stock: func(sku string) int {
			n, _ := fake.Stock(sku)
			return n
		},
		ordersFor:      func(o *models.Order) []string { return fake.OrdersFor(o.ID) },
		ship:           fake.Ship,
		addTracking:    fake.AddTracking,
		cancel:         fake.Cancel,
		loseNextCreate: fake.LoseNextCreateAnswer,
		faults:         fake.Faults(),
		addProduct: func(sku, name, price string, stock int) {
			fake.AddProduct(convert[P](t, fakeProduct{SKU: sku, Name: name, Price: price, Stock: stock}))
		},
		order: func(id string) shopOrder {
			found, _ := fake.Order(id)
			view := convert[fakeOrderView](t, found)
			out := shopOrder{status: view.Status, lines: map[string]int{}, city: view.City, country: view.Country}
			for _, l := range view.Lines {
				out.lines[l.SKU] += l.Quantity
			}
			return out
		},
	}
}

// fakeProduct and fakeOrderView are the fields every store fake's FakeProduct and
// FakeOrderView share.
type fakeProduct struct {
	SKU, Name, Price string
	Stock            int
}

type fakeOrderView struct {
	Status, City, Country string
	Lines                 []struct {
		SKU      string
		Quantity int
	}
}

// convert copies the fields two types share by name.
func convert[T any](t *testing.T, from any) T {
	var to T
	raw, err := json.Marshal(from)
	if err == nil {
		err = json.Unmarshal(raw, &to)
	}
	if err != nil {
		t.Fatalf("converting %T: %v", from, err)
	}
	return to
}

func openPrestaShop(t *testing.T) *shop {
	fake := prestashop.NewFake("ABCDEFGHIJKLMNOPQRSTUVWXYZ123456")
	return openCommon[prestashop.FakeProduct, prestashop.FakeOrderView](t, "prestashop", fake, func(base string) any { return fake.Config(base) })
}

func openMagento(t *testing.T) *shop {
	fake := magento.NewFake("magento-integration-token")
	return openCommon[magento.FakeProduct, magento.FakeOrderView](t, "magento", fake, func(base string) any { return fake.Config(base) })
}

func openShopify(t *testing.T) *shop {
	fake := shopify.NewFake("shpat_test_token")
	return openCommon[shopify.FakeProduct, shopify.FakeOrderView](t, "shopify", fake, func(base string) any { return fake.Config(base) })
}

func openVendure(t *testing.T) *shop {
	return openVendureAs(t, "superadmin", "superadmin")
}

// openVendureAs is the Vendure fake with the given administrator.
func openVendureAs(t *testing.T, username, password string) *shop {
	fake := vendure.NewFake(username, password)
	return openCommon[vendure.FakeProduct, vendure.FakeOrderView](t, "vendure", fake, func(base string) any { return fake.Config(base) })
}

func openWoo(t *testing.T) *shop {
	fake := woocommerce.NewFake("ck_test_key", "cs_test_secret")
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	wooID := func(id string) int64 {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			t.Fatalf("woocommerce order id %q", id)
		}
		return n
	}
	tracking := func(carrier, number string) woocommerce.TrackingItem {
		item := woocommerce.TrackingItem{TrackingNumber: number}
		switch strings.ToLower(carrier) {
		case "ups", "dhl", "colissimo", "dpd", "fedex", "postnl":
			item.TrackingProvider = strings.ToLower(carrier)
		default:
			item.CustomTrackingProvider = carrier
		}
		return item
	}
	return &shop{
		kind: "woocommerce", settings: fmt.Sprintf(`{"base_url":%q}`, srv.URL),
		credentials: models.Credentials{"consumer_key": "ck_test_key", "consumer_secret": "cs_test_secret"},
		addProduct: func(sku, name, price string, stock int) {
			fake.AddProduct(woocommerce.ProductSpec{Name: name, SKU: sku, RegularPrice: price, ManageStock: true, StockQuantity: stock})
		},
		stock: func(sku string) int {
			p, _ := fake.Product(sku)
			return p.StockQuantity
		},
		ordersFor: func(o *models.Order) []string {
			var ids []string
			for _, so := range fake.Orders() {
				if so.Meta("_orderhub_order_id") == strconv.FormatInt(o.ID, 10) {
					ids = append(ids, strconv.FormatInt(so.ID, 10))
				}
			}
			return ids
		},
		order: func(id string) shopOrder {
			so, _ := fake.Order(wooID(id))
			out := shopOrder{status: so.Status, lines: map[string]int{}, city: so.Shipping.City, country: so.Shipping.Country}
			for _, l := range so.LineItems {
				out.lines[l.SKU] += l.Quantity
			}
			return out
		},
		ship: func(id, carrier, number string) error {
			if number == "" && carrier == "" {
				return fake.CompleteOrder(wooID(id), nil)
			}
			item := tracking(carrier, number)
			return fake.CompleteOrder(wooID(id), &item)
		},
		addTracking: func(id, carrier, number string) error {
			return fake.AddTracking(wooID(id), tracking(carrier, number))
		},
		cancel: func(id string) error { return fake.SetOrderStatus(wooID(id), "cancelled") },
		loseNextCreate: func() {
			fake.Faults().LoseNextResponse(apiclient.Match("POST", "/wp-json/wc/v3/orders"), 1)
		},
		faults: fake.Faults(),
		woo:    fake,
	}
}
