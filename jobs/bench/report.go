package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

// Report is what a run measured.
type Report struct {
	Orders       int     `json:"orders"`
	Connections  int     `json:"connections"`
	Merchants    int     `json:"merchants"`
	Processes    int     `json:"processes"`
	FeedRate     float64 `json:"feed_rate_per_s"`
	PollInterval float64 `json:"poll_interval_s"`
	Seconds      float64 `json:"seconds"`
	// ToStore follows orders from available on the marketplace to created in the store;
	// ToMarketplace from shipped in the store to the shipment confirmed on the marketplace.
	ToStore       Direction `json:"to_store"`
	ToMarketplace Direction `json:"to_marketplace"`
	// Commits are the database's own count over the run (every process); Statements what the
	// orderhub processes sent (BEGIN and COMMIT included; not counted in a soak, whose
	// processes are killed).
	Commits            int64          `json:"commits"`
	Statements         float64        `json:"statements,omitempty"`
	CommitsPerOrder    float64        `json:"commits_per_order"`
	StatementsPerOrder float64        `json:"statements_per_order,omitempty"`
	PeakRSSBytes       int64          `json:"peak_rss_bytes"`
	PGBench            *PGBenchResult `json:"pgbench,omitempty"`
	Soak               *SoakResult    `json:"soak,omitempty"`
	Checks             []Check        `json:"checks"`
}

// Direction is the throughput and latency of one way.
type Direction struct {
	OrdersPerSecond float64 `json:"orders_per_s"`
	P50ms           float64 `json:"p50_ms"`
	P95ms           float64 `json:"p95_ms"`
	P99ms           float64 `json:"p99_ms"`
	MaxMs           float64 `json:"max_ms"`
	Count           int     `json:"count"`
}

// Check is one invariant verified at the end.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

func (r *run) report(start, end time.Time) *Report {
	o := r.opts
	rep := &Report{Orders: o.Orders, Connections: o.Connections, Merchants: o.Merchants, Processes: o.Processes,
		FeedRate: o.Rate, PollInterval: o.PollInterval.Seconds(), Seconds: end.Sub(start).Seconds()}
	var toStore, toMarketplace []time.Duration
	var firstAvailable, lastCreated, firstShipped, lastConfirmed time.Time
	for _, s := range r.shops {
		for _, t := range s.snapshot() {
			if !t.available.IsZero() && (firstAvailable.IsZero() || t.available.Before(firstAvailable)) {
				firstAvailable = t.available
			}
			if !t.created.IsZero() {
				toStore = append(toStore, t.created.Sub(t.available))
				lastCreated = latest(lastCreated, t.created)
			}
			if !t.shipped.IsZero() && (firstShipped.IsZero() || t.shipped.Before(firstShipped)) {
				firstShipped = t.shipped
			}
			if !t.confirmed.IsZero() && !t.shipped.IsZero() {
				toMarketplace = append(toMarketplace, t.confirmed.Sub(t.shipped))
				lastConfirmed = latest(lastConfirmed, t.confirmed)
			}
		}
	}
	rep.ToStore = direction(toStore, lastCreated.Sub(firstAvailable))
	rep.ToMarketplace = direction(toMarketplace, lastConfirmed.Sub(firstShipped))
	return rep
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func direction(latencies []time.Duration, span time.Duration) Direction {
	d := Direction{Count: len(latencies)}
	if len(latencies) == 0 {
		return d
	}
	slices.Sort(latencies)
	at := func(q float64) float64 {
		i := int(q*float64(len(latencies))+0.5) - 1
		return ms(latencies[min(max(i, 0), len(latencies)-1)])
	}
	d.P50ms, d.P95ms, d.P99ms, d.MaxMs = at(0.50), at(0.95), at(0.99), ms(latencies[len(latencies)-1])
	if span > 0 {
		d.OrdersPerSecond = float64(len(latencies)) / span.Seconds()
	}
	return d
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (rep *Report) finish() {
	if rep.Orders > 0 {
		rep.CommitsPerOrder = float64(rep.Commits) / float64(rep.Orders)
		rep.StatementsPerOrder = rep.Statements / float64(rep.Orders)
	}
}

func (rep *Report) print(w io.Writer) {
	rep.finish()
	fmt.Fprintf(w, "\n%d orders, %d connections, %d merchants, %d process(es), fed at %.0f/s, poll every %.0fs, %.1fs in all\n",
		rep.Orders, rep.Connections, rep.Merchants, rep.Processes, rep.FeedRate, rep.PollInterval, rep.Seconds)
	fmt.Fprintf(w, "%-34s %10s %9s %9s %9s %9s\n", "direction", "orders/s", "p50", "p95", "p99", "max")
	for _, row := range []struct {
		name string
		d    Direction
	}{{"marketplace → store (created)", rep.ToStore}, {"store → marketplace (confirmed)", rep.ToMarketplace}} {
		fmt.Fprintf(w, "%-34s %10.1f %8.0fms %8.0fms %8.0fms %8.0fms\n", row.name, row.d.OrdersPerSecond, row.d.P50ms, row.d.P95ms, row.d.P99ms, row.d.MaxMs)
	}
	fmt.Fprintf(w, "database: %.1f commits per order", rep.CommitsPerOrder)
	if rep.StatementsPerOrder > 0 {
		fmt.Fprintf(w, ", %.1f statements per order", rep.StatementsPerOrder)
	}
	fmt.Fprintf(w, "\npeak RSS of an orderhub process: %.0f MB\n", float64(rep.PeakRSSBytes)/(1<<20))
	if rep.PGBench != nil {
		rep.PGBench.print(w)
		if rep.PGBench.TPS > 0 && rep.Seconds > 0 {
			fmt.Fprintf(w, "orderhub used %.0f commits/s, %.0f%% of pgbench's TPC-B rate on this server\n",
				float64(rep.Commits)/rep.Seconds, 100*float64(rep.Commits)/rep.Seconds/rep.PGBench.TPS)
		}
	}
	if rep.Soak != nil {
		rep.Soak.print(w)
	}
	for _, c := range rep.Checks {
		mark := "ok  "
		if !c.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s %s: %s\n", mark, c.Name, c.Detail)
	}
}

func (rep *Report) writeJSON(w io.Writer) error {
	rep.finish()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
