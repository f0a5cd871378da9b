package woocommerce

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderhub/orderhub/jobs/apiclient/apitest"
)

// fakeShipmentAnswers are the fake shop's answers to a read of the shipments, for seeds.
func fakeShipmentAnswers(f *testing.F) [][]byte {
	fake := NewFake(testKey, testSecret)
	now := func() time.Time { return time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC) }
	fake.SetClock(now)
	fake.AddProduct(ProductSpec{Name: "Mug", SKU: "MUG-1", RegularPrice: "20.00", ManageStock: true, StockQuantity: 10})
	fake.AddProduct(ProductSpec{Name: "Poster", SKU: "POSTER-1", RegularPrice: "9.90"})
	server := httptest.NewServer(fake.Handler())
	defer server.Close()
	rec := &apitest.BodyRecorder{Base: server.Client().Transport}
	client := New(Config{BaseURL: server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret},
		WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: rec}), WithLimiter(rate.NewLimiter(rate.Inf, 0)), WithClock(now))
	ctx := context.Background()
	var ids []int64
	for n := int64(1); n <= 3; n++ {
		storeID, err := client.CreateOrder(ctx, marketplaceOrder(n))
		if err != nil {
			f.Fatal(err)
		}
		id, err := strconv.ParseInt(storeID, 10, 64)
		if err != nil {
			f.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := fake.CompleteOrder(ids[0], &TrackingItem{TrackingProvider: "ups", TrackingNumber: "1Z999AA10123456784"}); err != nil {
		f.Fatal(err)
	}
	if err := fake.CompleteOrder(ids[1], &TrackingItem{CustomTrackingProvider: "Transports Dupont", CustomTrackingLink: "https://dupont.example/t/%1$s?cp=%2$s", TrackingNumber: "DP-42"}); err != nil {
		f.Fatal(err)
	}
	if err := fake.SetOrderStatus(ids[2], "cancelled"); err != nil {
		f.Fatal(err)
	}
	before := len(rec.Bodies()) // the answers to the reads that follow
	if _, err := client.Shipments(ctx, ""); err != nil {
		f.Fatal(err)
	}
	return rec.Bodies()[before:]
}

// FuzzShipmentsAnswer serves any body as the shop's answer to the order list Shipments reads:
// an error, or a page whose cursor the next read takes.
func FuzzShipmentsAnswer(f *testing.F) {
	for _, body := range fakeShipmentAnswers(f) {
		f.Add(body)
	}
	f.Add([]byte(`[{"id":1,"status":"completed","date_modified_gmt":"9999-12-31T23:00:00-10:00","meta_data":[{"key":"_orderhub_order_id","value":"7"}]}]`))
	f.Add([]byte(`[{"id":1,"status":"completed","date_modified_gmt":"0001-01-01T00:30:00+01:00"}]`))
	f.Add([]byte(`[{"id":2,"status":"completed","meta_data":[{"key":"_wc_shipment_tracking_items","value":[{"tracking_number":"X","date_shipped":"-99999999999999"}]}]}]`))
	f.Add([]byte(`{"code":"woocommerce_rest_cannot_view","message":"Sorry"}`))
	answer := &apitest.Answer{}
	server := httptest.NewServer(answer)
	f.Cleanup(server.Close)
	noSleep := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	client := New(Config{BaseURL: server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret},
		WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: server.Client().Transport}),
		WithSleep(noSleep), WithLimiter(rate.NewLimiter(rate.Inf, 0)))
	f.Fuzz(func(t *testing.T, body []byte) {
		answer.Set(http.StatusOK, body)
		page, err := client.Shipments(context.Background(), "")
		if err != nil {
			return
		}
		if _, err := parseShipmentsCursor(page.Cursor); err != nil {
			t.Fatalf("the next read cannot take the cursor it is given: %v", err)
		}
	})
}
