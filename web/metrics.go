package web

import (
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/orderhub/orderhub/models"
)

// MetricsServer serves Prometheus metrics at /metrics: the process (memory, CPU, goroutines)
// and the statements sent to the database; and Go's profiles under /debug/pprof/. It listens on its own address (METRICS_ADDR), apart
// from the pages, because it has no login.
func MetricsServer(addr string) *http.Server {
	registry := prometheus.NewRegistry()
	registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "orderhub_db_statements_total",
			Help: "SQL statements sent to PostgreSQL by this process, BEGIN and COMMIT included.",
		}, func() float64 { return float64(models.Statements()) }),
	)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	// Go's profiler, to find where the time goes (go tool pprof http://METRICS_ADDR/debug/pprof/profile).
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
}
