package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
)

// shop is one merchant's pair of fakes for one connection: a Mirakl shop and a WooCommerce
// store, each on its own loopback listener, with the moments that matter recorded per order:
// available on the marketplace, created in the store, shipped in the store, shipment
// confirmed on the marketplace.
type shop struct {
	index          int
	marketplace    *mirakl.Fake
	store          *woocommerce.Fake
	marketplaceURL string
	storeURL       string
	apiKey         string
	consumerKey    string
	consumerSecret string
	servers        []*http.Server

	// faults sit in front of both fakes, outside the recording, so that an answer lost on the
	// way back is still recorded as done.
	faults    apiclient.Faults
	shipAfter time.Duration // how long the merchant takes to ship a new store order

	mu                          sync.Mutex
	orders                      map[string]*timeline // by marketplace order id
	created, shipped, confirmed int                  // orders that got that far
	errs                        []error
}

// timeline is what happened to one order, as seen from the outside.
type timeline struct {
	available, created, shipped, confirmed time.Time
	storeOrderID                           int64
	createAnswers                          int // store creations answered (more than one: a duplicate)
}

// benchProducts are the SKUs every fake store sells, with stock that never runs out.
var benchProducts = []woocommerce.ProductSpec{
	{Name: "Ceramic mug, blue, 350 ml", SKU: "MUG-BLUE-350", RegularPrice: "12.90", ManageStock: true, StockQuantity: 100_000_000},
	{Name: "Organic cotton T-shirt, size M", SKU: "TSHIRT-ORG-M", RegularPrice: "24.50", ManageStock: true, StockQuantity: 100_000_000},
	{Name: "LED desk lamp, dimmable", SKU: "LAMP-DESK-01", RegularPrice: "39.99", ManageStock: true, StockQuantity: 100_000_000},
	{Name: "Stainless steel bottle, 750 ml", SKU: "BOTTLE-SS-750", RegularPrice: "19.99", ManageStock: true, StockQuantity: 100_000_000},
}

func newShop(index int, updateDelta, shipAfter time.Duration) (*shop, error) {
	s := &shop{
		index:          index,
		apiKey:         fmt.Sprintf("bench-mirakl-key-%d", index),
		consumerKey:    fmt.Sprintf("ck_bench_%d", index),
		consumerSecret: fmt.Sprintf("cs_bench_%d", index),
		orders:         map[string]*timeline{},
		shipAfter:      shipAfter,
	}
	s.marketplace = mirakl.NewFake(s.apiKey)
	s.marketplace.SetUpdateDelta(updateDelta)
	s.store = woocommerce.NewFake(s.consumerKey, s.consumerSecret)
	for _, p := range benchProducts {
		s.store.AddProduct(p)
	}
	var err error
	if s.marketplaceURL, err = s.serve(s.faults.Wrap(s.watchMarketplace(s.marketplace.Handler()))); err != nil {
		return nil, err
	}
	if s.storeURL, err = s.serve(s.faults.Wrap(s.watchStore(s.store.Handler()))); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *shop) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	server := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	s.servers = append(s.servers, server)
	go func() { _ = server.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

func (s *shop) close() {
	for _, server := range s.servers {
		_ = server.Close()
	}
}

// addOrder puts the n-th order on the marketplace and notes when it became available.
func (s *shop) addOrder(n int) string {
	spec := mirakl.SampleOrder(n)
	spec.ID = fmt.Sprintf("B%d-%07d-A", s.index, n)
	s.mu.Lock()
	s.orders[spec.ID] = &timeline{}
	s.mu.Unlock()
	id := s.marketplace.AddOrder(spec)
	s.mu.Lock()
	s.orders[id].available = time.Now()
	s.mu.Unlock()
	return id
}

// watchMarketplace notes when the marketplace confirms a shipment (OR24 answered 204).
func (s *shop) watchMarketplace(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut || !strings.HasSuffix(r.URL.Path, "/ship") {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status/100 == 2 {
			s.mu.Lock()
			if t := s.orders[r.PathValue("order_id")]; t != nil && t.confirmed.IsZero() {
				t.confirmed = time.Now()
				s.confirmed++
			}
			s.mu.Unlock()
		}
	})
}

// watchStore notes when the store answers an order creation, and hands the new order to the
// merchant to ship.
func (s *shop) watchStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/orders") {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, keep: true}
		next.ServeHTTP(rec, r)
		if rec.status != http.StatusCreated {
			return
		}
		var created struct {
			ID       int64 `json:"id"`
			MetaData []struct {
				Key   string `json:"key"`
				Value any    `json:"value"`
			} `json:"meta_data"`
		}
		if json.Unmarshal(rec.body.Bytes(), &created) != nil {
			return
		}
		for _, meta := range created.MetaData {
			if meta.Key == "_orderhub_marketplace_order_id" {
				s.noteCreated(fmt.Sprint(meta.Value), created.ID)
			}
		}
	})
}

func (s *shop) noteCreated(marketplaceOrderID string, storeOrderID int64) {
	now := time.Now()
	s.mu.Lock()
	t := s.orders[marketplaceOrderID]
	first := false
	if t != nil {
		t.createAnswers++
		if t.created.IsZero() {
			t.created, t.storeOrderID, first = now, storeOrderID, true
			s.created++
		}
	}
	s.mu.Unlock()
	if first {
		time.AfterFunc(s.shipAfter, func() { s.shipInStore(marketplaceOrderID, storeOrderID) })
	}
}

// shipInStore completes a store order with a Colissimo tracking number, as the merchant does
// in the WooCommerce admin, and notes when.
func (s *shop) shipInStore(marketplaceOrderID string, storeOrderID int64) {
	tracking := &woocommerce.TrackingItem{TrackingProvider: "colissimo", TrackingNumber: trackingNumber(marketplaceOrderID)}
	err := s.store.CompleteOrder(storeOrderID, tracking)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs = append(s.errs, fmt.Errorf("shipping store order %d: %w", storeOrderID, err))
		return
	}
	if t := s.orders[marketplaceOrderID]; t != nil {
		t.shipped = time.Now()
		s.shipped++
	}
}

// trackingNumber is the Colissimo number the merchant types for an order.
func trackingNumber(marketplaceOrderID string) string {
	return "6A" + strings.NewReplacer("B", "", "-A", "", "-", "").Replace(marketplaceOrderID)
}

// progress returns how many orders reached the store, were shipped and were confirmed.
func (s *shop) progress() (created, shipped, confirmed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created, s.shipped, s.confirmed
}

// snapshot copies the timelines.
func (s *shop) snapshot() map[string]timeline {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]timeline, len(s.orders))
	for id, t := range s.orders {
		out[id] = *t
	}
	return out
}

// statusRecorder passes a response through and keeps its status (and body when asked).
type statusRecorder struct {
	http.ResponseWriter
	status int
	keep   bool
	body   bytes.Buffer
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.keep {
		r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}
