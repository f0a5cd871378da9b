// Package vendureserver starts a real Vendure 3.7.3 store (Node.js, sql.js in memory) for Go
// tests, and offers a few Admin GraphQL helpers to seed it and read it back.
//
// The Node.js project lives in jobs/store/vendure/testdata/server (package.json,
// package-lock.json, server.js). Start installs it with `npm ci` when needed, boots
// `node server.js` on a free loopback port and stops it when the test ends. Every Start gives an
// empty store: call Seed before creating orders.
//
// Without Node.js the calling test is skipped, except when CI is set or
// ORDERHUB_REQUIRE_VENDURE=1, where it fails.
package vendureserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// DefaultUsername and DefaultPassword are the superadmin credentials server.js uses.
	DefaultUsername = "superadmin"
	DefaultPassword = "superadmin"

	bootTimeout    = 90 * time.Second
	npmCITimeout   = 10 * time.Minute
	stopGrace      = 3 * time.Second
	maxOutputBytes = 1 << 20
)

// Server is one running Vendure process.
type Server struct {
	// AdminURL is the Admin GraphQL endpoint, http://127.0.0.1:PORT/admin-api.
	AdminURL string
	// ShopURL is the Shop GraphQL endpoint, http://127.0.0.1:PORT/shop-api.
	ShopURL string
	// Username and Password are the superadmin credentials.
	Username string
	Password string
	// Port is the loopback port the server listens on; PID is the node process id.
	Port int
	PID  int

	client *http.Client
	output *outputBuffer

	mu     sync.Mutex
	token  string
	seeded bool
}

// Dir is the folder holding package.json, package-lock.json and server.js, found next to this
// package's source so it works from any test package. (Built with -trimpath, the source path is
// not a file path: then it is found under the module root above the working directory.)
func Dir() string {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Join(filepath.Dir(file), "..", "testdata", "server")
		if _, err := os.Stat(filepath.Join(dir, "server.js")); err == nil {
			return dir
		}
	}
	rel := filepath.Join("jobs", "store", "vendure", "testdata", "server")
	wd, err := os.Getwd()
	if err != nil {
		return rel
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, rel)
		}
		if filepath.Dir(dir) == dir {
			return rel
		}
	}
}

// Start boots a fresh, empty Vendure store and stops it in t.Cleanup. It skips the test when
// Node.js (node and npm) is missing, unless CI is set or ORDERHUB_REQUIRE_VENDURE=1.
func Start(t testing.TB) *Server {
	t.Helper()
	node, npm := findNode(t)
	dir := Dir()
	took, err := ensureDependencies(npm, dir)
	if err != nil {
		t.Fatalf("vendureserver: %v", err)
	}
	if took > 0 {
		t.Logf("vendureserver: npm ci in %s took %s", dir, took.Round(100*time.Millisecond))
	}

	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		s, retry, err := start(t, node, dir)
		if err == nil {
			return s
		}
		lastErr = err
		if !retry {
			break
		}
	}
	t.Fatalf("vendureserver: %v", lastErr)
	return nil
}

// required reports whether a missing Node.js must fail the test rather than skip it.
func required() bool {
	return os.Getenv("CI") != "" || os.Getenv("ORDERHUB_REQUIRE_VENDURE") == "1"
}

func findNode(t testing.TB) (node, npm string) {
	t.Helper()
	var missing []string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node")
	}
	npm, err = exec.LookPath("npm")
	if err != nil {
		missing = append(missing, "npm")
	}
	if len(missing) == 0 {
		return node, npm
	}
	msg := fmt.Sprintf("Vendure test store needs Node.js: %s not found in PATH (install Node.js 20+ with npm)",
		strings.Join(missing, " and "))
	if required() {
		t.Fatalf("%s; CI or ORDERHUB_REQUIRE_VENDURE=1 is set, so this test must run", msg)
	}
	t.Skipf("%s; skipped (set ORDERHUB_REQUIRE_VENDURE=1 to make this a failure)", msg)
	return "", ""
}

// Dependencies are installed at most once per process, and under a file lock across processes
// (go test runs one binary per package, possibly in parallel).
var deps struct {
	mu   sync.Mutex
	done bool
	err  error
}

// ensureDependencies returns how long npm ci took, zero when it did not run.
func ensureDependencies(npm, dir string) (time.Duration, error) {
	deps.mu.Lock()
	defer deps.mu.Unlock()
	if deps.done {
		return 0, deps.err
	}
	took, err := installDependencies(npm, dir)
	deps.done, deps.err = true, err
	return took, err
}

const stampName = ".orderhub-npm-ci"

func installDependencies(npm, dir string) (time.Duration, error) {
	unlock, err := lockFile(filepath.Join(dir, ".npm-ci.lock"))
	if err != nil {
		return 0, fmt.Errorf("lock %s: %w", dir, err)
	}
	defer unlock()

	lockPath := filepath.Join(dir, "package-lock.json")
	lockData, err := os.ReadFile(lockPath)
	if err != nil {
		return 0, fmt.Errorf("read lockfile: %w", err)
	}
	sum := sha256.Sum256(lockData)
	want := hex.EncodeToString(sum[:])
	if upToDate(dir, lockPath, want) {
		return 0, nil
	}

	ctx, cancel := context.WithTimeout(context.Background(), npmCITimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"npm_config_update_notifier=false",
		"npm_config_fund=false",
		"npm_config_audit=false",
	)
	started := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(started)
	if err != nil {
		return took, fmt.Errorf("npm ci in %s failed after %s: %v\n%s", dir, took.Round(time.Second), err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, "node_modules", stampName), []byte(want+"\n"), 0o644); err != nil {
		return took, fmt.Errorf("write install stamp: %w", err)
	}
	return took, nil
}

// upToDate reports whether node_modules matches package-lock.json: our stamp holds the
// lockfile's hash, or (installed by hand) npm's own node_modules/.package-lock.json is newer.
func upToDate(dir, lockPath, want string) bool {
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@vendure", "core", "package.json")); err != nil {
		return false
	}
	if stamp, err := os.ReadFile(filepath.Join(dir, "node_modules", stampName)); err == nil {
		return strings.TrimSpace(string(stamp)) == want
	}
	lockInfo, err := os.Stat(lockPath)
	if err != nil {
		return false
	}
	hidden, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json"))
	return err == nil && !hidden.ModTime().Before(lockInfo.ModTime())
}

// start makes one attempt; retry is true when the port was taken in between.
func start(t testing.TB, node, dir string) (s *Server, retry bool, err error) {
	t.Helper()
	port, err := freePort()
	if err != nil {
		return nil, false, err
	}
	out := &outputBuffer{}
	cmd := exec.Command(node, "server.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PORT="+strconv.Itoa(port),
		"VENDURE_DISABLE_TELEMETRY=true",
		"SUPERADMIN_USERNAME="+DefaultUsername,
		"SUPERADMIN_PASSWORD="+DefaultPassword,
	)
	cmd.Stdout = out
	cmd.Stderr = out
	setProcessGroup(cmd)
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, false, fmt.Errorf("start node server.js: %w", err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	stop := func() {
		select {
		case <-exited:
			return
		default:
		}
		signalGroup(cmd, false)
		select {
		case <-exited:
		case <-time.After(stopGrace):
			signalGroup(cmd, true)
			<-exited
		}
	}

	s = &Server{
		AdminURL: fmt.Sprintf("http://127.0.0.1:%d/admin-api", port),
		ShopURL:  fmt.Sprintf("http://127.0.0.1:%d/shop-api", port),
		Username: DefaultUsername,
		Password: DefaultPassword,
		Port:     port,
		PID:      cmd.Process.Pid,
		client:   &http.Client{Timeout: 30 * time.Second},
		output:   out,
	}

	deadline := time.NewTimer(bootTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-exited:
			text := out.String()
			return nil, strings.Contains(text, "EADDRINUSE"),
				fmt.Errorf("node server.js exited before it was ready (%v); output:\n%s", waitErr, text)
		case <-deadline.C:
			stop()
			return nil, false, fmt.Errorf("Vendure admin API %s not ready after %s; output:\n%s", s.AdminURL, bootTimeout, out.String())
		case <-tick.C:
		}
		if s.answers() {
			break
		}
	}
	t.Logf("vendureserver: Vendure ready at %s (pid %d) in %s", s.AdminURL, s.PID, time.Since(started).Round(10*time.Millisecond))
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("vendureserver: output of node server.js (pid %d):\n%s", s.PID, out.String())
		}
	})
	return s, false, nil
}

// answers reports whether the Admin API answers a trivial query.
func (s *Server) answers() bool {
	req, err := http.NewRequest(http.MethodPost, s.AdminURL, strings.NewReader(`{"query":"{__typename}"}`))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	client := http.Client{Timeout: 2 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(`"data"`))
}

// Output is what the node process printed so far.
func (s *Server) Output() string { return s.output.String() }

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// outputBuffer collects the server's stdout and stderr, keeping the first MiB.
type outputBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *outputBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := maxOutputBytes - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *outputBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var errNoToken = errors.New("login answered without a vendure-auth-token header")
