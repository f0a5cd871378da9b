// Package demo runs orderhub against a fake Mirakl marketplace and a fake WooCommerce store,
// both served by the same process, with new orders arriving every few seconds, so that a
// newcomer sees the whole flow in the browser.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/marketplace/mirakl"
	"github.com/orderhub/orderhub/jobs/store/woocommerce"
	"github.com/orderhub/orderhub/models"
)

// The demo account.
const (
	MerchantName   = "Demo Outdoor"
	Email          = "demo@orderhub.test"
	Password       = "demo-password"
	ConnectionName = "Demo marketplace (Mirakl) → demo store (WooCommerce)"

	apiKey         = "demo-mirakl-key"
	consumerKey    = "ck_demo_key"
	consumerSecret = "cs_demo_secret"
)

// Options tune the demo.
type Options struct {
	// Every is how often a new order arrives (default 5 s).
	Every  time.Duration
	Logger *slog.Logger
}

// Demo is a running demo.
type Demo struct {
	Marketplace  *mirakl.Fake
	Store        *woocommerce.Fake
	StoreURL     string // the fake store, whose /demo page ships orders
	MerchantID   int64
	ConnectionID int64

	servers []*http.Server
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// Start serves the fakes, makes sure the demo merchant, user and connection exist (pointing at
// this run's fakes), and starts the stream of orders.
func Start(ctx context.Context, db *models.DB, sealer *models.Sealer, opts Options) (*Demo, error) {
	if opts.Every == 0 {
		opts.Every = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	d := &Demo{Marketplace: mirakl.NewFake(apiKey), Store: woocommerce.NewFake(consumerKey, consumerSecret)}
	stock(d.Store)

	marketplaceURL, err := d.serve(d.Marketplace.Handler())
	if err != nil {
		return nil, err
	}
	storeMux := http.NewServeMux()
	storeMux.Handle("/demo", shipPage(d.Store))
	storeMux.Handle("/", d.Store.Handler())
	if d.StoreURL, err = d.serve(storeMux); err != nil {
		d.Stop()
		return nil, err
	}
	if err := d.setup(ctx, db, sealer, marketplaceURL); err != nil {
		d.Stop()
		return nil, err
	}

	streamCtx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	d.wg.Add(1)
	go d.stream(streamCtx, opts.Every)
	opts.Logger.Info("demo running", "login", Email, "password", Password, "fake store (ship orders here)", d.StoreURL+"/demo")
	return d, nil
}

// Stop ends the order stream and the fakes.
func (d *Demo) Stop() {
	if d.cancel != nil {
		d.cancel()
	}
	d.wg.Wait()
	for _, s := range d.servers {
		_ = s.Close()
	}
}

func (d *Demo) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	server := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	d.servers = append(d.servers, server)
	go func() { _ = server.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

func (d *Demo) setup(ctx context.Context, db *models.DB, sealer *models.Sealer, marketplaceURL string) error {
	merchant, err := models.FindMerchantByName(ctx, db.Gorm, MerchantName)
	if errors.Is(err, models.ErrNotFound) {
		merchant, _, err = models.SignUp(ctx, db.Gorm, MerchantName, "Demo", Email, Password)
	}
	if err != nil {
		return fmt.Errorf("demo merchant: %w", err)
	}
	d.MerchantID = merchant.ID

	var c *models.Connection
	list, err := models.MerchantConnections(ctx, db.Gorm, merchant.ID)
	if err != nil {
		return err
	}
	for i := range list {
		if list[i].Name == ConnectionName {
			c = &list[i]
		}
	}
	now := time.Now()
	if c == nil {
		c = models.NewConnection(merchant.ID, ConnectionName, "mirakl")
		c.Country, c.StoreKind = "FR", "woocommerce"
		c.ActiveCountries = "FR,DE,IT,ES,BE"
		c.DefaultCarrierCode, c.DefaultCarrierName = "COLISSIMO", "Colissimo"
	}
	// The fakes listen on new ports each run, and start empty.
	c.MarketplaceSettings = fmt.Sprintf(`{"base_url":%q}`, marketplaceURL)
	c.StoreSettings = fmt.Sprintf(`{"base_url":%q}`, d.StoreURL)
	c.MarketplaceCursor, c.StoreCursor, c.CatalogueSyncedAt = "", "", nil
	c.PollIntervalSeconds = 2
	if err := c.SetMarketplaceCredentials(sealer, models.Credentials{"api_key": apiKey}); err != nil {
		return err
	}
	if err := c.SetStoreCredentials(sealer, models.Credentials{"consumer_key": consumerKey, "consumer_secret": consumerSecret}); err != nil {
		return err
	}
	if c.State != models.ConnectionActive {
		if err := c.Activate(now.Add(-time.Hour), now); err != nil {
			return err
		}
	}
	next := now.UTC()
	c.NextPollAt = &next
	if err := models.SaveConnection(ctx, db.Gorm, c); err != nil {
		return err
	}
	d.ConnectionID = c.ID
	return nil
}

// stream adds an order every interval; every fifth is blocked for one reason in turn.
func (d *Demo) stream(ctx context.Context, every time.Duration) {
	defer d.wg.Done()
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for n := 0; ; n++ {
		d.Marketplace.AddOrder(demoOrder(n))
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// demoOrder is a realistic order; some are made to be blocked, one reason after another.
func demoOrder(n int) mirakl.FakeOrder {
	order := mirakl.SampleOrder(n)
	if n%5 != 4 {
		return order
	}
	switch (n / 5) % 4 {
	case 0: // a SKU the store does not sell
		order.Lines[0].SKU, order.Lines[0].Title = "CAMP-STOVE-X", "Camping stove (not in the store)"
	case 1: // more than the store has
		order.Lines = []mirakl.FakeLine{{SKU: "LANTERN-LED", Title: "LED lantern", Quantity: 3, UnitPrice: "29.90", ShippingPrice: "4.90"}}
	case 2: // a country the connection does not serve
		order.Shipping.Country, order.Shipping.CountryISOCode, order.Shipping.City, order.Shipping.ZipCode = "Suisse", "CHE", "Genève", "1201"
	case 3: // no city
		order.Shipping.City = ""
	}
	return order
}

func stock(store *woocommerce.Fake) {
	for _, p := range []woocommerce.ProductSpec{
		{Name: "Ceramic mug, blue, 350 ml", SKU: "MUG-BLUE-350", RegularPrice: "12.90", ManageStock: true, StockQuantity: 500},
		{Name: "Organic cotton T-shirt, size M", SKU: "TSHIRT-ORG-M", RegularPrice: "24.50", ManageStock: true, StockQuantity: 500},
		{Name: "LED desk lamp, dimmable", SKU: "LAMP-DESK-01", RegularPrice: "39.99", ManageStock: true, StockQuantity: 500},
		{Name: "Stainless steel bottle, 750 ml", SKU: "BOTTLE-SS-750", RegularPrice: "19.99", ManageStock: true, StockQuantity: 500},
		{Name: "LED lantern", SKU: "LANTERN-LED", RegularPrice: "29.90", ManageStock: true, StockQuantity: 1},
	} {
		store.AddProduct(p)
	}
}
