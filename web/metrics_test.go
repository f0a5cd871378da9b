package web_test

import (
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
	"github.com/orderhub/orderhub/web"
)

var statementsLine = regexp.MustCompile(`(?m)^orderhub_db_statements_total ([0-9.e+]+)$`)

func scrapeStatements(t *testing.T, url string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	m := statementsLine.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no orderhub_db_statements_total in:\n%s", body)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^process_resident_memory_bytes `).Match(body) {
		t.Fatal("no process_resident_memory_bytes: the process metrics are missing")
	}
	return v
}

func TestMetricsCountDatabaseStatements(t *testing.T) {
	db := testdb.Open(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := web.MetricsServer(ln.Addr().String())
	go server.Serve(ln)
	t.Cleanup(func() { server.Close() })
	url := "http://" + ln.Addr().String() + "/metrics"

	before := scrapeStatements(t, url)
	for range 5 {
		if err := db.Gorm.Exec("SELECT 1").Error; err != nil {
			t.Fatal(err)
		}
	}
	after := scrapeStatements(t, url)
	if db.Dialect == models.DialectPostgres && after-before < 5 {
		t.Fatalf("5 statements sent, the counter moved by %v", after-before)
	}
	if db.Dialect == models.DialectSQLite && after != before {
		t.Fatalf("the counter moved by %v on SQLite, where it counts nothing", after-before)
	}
}
