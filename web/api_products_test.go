package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// orderWithSKUs imports an order whose lines carry those SKUs.
func (a *testApp) orderWithSKUs(c *models.Connection, marketplaceID, status string, skus ...string) *models.Order {
	a.t.Helper()
	in := &models.Order{MarketplaceOrderID: marketplaceID, Status: status, Currency: "EUR", TotalAmount: 1000,
		PlacedAt: time.Now(), MarketplaceUpdatedAt: time.Now(),
		Shipping: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "1 Main St", PostalCode: "N1", City: "London", Country: "GB"}}
	for i, sku := range skus {
		in.Lines = append(in.Lines, models.OrderLine{MarketplaceLineID: fmt.Sprintf("%s-%d", marketplaceID, i), SKU: sku, Title: "Product " + sku, Quantity: 1, UnitPrice: 1000})
	}
	var o *models.Order
	err := a.db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		o, _, err = models.ImportOrder(context.Background(), tx, c, in, time.Now())
		return err
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return o
}

type unknownProducts struct {
	SKUs []struct {
		ConnectionID  int64  `json:"connection_id"`
		SKU           string `json:"sku"`
		Title         string `json:"title"`
		Orders        int    `json:"orders"`
		LatestOrderID int64  `json:"latest_order_id"`
	} `json:"skus"`
	ConnectionsWithoutCatalogue []int64 `json:"connections_without_catalogue"`
}

func (a *testApp) unknownSKUs(token, query string) unknownProducts {
	a.t.Helper()
	res := a.api("GET", "/api/v1/products/unknown"+query, token, "")
	if res.status != http.StatusOK {
		a.t.Fatalf("unknown products: %d %s", res.status, res.body)
	}
	var out unknownProducts
	res.decode(a.t, &out)
	return out
}

func (u unknownProducts) summary() string {
	var parts []string
	for _, s := range u.SKUs {
		parts = append(parts, fmt.Sprintf("%s×%d", s.SKU, s.Orders))
	}
	return strings.Join(parts, " ")
}

func TestAPIUnknownProducts(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	shop := app.apiConnection(m.ID, "shop")
	other := app.apiConnection(m.ID, "other shop")
	token := app.token(m.ID)
	app.orderWithSKUs(shop, "U-1", models.StatusWaitingShipment, "SKU-1", "SKU-2")
	latest := app.orderWithSKUs(shop, "U-2", models.StatusWaitingShipment, "SKU-2")
	app.orderWithSKUs(shop, "U-3", models.StatusWaitingShipment, "OLD")
	app.orderWithSKUs(shop, "U-4", models.StatusCancelled, "SKU-9")
	app.orderWithSKUs(other, "U-5", models.StatusWaitingShipment, "SKU-5")

	// Before the shop sends its products, orderhub knows nothing of its catalogue.
	got := app.unknownSKUs(token, "")
	if len(got.SKUs) != 0 || len(got.ConnectionsWithoutCatalogue) != 2 {
		t.Fatalf("without catalogues: %+v", got)
	}

	body := fmt.Sprintf(`{"connection_id":%d,"products":[{"sku":"SKU-1","ean":"4006381333931","name":"Tent","stock":7},{"sku":"OLD","active":false}]}`, shop.ID)
	if res := app.api("POST", "/api/v1/products", token, body); res.status != http.StatusOK || !strings.Contains(string(res.body), `"saved":2`) {
		t.Fatalf("save products: %d %s", res.status, res.body)
	}
	got = app.unknownSKUs(token, "")
	if got.summary() != "SKU-2×2 OLD×1" || got.SKUs[0].ConnectionID != shop.ID || got.SKUs[0].LatestOrderID != latest.ID ||
		got.SKUs[0].Title != "Product SKU-2" || len(got.ConnectionsWithoutCatalogue) != 1 || got.ConnectionsWithoutCatalogue[0] != other.ID {
		t.Fatalf("unknown SKUs: %s %+v", got.summary(), got)
	}

	// A SKU alias to a known product, or the product sent again as active, fixes it.
	if err := models.SaveSKUAlias(context.Background(), app.db.Gorm, shop, "SKU-2", "SKU-1"); err != nil {
		t.Fatal(err)
	}
	app.api("POST", "/api/v1/products", token, fmt.Sprintf(`{"connection_id":%d,"products":[{"sku":"OLD","active":true}]}`, shop.ID))
	if got = app.unknownSKUs(token, fmt.Sprintf("?connection_id=%d", shop.ID)); len(got.SKUs) != 0 || len(got.ConnectionsWithoutCatalogue) != 0 {
		t.Fatalf("after the fixes: %s %+v", got.summary(), got)
	}

	// A token limited to the other connection, or another merchant's token, sees none of it.
	limited := app.token(m.ID, other.ID)
	if got = app.unknownSKUs(limited, ""); len(got.SKUs) != 0 || len(got.ConnectionsWithoutCatalogue) != 1 || got.ConnectionsWithoutCatalogue[0] != other.ID {
		t.Fatalf("limited token: %+v", got)
	}
	for _, call := range []struct{ method, path, body string }{
		{"GET", fmt.Sprintf("/api/v1/products/unknown?connection_id=%d", shop.ID), ""},
		{"POST", "/api/v1/products", fmt.Sprintf(`{"connection_id":%d,"products":[{"sku":"X"}]}`, shop.ID)},
	} {
		if res := app.api(call.method, call.path, limited, call.body); res.status != http.StatusNotFound || res.problemType(t) != "not-found" {
			t.Fatalf("%s %s with a limited token: %d %s", call.method, call.path, res.status, res.body)
		}
	}
	stranger, _ := app.signUp("Other", "admin@other.test")
	if got = app.unknownSKUs(app.token(stranger.ID), ""); len(got.SKUs) != 0 || len(got.ConnectionsWithoutCatalogue) != 0 {
		t.Fatalf("another merchant: %+v", got)
	}
}

func TestAPIProductsBadInput(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	shop := app.apiConnection(m.ID, "shop")
	pushed := models.NewConnection(m.ID, "woo", "mirakl")
	pushed.StoreKind = "woocommerce"
	if err := models.SaveConnection(context.Background(), app.db.Gorm, pushed); err != nil {
		t.Fatal(err)
	}
	token := app.token(m.ID)
	many := strings.TrimSuffix(strings.Repeat(`{"sku":"S"},`, 1001), ",")
	for _, tc := range []struct{ body, status, want string }{
		{fmt.Sprintf(`{"connection_id":%d,"products":[{"sku":"A"},{"sku":"A"}]}`, shop.ID), "400", "invalid-field"},
		{fmt.Sprintf(`{"connection_id":%d,"products":[{"sku":"  "}]}`, shop.ID), "400", "invalid-field"},
		{fmt.Sprintf(`{"connection_id":%d,"products":[{"sku":"A","stock":-1}]}`, shop.ID), "400", "invalid-field"},
		{fmt.Sprintf(`{"connection_id":%d,"products":[{"sku":"A","price":3}]}`, shop.ID), "400", "invalid-json"},
		{fmt.Sprintf(`{"connection_id":%d,"products":[]}`, shop.ID), "400", "empty-batch"},
		{`{"products":[{"sku":"A"}]}`, "400", "invalid-field"},
		{fmt.Sprintf(`{"connection_id":%d,"products":[%s]}`, shop.ID, many), "413", "batch-too-large"},
		{fmt.Sprintf(`{"connection_id":%d,"products":[{"sku":"A"}]}`, pushed.ID), "409", "connection-not-api"},
		{`{"connection_id":999999,"products":[{"sku":"A"}]}`, "404", "not-found"},
	} {
		res := app.api("POST", "/api/v1/products", token, tc.body)
		if fmt.Sprint(res.status) != tc.status || res.problemType(t) != tc.want {
			t.Fatalf("%.80s: %d %s, want %s %s", tc.body, res.status, res.body, tc.status, tc.want)
		}
	}
	sizes, err := models.CatalogueSizes(context.Background(), app.db.Gorm, m.ID, nil)
	if err != nil || len(sizes) != 0 {
		t.Fatalf("refused requests saved products: %v %v", sizes, err)
	}
	for _, q := range []string{"?days=0", "?days=91", "?limit=501", "?limit=x"} {
		if res := app.api("GET", "/api/v1/products/unknown"+q, token, ""); res.status != http.StatusBadRequest || res.problemType(t) != "invalid-parameter" {
			t.Fatalf("%s: %d %s", q, res.status, res.body)
		}
	}
}
