package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// clock is real time moved by an offset, so that waits of hours pass in a test.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

const testSecretKey = "0123456789abcdef0123456789abcdef"

// flow is orderhub's engine between a fake marketplace (Mirakl unless said otherwise) and a
// fake WooCommerce store.
type flow struct {
	t       *testing.T
	db      *models.DB
	runner  *jobs.Runner
	market  *market
	mirakl  *mirakl.Fake // the market's fake when it is Mirakl
	shop    *shop
	store   *woocommerce.Fake // the shop's fake when it is WooCommerce
	conn    *models.Connection
	sealer  *models.Sealer
	clock   *clock
	started bool

	postgresURL, sqlitePath string // where another process finds the database
}

func newFlow(t *testing.T, configure ...func(c *models.Connection)) *flow {
	t.Helper()
	return newMarketFlow(t, openMirakl(t), configure...)
}

// newMarketFlow is the engine between the given marketplace fake and a fake WooCommerce
// store, on an active connection.
func newMarketFlow(t *testing.T, m *market, configure ...func(c *models.Connection)) *flow {
	t.Helper()
	return newFlowBetween(t, m, openWoo(t), configure...)
}

// newFlowBetween is the engine between the given marketplace and store fakes, on an active
// connection. The store sells a mug and a T-shirt (20 each) and one desk lamp.
func newFlowBetween(t *testing.T, m *market, s *shop, configure ...func(c *models.Connection)) *flow {
	t.Helper()
	db, postgresURL, sqlitePath := testdb.OpenSource(t)
	ctx := context.Background()
	f := &flow{t: t, db: db, clock: &clock{}, postgresURL: postgresURL, sqlitePath: sqlitePath,
		market: m, mirakl: m.mirakl, shop: s, store: s.woo}
	s.addProduct("MUG-BLUE-350", "Ceramic mug", "12.90", 20)
	s.addProduct("TSHIRT-ORG-M", "T-shirt", "24.50", 20)
	s.addProduct("LAMP-DESK-01", "Desk lamp", "39.99", 1)

	sealer, err := models.NewSealer([]byte(testSecretKey))
	if err != nil {
		t.Fatal(err)
	}
	merchant, _, err := models.SignUp(ctx, db.Gorm, "Acme", "", "admin@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	c := models.NewConnection(merchant.ID, "Marketplace "+m.kind, m.kind)
	c.MarketplaceSettings = m.settings
	c.StoreKind, c.StoreSettings = s.kind, s.settings
	c.PollIntervalSeconds = 1
	c.DefaultCarrierCode, c.DefaultCarrierName = "GLS", "GLS"
	if err := c.SetMarketplaceCredentials(sealer, m.credentials); err != nil {
		t.Fatal(err)
	}
	if err := c.SetStoreCredentials(sealer, s.credentials); err != nil {
		t.Fatal(err)
	}
	for _, configure := range configure {
		configure(c)
	}
	if err := c.Activate(time.Now().Add(-time.Hour), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveConnection(ctx, db.Gorm, c); err != nil {
		t.Fatal(err)
	}
	f.conn, f.sealer = c, sealer
	f.runner = f.newRunner(jobs.NewRegistry(sealer))
	return f
}

func (f *flow) newRunner(connectors jobs.Connectors) *jobs.Runner {
	f.t.Helper()
	runner, err := jobs.New(f.db, jobs.Options{
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		Connectors:   connectors,
		Now:          f.clock.Now,
		PollInterval: 100 * time.Millisecond, DispatchInterval: time.Second, SweepInterval: time.Second,
		CreateSettle: 2 * time.Second,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return runner
}

// start syncs the catalogue, then starts the jobs.
func (f *flow) start() {
	f.t.Helper()
	f.enqueue(jobs.SyncCatalogueArgs{ConnectionID: f.conn.ID})
	if err := f.runner.Start(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { _ = f.runner.Stop(10 * time.Second) })
	f.waitFor("the catalogue to be synced", func() bool {
		var n int64
		f.db.Gorm.Model(&models.Product{}).Where("connection_id = ?", f.conn.ID).Count(&n)
		return n == 3
	})
}

func (f *flow) enqueue(args interface{ Kind() string }) {
	f.t.Helper()
	err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
		_, err := f.runner.Enqueue(context.Background(), tx, args.(jobArgs), nil)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

type jobArgs = interface{ Kind() string }

// order reads orderhub's copy of a marketplace order; nil until imported.
func (f *flow) order(marketplaceID string) *models.Order {
	var o models.Order
	err := f.db.Gorm.Preload("Lines").Where("connection_id = ? AND marketplace_order_id = ?", f.conn.ID, marketplaceID).First(&o).Error
	if err != nil {
		return nil
	}
	return &o
}

func (f *flow) waitFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			f.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitForOrder waits until the order satisfies cond and returns it.
func (f *flow) waitForOrder(marketplaceID, what string, cond func(o *models.Order) bool) *models.Order {
	f.t.Helper()
	var last *models.Order
	deadline := time.Now().Add(45 * time.Second)
	for {
		last = f.order(marketplaceID)
		if last != nil && cond(last) {
			return last
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("timed out waiting for order %s to be %s; it is %s", marketplaceID, what, describe(f, last))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func describe(f *flow, o *models.Order) string {
	if o == nil {
		return "not imported"
	}
	events, _ := models.OrderEvents(context.Background(), f.db.Gorm, o.MerchantID, o.ID)
	var lines []string
	for _, e := range events {
		lines = append(lines, e.Kind+": "+e.Message)
	}
	var jobs []string
	f.db.Gorm.Raw("SELECT kind || ' ' || state || ' attempt ' || CAST(attempt AS TEXT) || ' ' || COALESCE(CAST(errors AS TEXT), '') FROM river_job WHERE kind IN ('process_order', 'decide_order') ORDER BY id").Scan(&jobs)
	return fmt.Sprintf("status %s, store %s (%s), shipment %s (%s); timeline:\n  %s\njobs:\n  %s",
		o.Status, o.StoreState, o.StoreBlockedMessage, o.ShipmentState, o.ShipmentBlockedMessage, strings.Join(lines, "\n  "), strings.Join(jobs, "\n  "))
}

// storeOrders are the fake store's orders made by orderhub for a marketplace order.
func (f *flow) storeOrders(o *models.Order) []woocommerce.FakeOrder {
	var found []woocommerce.FakeOrder
	for _, so := range f.store.Orders() {
		for _, m := range so.MetaData {
			if m.Key == "_orderhub_order_id" && fmt.Sprint(metaValue(m.Value)) == fmt.Sprint(o.ID) {
				found = append(found, so)
			}
		}
	}
	return found
}

func metaValue(v any) any {
	if raw, ok := v.(json.RawMessage); ok {
		var s any
		_ = json.Unmarshal(raw, &s)
		return s
	}
	return v
}

func storeID(t *testing.T, o *models.Order) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(o.StoreOrderID, &id); err != nil {
		t.Fatalf("store order id %q: %v", o.StoreOrderID, err)
	}
	return id
}

func TestOrderFlowsToTheStoreAndItsShipmentBack(t *testing.T) {
	f := newFlow(t)
	f.start()
	id := f.mirakl.AddOrder(mirakl.SampleOrder(0))

	o := f.waitForOrder(id, "in the store", func(o *models.Order) bool { return o.StoreState == models.StoreImported })
	if o.Status != models.StatusWaitingShipment || o.Shipping.Country != "FR" || o.Shipping.City == "" {
		t.Fatalf("imported order: %s, shipping %+v", o.Status, o.Shipping)
	}
	created := f.storeOrders(o)
	if len(created) != 1 || fmt.Sprint(created[0].ID) != o.StoreOrderID {
		t.Fatalf("store orders for %s: %d", id, len(created))
	}
	if snap, _ := f.mirakl.Order(id); snap.State != "SHIPPING" {
		t.Fatalf("marketplace state %s, want SHIPPING after auto-accept", snap.State)
	}

	if err := f.store.CompleteOrder(storeID(t, o), &woocommerce.TrackingItem{TrackingProvider: "colissimo", TrackingNumber: "6A12345678901"}); err != nil {
		t.Fatal(err)
	}
	o = f.waitForOrder(id, "shipped", func(o *models.Order) bool {
		return o.Status == models.StatusShipped && o.ShipmentState == models.ShipmentConfirmed
	})
	if o.CarrierCode != "COLISSIMO" || o.TrackingNumber != "6A12345678901" {
		t.Fatalf("sent carrier %q tracking %q", o.CarrierCode, o.TrackingNumber)
	}
	if n := f.mirakl.ShipCalls(id); n != 1 {
		t.Fatalf("the marketplace saw %d shipments", n)
	}
	snap, _ := f.mirakl.Order(id)
	if snap.State != "SHIPPED" || snap.CarrierCode != "COLISSIMO" || snap.TrackingNumber != "6A12345678901" {
		t.Fatalf("marketplace holds %+v", snap)
	}
	events, _ := models.OrderEvents(context.Background(), f.db.Gorm, o.MerchantID, o.ID)
	raw, _ := json.Marshal(events)
	for _, secret := range []string{"mk-secret-key", "cs_test_secret"} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("the timeline holds the secret %q", secret)
		}
	}
	var withExchanges int
	for _, e := range events {
		if len(e.ExchangeList()) > 0 {
			withExchanges++
		}
	}
	if withExchanges < 3 {
		t.Fatalf("only %d timeline events carry API exchanges:\n%s", withExchanges, describe(f, o))
	}
}
