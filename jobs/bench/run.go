package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/orderhub/orderhub/models"
)

// run is one benchmark or soak in progress.
type run struct {
	opts   Options
	db     *models.DB
	sealer *models.Sealer
	logDir string
	env    []string

	shops []*shop
	mu    sync.Mutex
	nodes []*node
	fed   int
}

func (r *run) close() {
	r.mu.Lock()
	nodes := r.nodes
	r.mu.Unlock()
	for _, n := range nodes {
		n.stop(30 * time.Second)
	}
	for _, s := range r.shops {
		s.close()
	}
}

func (r *run) execute(ctx context.Context) (*Report, error) {
	o := r.opts
	for i := range o.Connections {
		s, err := newShop(i, marketplaceOverlap, o.ShipAfter)
		if err != nil {
			return nil, err
		}
		r.shops = append(r.shops, s)
	}
	if err := r.createConnections(ctx); err != nil {
		return nil, err
	}
	for i := range o.Processes {
		n, err := startNode(ctx, fmt.Sprintf("orderhub-%d", i+1), o.Command, r.env, r.logDir)
		if err != nil {
			return nil, err
		}
		r.nodes = append(r.nodes, n)
	}
	if err := r.waitForCatalogues(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Out, "%d orders at %.0f/s into %d connections of %d merchants, %d orderhub process(es), poll every %s\n",
		o.Orders, o.Rate, o.Connections, o.Merchants, o.Processes, o.PollInterval)
	if off, err := autovacuumOff(ctx, r.db.SQL); err == nil && off {
		fmt.Fprintln(o.Out, "warning: autovacuum is off on this PostgreSQL server: dead rows pile up and the run slows down as it goes"+
			" (PostgreSQL's default is on: ALTER SYSTEM SET autovacuum = on; SELECT pg_reload_conf();)")
	}

	commitsBefore, err := commits(ctx, r.db.SQL)
	if err != nil {
		return nil, err
	}
	statementsBefore := r.statements()
	start := time.Now()
	feedDone := make(chan struct{})
	go func() {
		defer close(feedDone)
		r.feed(ctx, start)
	}()
	var soak *soakRun
	if o.Soak != nil {
		soak = r.startSoak(ctx, feedDone)
	}
	waitErr := r.waitForShipments(ctx, feedDone, soak)
	end := time.Now()
	for _, n := range r.liveNodes() {
		n.sampleRSS()
	}
	statementsAfter := r.statements()
	time.Sleep(1500 * time.Millisecond) // the server publishes its counters about once a second
	commitsAfter, err := commits(ctx, r.db.SQL)
	if err != nil {
		return nil, err
	}

	report := r.report(start, end)
	report.Commits = commitsAfter - commitsBefore
	if soak == nil {
		report.Statements = statementsAfter - statementsBefore
	}
	for _, n := range r.allNodes(soak) {
		report.PeakRSSBytes = max(report.PeakRSSBytes, n.peakRSS)
	}
	if soak != nil {
		soak.finish()
		report.Soak = soak.result
	}
	checkErr := r.checkInvariants(ctx, report)
	r.close()
	r.nodes = nil
	if o.PGBench > 0 {
		report.PGBench = runPGBench(ctx, o.DatabaseURL, o.PGBench)
	}
	return report, errors.Join(waitErr, checkErr)
}

// marketplaceOverlap is how far back the fake marketplaces reach before start_update_date.
// Mirakl subtracts such a delta without saying how much; a few seconds keep the re-reads
// (which orderhub must absorb) realistic at one poll a second.
const marketplaceOverlap = 3 * time.Second

func (r *run) createConnections(ctx context.Context) error {
	merchants := make([]int64, r.opts.Merchants)
	for i := range merchants {
		m, _, err := models.SignUp(ctx, r.db.Gorm, fmt.Sprintf("Bench merchant %d", i+1), "Bench", fmt.Sprintf("bench-%d@orderhub.test", i+1), "bench-password")
		if err != nil {
			return err
		}
		merchants[i] = m.ID
	}
	now := time.Now()
	for i, s := range r.shops {
		c := models.NewConnection(merchants[i%len(merchants)], fmt.Sprintf("Bench marketplace %d → bench store %d", i+1, i+1), "mirakl")
		c.Country, c.StoreKind = "FR", "woocommerce"
		c.DefaultCarrierCode, c.DefaultCarrierName = "COLISSIMO", "Colissimo"
		c.MarketplaceSettings = fmt.Sprintf(`{"base_url":%q,"requests_per_second":%d}`, s.marketplaceURL, apiRate)
		c.StoreSettings = fmt.Sprintf(`{"base_url":%q,"requests_per_second":%d}`, s.storeURL, apiRate)
		c.PollIntervalSeconds = int(r.opts.PollInterval / time.Second)
		if err := c.SetMarketplaceCredentials(r.sealer, models.Credentials{"api_key": s.apiKey}); err != nil {
			return err
		}
		if err := c.SetStoreCredentials(r.sealer, models.Credentials{"consumer_key": s.consumerKey, "consumer_secret": s.consumerSecret}); err != nil {
			return err
		}
		if err := c.Activate(now.Add(-time.Hour), now); err != nil {
			return err
		}
		if err := models.SaveConnection(ctx, r.db.Gorm, c); err != nil {
			return err
		}
	}
	return nil
}

// waitForCatalogues waits until every connection has read its store's products, so that the
// first orders are not blocked as unknown SKUs.
func (r *run) waitForCatalogues(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for {
		var n int64
		if err := r.db.Gorm.WithContext(ctx).Raw("SELECT count(DISTINCT connection_id) FROM products").Scan(&n).Error; err != nil {
			return err
		}
		if int(n) == len(r.shops) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d connections read their store's catalogue within a minute; see the logs in %s", n, len(r.shops), r.logDir)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// feed puts the orders on the marketplaces at the chosen rate, round-robin.
func (r *run) feed(ctx context.Context, start time.Time) {
	per := time.Duration(float64(time.Second) / r.opts.Rate)
	for k := range r.opts.Orders {
		if wait := time.Until(start.Add(time.Duration(k) * per)); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		r.shops[k%len(r.shops)].addOrder(k / len(r.shops))
		r.mu.Lock()
		r.fed++
		r.mu.Unlock()
	}
}

// counts tells how far the orders got.
func (r *run) counts() (fed, created, shipped, confirmed int) {
	r.mu.Lock()
	fed = r.fed
	r.mu.Unlock()
	for _, s := range r.shops {
		c, sh, co := s.progress()
		created, shipped, confirmed = created+c, shipped+sh, confirmed+co
	}
	return fed, created, shipped, confirmed
}

// waitForShipments waits until every order's shipment is confirmed on its marketplace,
// printing progress every few seconds.
func (r *run) waitForShipments(ctx context.Context, feedDone <-chan struct{}, soak *soakRun) error {
	deadline := time.Now().Add(r.opts.Timeout)
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	for {
		fed, created, shipped, confirmed := r.counts()
		if confirmed == r.opts.Orders {
			open, err := r.notFinal(ctx)
			if err != nil {
				return err
			}
			if len(open) == 0 {
				if soak != nil {
					soak.finished(time.Now())
				}
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			for _, n := range r.liveNodes() {
				n.sampleRSS()
			}
			fmt.Fprintf(r.opts.Out, "  %5.0fs  fed %d  in store %d  shipped %d  confirmed %d\n",
				time.Since(deadline.Add(-r.opts.Timeout)).Seconds(), fed, created, shipped, confirmed)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %s, %d of %d orders are not confirmed on their marketplace (fed %d, in store %d, shipped %d); see the logs in %s",
				r.opts.Timeout, r.opts.Orders-confirmed, r.opts.Orders, fed, created, shipped, r.logDir)
		}
	}
}

func (r *run) statements() float64 {
	total := 0.0
	for _, n := range r.liveNodes() {
		if v, err := n.statements(); err == nil {
			total += v
		}
	}
	return total
}

func (r *run) liveNodes() []*node {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*node(nil), r.nodes...)
}

func (r *run) allNodes(soak *soakRun) []*node {
	nodes := r.liveNodes()
	if soak != nil {
		nodes = append(nodes, soak.killedNodes()...)
	}
	return nodes
}

// apiRate is the calls per second orderhub may make to each fake (its default, 5, is meant
// for real shops on small servers); the fakes answer far more.
const apiRate = 2000
