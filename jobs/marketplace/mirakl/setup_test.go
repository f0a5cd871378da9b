package mirakl

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

const testKey = "5c3e9a1f-shop-key-7d20b4"

// testClock is the fake's clock: tests move it, nothing waits.
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

// sleepLog records the client's waits between retries instead of sleeping.
type sleepLog struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sleeps = append(s.sleeps, d)
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

// setup starts a fake on loopback and a client for it, with a movable clock and no waits.
func setup(t *testing.T) *testBundle {
	t.Helper()
	fake := NewFake(testKey)
	clock := &testClock{now: time.Date(2024, 5, 2, 9, 30, 0, 0, time.UTC)}
	fake.SetClock(clock.Now)
	server := httptest.NewServer(fake.Handler())
	t.Cleanup(server.Close)
	b := &testBundle{fake: fake, server: server, clock: clock, sleeps: &sleepLog{}}
	b.client = b.newClient(Config{BaseURL: server.URL, APIKey: testKey})
	return b
}

func (b *testBundle) newClient(cfg Config) *Client {
	httpClient := &http.Client{Timeout: 10 * time.Second, Transport: b.server.Client().Transport}
	return New(cfg, WithHTTPClient(httpClient), WithSleep(b.sleeps.sleep), WithLimiter(nil))
}

// raw sends one request to the fake, bypassing the client, for the fake's own behaviour.
func (b *testBundle) raw(t *testing.T, method, path, key, body string) (int, http.Header, string) {
	t.Helper()
	var reader io.Reader = http.NoBody
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, b.server.URL+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := b.server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(answer)
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

// acceptedSample adds a sample order already accepted (SHIPPING), addresses disclosed.
func (b *testBundle) acceptedSample(n int) string {
	order := SampleOrder(n)
	order.State = "SHIPPING"
	return b.fake.AddOrder(order)
}
