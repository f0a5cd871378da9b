package bench

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// PGBenchResult is PostgreSQL's own TPC-B-like rate on the same server, so that orderhub's
// figures read as a share of what the database can do.
type PGBenchResult struct {
	TPS     float64 `json:"tps"`
	Clients int     `json:"clients"`
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+)`)

// runPGBench runs pgbench (scale 10, 4 clients) on a scratch database for d.
func runPGBench(ctx context.Context, serverURL string, d time.Duration) *PGBenchResult {
	res := &PGBenchResult{Clients: 4, Seconds: d.Seconds()}
	binary, err := findPGBench()
	if err != nil {
		res.Error = err.Error()
		return res
	}
	dbURL, drop, err := scratchDatabase(ctx, serverURL, "orderhub_pgbench")
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer drop()
	if out, err := exec.CommandContext(ctx, binary, "-i", "-q", "-s", "10", dbURL).CombinedOutput(); err != nil {
		res.Error = fmt.Sprintf("pgbench -i: %v: %s", err, out)
		return res
	}
	out, err := exec.CommandContext(ctx, binary, "-c", strconv.Itoa(res.Clients), "-j", "2", "-T", strconv.Itoa(int(d.Seconds())), dbURL).CombinedOutput()
	if err != nil {
		res.Error = fmt.Sprintf("pgbench: %v: %s", err, out)
		return res
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		res.Error = "no tps in pgbench's output: " + string(out)
		return res
	}
	res.TPS, _ = strconv.ParseFloat(string(m[1]), 64)
	return res
}

func findPGBench() (string, error) {
	if path, err := exec.LookPath("pgbench"); err == nil {
		return path, nil
	}
	if matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench"); len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	return "", fmt.Errorf("pgbench not found (Debian: apt-get install postgresql-contrib or postgresql-client)")
}

func (p *PGBenchResult) print(w io.Writer) {
	if p.Error != "" {
		fmt.Fprintf(w, "pgbench: not measured: %s\n", p.Error)
		return
	}
	fmt.Fprintf(w, "pgbench (TPC-B, scale 10, %d clients, %.0fs) on the same server: %.0f transactions/s\n", p.Clients, p.Seconds, p.TPS)
}
