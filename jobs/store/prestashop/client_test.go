package prestashop

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/models"
)

func TestCheckCredentials(t *testing.T) {
	s := newSetup(t)
	if err := s.client.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("good key: %v", err)
	}
	cfg := s.fake.Config(s.server.URL)
	cfg.WebserviceKey = strings.Repeat("Z", 32)
	err := New(cfg).CheckCredentials(context.Background())
	if !apiclient.IsPermanent(err) || apiclient.StatusOf(err) != http.StatusUnauthorized || !strings.Contains(err.Error(), "not active") {
		t.Fatalf("bad key: %v", err)
	}
	cfg = s.fake.Config(s.server.URL)
	cfg.CarrierID = 99
	if err := New(cfg).CheckCredentials(context.Background()); err == nil || !strings.Contains(err.Error(), "carrier 99") {
		t.Fatalf("unknown carrier: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	good := Config{BaseURL: "https://shop.example.com/api/", WebserviceKey: testKey, CarrierID: 1}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"good", func(*Config) {}, ""},
		{"no address", func(c *Config) { c.BaseURL = "" }, "store address is missing"},
		{"not a URL", func(c *Config) { c.BaseURL = "shop.example.com" }, "not a web address"},
		{"no key", func(c *Config) { c.WebserviceKey = "" }, "key is missing"},
		{"short key", func(c *Config) { c.WebserviceKey = "abc" }, "32 letters"},
		{"no carrier", func(c *Config) { c.CarrierID = 0 }, "carrier is missing"},
		{"bad state", func(c *Config) { c.ShippedStates = []int64{-1} }, "order state id -1"},
		{"bad zone", func(c *Config) { c.TimeZone = "Mars/Base" }, "time zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			err := cfg.Validate()
			if (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
	normalized, _, _ := good.normalized()
	if normalized.BaseURL != "https://shop.example.com" {
		t.Fatalf("base URL %q: the pasted /api/ should be dropped", normalized.BaseURL)
	}
}

func TestFakeRefusesLikeTheWebservice(t *testing.T) {
	s := newSetup(t)
	tests := []struct {
		name, method, path, key, body string
		status                        int
		want                          string
	}{
		{"no key", "GET", "/api/products?output_format=JSON", "", "", 401, `"code":17`},
		{"bad key format", "GET", "/api/products?output_format=JSON", "short", "", 401, `"code":18`},
		{"wrong key", "GET", "/api/products?output_format=JSON", strings.Repeat("Q", 32), "", 401, `"code":20`},
		{"XML errors by default", "GET", "/api/products", "", "", 401, "<code><![CDATA[17]]></code>"},
		{"unknown resource", "GET", "/api/productz?output_format=JSON", testKey, "", 400, `"code":27`},
		{"unknown id", "GET", "/api/orders/999?output_format=JSON", testKey, "", 404, `"code":87`},
		{"date filter without date=1", "GET", "/api/orders?output_format=JSON&filter[date_upd]=[2024-01-01%2000:00:00,2099-01-01%2000:00:00]", testKey, "", 400, `"code":32`},
		{"bad display", "GET", "/api/products?output_format=JSON&display=[nope]", testKey, "", 400, `"code":35`},
		{"JSON body", "POST", "/api/customers?output_format=JSON", testKey, `{"customer":{"email":"a@b.c"}}`, 500, `"code":127`},
		{"missing field", "POST", "/api/customers?output_format=JSON", testKey, `<prestashop><customer><email>a@b.fr</email></customer></prestashop>`, 400, `"code":41`},
		{"bad email", "POST", "/api/customers?output_format=JSON", testKey, `<prestashop><customer><passwd>x</passwd><lastname>A</lastname><firstname>B</firstname><email>nope</email></customer></prestashop>`, 400, `Customer-\u003eemail`},
		{"id on create", "POST", "/api/customers?output_format=JSON", testKey, `<prestashop><customer><id>4</id></customer></prestashop>`, 400, `"code":91`},
		{"not a number", "POST", "/api/carts?output_format=JSON", testKey, `<prestashop><cart><id_currency>one</id_currency><id_lang>1</id_lang></cart></prestashop>`, 400, `"code":85`},
		{"unknown product in cart", "POST", "/api/carts?output_format=JSON", testKey, `<prestashop><cart><id_currency>1</id_currency><id_lang>1</id_lang><associations><cart_rows><cart_row><id_product>99</id_product><quantity>1</quantity></cart_row></cart_rows></associations></cart></prestashop>`, 500, "cart_rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, s.server.URL+tt.path, strings.NewReader(tt.body))
			if tt.key != "" {
				req.SetBasicAuth(tt.key, "")
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var b strings.Builder
			buf := make([]byte, 4096)
			for {
				n, err := res.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			if res.StatusCode != tt.status || !strings.Contains(b.String(), tt.want) {
				t.Fatalf("%d %s, want %d with %q", res.StatusCode, b.String(), tt.status, tt.want)
			}
		})
	}
}

func TestFakeAcceptsWsKeyAndAnswersEmptyListsWithBareArray(t *testing.T) {
	s := newSetup(t)
	res, err := http.Get(s.server.URL + "/api/orders?output_format=JSON&ws_key=" + testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	buf := make([]byte, 64)
	n, _ := res.Body.Read(buf)
	if res.StatusCode != 200 || string(buf[:n]) != "[]" {
		t.Fatalf("%d %q", res.StatusCode, buf[:n])
	}
}

func TestProductsPagingAndIncrementalRead(t *testing.T) {
	s := newSetup(t, WithPageSize(2))
	s.fake.AddProduct(FakeProduct{SKU: "CAP", Name: "Cap", Price: "9.00", Stock: 0})
	if err := s.fake.AddCombination("CAP", "CAP-RED", 3); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var all []models.Product
	cursor, pages := "", 0
	for {
		page, err := s.client.Products(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, page.Products...)
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	if pages != 2 || len(all) != 3 {
		t.Fatalf("%d pages, products %+v", pages, all)
	}
	mug, red := all[0], all[2]
	if mug.SKU != "MUG-1" || mug.EAN != "3700000000017" || mug.Name != "Mug" || mug.Stock != 5 || !mug.ManageStock || !mug.Active || mug.UpdatedAt.IsZero() {
		t.Fatalf("mug %+v", mug)
	}
	if red.SKU != "CAP-RED" || red.StoreProductID != "3/1" || red.Stock != 3 {
		t.Fatalf("combination %+v", red)
	}
	// The last cursor reads only what changed since.
	page, err := s.client.Products(ctx, cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Products) != 1 || page.Products[0].SKU != "CAP-RED" {
		t.Fatalf("nothing changed: got %+v (the boundary second is read again)", page.Products)
	}
	s.fake.SetProductActive("MUG-1", false)
	page, err = s.client.Products(ctx, cursor)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range page.Products {
		if p.SKU == "MUG-1" {
			found = !p.Active
		}
	}
	if !found {
		t.Fatalf("the disabled mug should come back, inactive: %+v", page.Products)
	}
}

func TestCreateOrder(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	order := testOrder(41)
	id, err := s.client.CreateOrder(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	view, ok := s.fake.Order(id)
	if !ok {
		t.Fatalf("no order %s", id)
	}
	wantLines := []FakeLineView{{"MUG-1", 2, 1099}, {"TEE-M", 1, 1750}}
	if len(view.Lines) != 2 || view.Lines[0] != wantLines[0] || view.Lines[1] != wantLines[1] {
		t.Fatalf("lines %+v: the marketplace's prices must be kept", view.Lines)
	}
	if view.Status != "Remote payment accepted" || !view.Paid || view.Total != 2*1099+1750 {
		t.Fatalf("view %+v", view)
	}
	if view.ShippingName != "Jeanne Martin" || view.City != "Paris" || view.Country != "FR" {
		t.Fatalf("address %+v", view)
	}
	if ids := s.fake.OrdersFor(41); len(ids) != 1 || ids[0] != id {
		t.Fatalf("OrdersFor = %v", ids)
	}
	if stock, _ := s.fake.Stock("MUG-1"); stock != 3 {
		t.Fatalf("stock %d, want 3", stock)
	}
	s.fake.mu.Lock()
	stored, _ := s.fake.row("orders", id)
	payment, invoice, delivery := stored.v["payment"], stored.v["id_address_invoice"], stored.v["id_address_delivery"]
	s.fake.mu.Unlock()
	if !strings.Contains(payment, "MP-1001 / REF-9") || !strings.Contains(payment, "4.90 EUR") || invoice == delivery {
		t.Fatalf("payment %q, invoice %s, delivery %s", payment, invoice, delivery)
	}
	found, err := s.client.FindOrder(ctx, attempted(order))
	if err != nil || found != id {
		t.Fatalf("FindOrder = %q, %v", found, err)
	}
	if found, err := s.client.FindOrder(ctx, attempted(testOrder(42))); err != nil || found != "" {
		t.Fatalf("FindOrder of another order = %q, %v", found, err)
	}
}

func TestFulfilledByMarketplaceIsCreatedDelivered(t *testing.T) {
	s := newSetup(t)
	order := testOrder(43)
	order.FulfilledByMarketplace = true
	id, err := s.client.CreateOrder(context.Background(), order)
	if err != nil {
		t.Fatal(err)
	}
	if view, _ := s.fake.Order(id); view.Status != "Delivered" || !view.Paid {
		t.Fatalf("view %+v", view)
	}
}

func TestLostCreateAnswerIsFoundNotRepeated(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	order := attempted(testOrder(44))
	s.fake.LoseNextCreateAnswer()
	if _, err := s.client.CreateOrder(ctx, order); err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("lost answer: %v, want a temporary error", err)
	}
	id, err := s.client.FindOrder(ctx, order)
	if err != nil || id == "" {
		t.Fatalf("FindOrder = %q, %v", id, err)
	}
	if ids := s.fake.OrdersFor(44); len(ids) != 1 || ids[0] != id {
		t.Fatalf("orders %v, want exactly %s", ids, id)
	}
}

func TestCreateRefusals(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*models.Order)
		cfg   func(*Config)
		want  string
		noNew bool
	}{
		{"unknown SKU", func(o *models.Order) { o.Lines[0].SKU = "NOPE" }, nil, `no product or combination with reference "NOPE"`, true},
		{"out of stock", func(o *models.Order) { o.Lines[1].Quantity = 3 }, nil, `has 1 of reference "TEE-M" in stock, the order needs 3`, true},
		{"unknown country", func(o *models.Order) { o.Shipping.Country = "ZZ" }, nil, `no country with ISO code "ZZ"`, true},
		{"unknown currency", func(o *models.Order) { o.Currency = "JPY" }, nil, "currency JPY is not enabled", true},
		{"payment module missing", nil, func(c *Config) { c.PaymentModule = "nopay" }, "nopay", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSetup(t)
			client := s.client
			if tt.cfg != nil {
				cfg := s.fake.Config(s.server.URL)
				tt.cfg(&cfg)
				client = New(cfg)
			}
			order := testOrder(50)
			if tt.edit != nil {
				tt.edit(order)
			}
			_, err := client.CreateOrder(context.Background(), order)
			if !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want a permanent error with %q", err, tt.want)
			}
			if tt.noNew && len(s.fake.OrdersFor(50)) != 0 {
				t.Fatal("an order was created")
			}
		})
	}
}

func TestSkipStockCheckSendsTheOrderAnyway(t *testing.T) {
	s := newSetup(t)
	order := testOrder(51)
	order.Lines[1].Quantity = 3
	order.SkipStockCheck = true
	if _, err := s.client.CreateOrder(context.Background(), order); err != nil {
		t.Fatal(err)
	}
	if stock, _ := s.fake.Stock("TEE-M"); stock != -2 {
		t.Fatalf("stock %d", stock)
	}
}

func TestPaidCarrierMakesPaymentError(t *testing.T) {
	// Documents the quirk the free-carrier requirement avoids.
	s := newSetup(t)
	cfg := s.fake.Config(s.server.URL)
	cfg.CarrierID = 2
	id, err := New(cfg).CreateOrder(context.Background(), testOrder(52))
	if err != nil {
		t.Fatal(err)
	}
	if view, _ := s.fake.Order(id); view.Status != "Payment error" || view.Paid {
		t.Fatalf("view %+v", view)
	}
}

func TestShipmentsReadBack(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	s.fake.AddProduct(FakeProduct{SKU: "TEE-M", Name: "T-shirt", Price: "19.00", Stock: 10})
	s.fake.AddProduct(FakeProduct{SKU: "MUG-1", Name: "Mug", Price: "12.90", Stock: 10, EAN: "3700000000017"})
	var ids []string
	for i := int64(60); i < 63; i++ {
		id, err := s.client.CreateOrder(ctx, testOrder(i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	tracked, untracked, cancelled := ids[0], ids[1], ids[2]
	first, err := s.client.Shipments(ctx, "")
	if err != nil || len(first.Shipments) != 3 {
		t.Fatalf("first read %+v, %v", first, err)
	}
	for _, sh := range first.Shipments {
		if sh.Shipped || sh.Cancelled || sh.RawStatus != "11" {
			t.Fatalf("new order %+v", sh)
		}
	}
	if err := s.fake.Ship(tracked, "Colissimo", "6A123"); err != nil {
		t.Fatal(err)
	}
	if err := s.fake.Ship(untracked, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.fake.Cancel(cancelled); err != nil {
		t.Fatal(err)
	}
	byID := readShipments(t, s.client, first.Cursor)
	if sh := byID[tracked]; !sh.Shipped || sh.Carrier != "Colissimo" || sh.TrackingNumber != "6A123" ||
		sh.TrackingURL != "https://www.laposte.fr/outils/suivre-vos-envois?code=6A123" || sh.ShippedAt == nil {
		t.Fatalf("tracked %+v", sh)
	}
	if sh := byID[untracked]; !sh.Shipped || sh.TrackingNumber != "" || sh.TrackingURL != "" || sh.Carrier != "Marketplace orders" {
		t.Fatalf("untracked %+v", sh)
	}
	if sh := byID[cancelled]; !sh.Cancelled || sh.Shipped || sh.RawStatus != "6" {
		t.Fatalf("cancelled %+v", sh)
	}
	if stock, _ := s.fake.Stock("TEE-M"); stock != 10-3+1 {
		t.Fatalf("stock after cancel %d", stock)
	}
	next := first.Cursor
	for { // catch up
		page, _ := s.client.Shipments(ctx, next)
		next = page.Cursor
		if !page.More {
			break
		}
	}
	if err := s.fake.AddTracking(untracked, "DHL", "JD0001"); err != nil {
		t.Fatal(err)
	}
	byID = readShipments(t, s.client, next)
	if sh := byID[untracked]; sh.TrackingNumber != "JD0001" || sh.Carrier != "DHL" || !strings.HasSuffix(sh.TrackingURL, "tracking-id=JD0001") {
		t.Fatalf("tracking added later %+v", sh)
	}
}

func readShipments(t *testing.T, c *Client, cursor string) map[string]models.StoreShipment {
	t.Helper()
	byID := map[string]models.StoreShipment{}
	for {
		page, err := c.Shipments(context.Background(), cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range page.Shipments {
			byID[sh.StoreOrderID] = sh
		}
		cursor = page.Cursor
		if !page.More {
			return byID
		}
	}
}

func TestShipmentsPageWithinOneSecond(t *testing.T) {
	s := newSetup(t, WithPageSize(2))
	ctx := context.Background()
	s.fake.AddProduct(FakeProduct{SKU: "TEE-M", Name: "T-shirt", Price: "19.00", Stock: 10})
	s.fake.AddProduct(FakeProduct{SKU: "MUG-1", Name: "Mug", Price: "12.90", Stock: 10, EAN: "3700000000017"})
	for i := int64(0); i < 3; i++ {
		if _, err := s.client.CreateOrder(ctx, testOrder(70+i)); err != nil {
			t.Fatal(err)
		}
	}
	s.fake.mu.Lock()
	for _, r := range s.fake.tables["orders"].rows {
		r.v["date_upd"] = "2024-05-02 08:00:00"
	}
	s.fake.mu.Unlock()
	seen := map[string]bool{}
	cursor := `{"since":"2024-05-02 08:00:00"}`
	for i := 0; i < 5; i++ {
		page, err := s.client.Shipments(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range page.Shipments {
			seen[sh.StoreOrderID] = true
		}
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	if len(seen) != 3 {
		t.Fatalf("seen %v", seen)
	}
}

func TestCancelOrder(t *testing.T) {
	s := newSetup(t)
	ctx := context.Background()
	id, _ := s.client.CreateOrder(ctx, testOrder(80))
	if err := s.client.CancelOrder(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := s.client.CancelOrder(ctx, id); err != nil {
		t.Fatalf("second cancel: %v", err)
	}
	view, _ := s.fake.Order(id)
	if view.Status != "Canceled" {
		t.Fatalf("view %+v", view)
	}
	s.fake.mu.Lock()
	histories := 0
	for _, h := range s.fake.tables["order_histories"].rows {
		if h.v["id_order"] == id && h.v["id_order_state"] == "6" {
			histories++
		}
	}
	s.fake.mu.Unlock()
	if histories != 1 {
		t.Fatalf("%d cancel rows", histories)
	}
	if err := s.client.CancelOrder(ctx, "999"); !apiclient.IsPermanent(err) || apiclient.StatusOf(err) != 404 {
		t.Fatalf("unknown order: %v", err)
	}
}

func TestThrottlingAndServerErrorsAreRetried(t *testing.T) {
	s := newSetup(t)
	s.fake.Faults().ThrottleNext(apiclient.Match("GET", "/api/products"), 1, 3*time.Second)
	s.fake.Faults().FailNext(apiclient.Match("GET", "/api/products"), 1, http.StatusServiceUnavailable)
	if _, err := s.client.Products(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if len(s.waits) != 2 || s.waits[0] != 3*time.Second {
		t.Fatalf("waits %v, want Retry-After honoured first", s.waits)
	}
	s.fake.Faults().ThrottleNext(nil, 1, 10*time.Minute)
	_, err := s.client.Products(context.Background(), "")
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 10*time.Minute || apiclient.IsPermanent(err) {
		t.Fatalf("long throttle: %v", err)
	}
}

func TestKeyNeverRecorded(t *testing.T) {
	s := newSetup(t)
	rec := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), rec)
	if _, err := s.client.CreateOrder(ctx, testOrder(90)); err != nil {
		t.Fatal(err)
	}
	for _, e := range rec.Exchanges() {
		if strings.Contains(e.URL+e.RequestBody+e.ResponseBody, testKey) {
			t.Fatalf("key recorded in %+v", e)
		}
	}
	if len(rec.Exchanges()) == 0 {
		t.Fatal("nothing recorded")
	}
}
