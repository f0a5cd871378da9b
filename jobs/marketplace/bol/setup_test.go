package bol

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
	"github.com/orderhub/orderhub/jobs/reference"
)

const (
	testClientID = "0c2b8e5a-client-id"
	testSecret   = "s3cr3t-Client-Secret-91f"
)

// testClock is the clock of the fake and the client: tests and the client's waits move it,
// nothing really sleeps.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// sleepLog records the client's waits and moves the clock by them.
type sleepLog struct {
	mu     sync.Mutex
	clock  *testClock
	sleeps []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.sleeps = append(s.sleeps, d)
	s.mu.Unlock()
	s.clock.Advance(d)
	return ctx.Err()
}

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.sleeps...)
}

type testBundle struct {
	fake   *Fake
	server *httptest.Server
	client *Client
	clock  *testClock
	sleeps *sleepLog
}

// setup starts a fake on loopback and a client for it sharing one movable clock.
func setup(t *testing.T) *testBundle {
	t.Helper()
	fake := NewFake(testClientID, testSecret)
	clock := &testClock{now: time.Date(2024, 5, 2, 9, 30, 0, 0, time.UTC)}
	fake.SetClock(clock.Now)
	server := httptest.NewServer(fake.Handler())
	t.Cleanup(server.Close)
	b := &testBundle{fake: fake, server: server, clock: clock, sleeps: &sleepLog{clock: clock}}
	b.client = b.newClient(b.config())
	return b
}

func (b *testBundle) config() Config {
	return Config{ClientID: testClientID, ClientSecret: testSecret, BaseURL: b.server.URL, LoginURL: b.server.URL + "/token"}
}

func (b *testBundle) newClient(cfg Config) *Client {
	httpClient := &http.Client{Timeout: 10 * time.Second, Transport: b.server.Client().Transport}
	return New(cfg, WithHTTPClient(httpClient), WithSleep(b.sleeps.sleep), WithLimiter(nil), WithClock(b.clock.Now))
}

// apiError returns err as an *apiclient.Error or fails the test.
func apiError(t *testing.T, err error) *apiclient.Error {
	t.Helper()
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *apiclient.Error", err, err)
	}
	return apiErr
}

// sampleBody reads the body of a recorded HTTP answer under http/: what follows the first
// blank line.
func sampleBody(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(reference.Dir(t, "bol"), "http", name))
	if err != nil {
		t.Fatalf("reading sample %s: %v", name, err)
	}
	parts := regexp.MustCompile(`\r?\n\r?\n`).Split(string(raw), 2)
	if len(parts) != 2 {
		t.Fatalf("sample %s has no body", name)
	}
	return []byte(parts[1])
}
