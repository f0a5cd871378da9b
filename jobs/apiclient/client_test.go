package apiclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// server counts requests and answers with the handler given.
func server(t *testing.T, faults *apiclient.Faults, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		h(w, r)
	})
	var handler http.Handler = counted
	if faults != nil {
		handler = faults.Wrap(counted)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv, &calls
}

func client(base string, waits *[]time.Duration) *apiclient.Client {
	return &apiclient.Client{
		BaseURL: base,
		Secrets: []string{"s3cr3t-key"},
		Authorize: func(r *http.Request) {
			r.Header.Set("Authorization", "s3cr3t-key")
		},
		DecodeError: func(status int, body []byte) (string, string) {
			var e struct{ Code, Message string }
			_ = json.Unmarshal(body, &e)
			return e.Code, e.Message
		},
		Sleep: func(ctx context.Context, d time.Duration) error {
			*waits = append(*waits, d)
			return nil
		},
	}
}

func TestRetriesServerErrorsThenDecodes(t *testing.T) {
	faults := &apiclient.Faults{}
	faults.FailNext(nil, 2, http.StatusServiceUnavailable)
	srv, calls := server(t, faults, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"name":"ok"}`)
	})
	var waits []time.Duration
	var out struct{ Name string }
	if _, err := client(srv.URL, &waits).Do(context.Background(), apiclient.Request{Method: "GET", Path: "/x", Out: &out}); err != nil {
		t.Fatal(err)
	}
	if out.Name != "ok" || calls.Load() != 1 || len(waits) != 2 {
		t.Fatalf("out %+v, handler calls %d, waits %v", out, calls.Load(), waits)
	}
}

func TestHonoursRetryAfter(t *testing.T) {
	faults := &apiclient.Faults{}
	faults.ThrottleNext(nil, 1, 7*time.Second)
	srv, _ := server(t, faults, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	var waits []time.Duration
	if _, err := client(srv.URL, &waits).Do(context.Background(), apiclient.Request{Method: "POST", Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if len(waits) != 1 || waits[0] != 7*time.Second {
		t.Fatalf("waits %v, want [7s]", waits)
	}
}

func TestLongRetryAfterIsReturnedNotWaited(t *testing.T) {
	faults := &apiclient.Faults{}
	faults.ThrottleNext(nil, 1, 10*time.Minute)
	srv, _ := server(t, faults, func(w http.ResponseWriter, r *http.Request) {})
	var waits []time.Duration
	_, err := client(srv.URL, &waits).Do(context.Background(), apiclient.Request{Method: "GET", Path: "/x"})
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != 10*time.Minute || apiclient.IsPermanent(err) || len(waits) != 0 {
		t.Fatalf("err %v, waits %v", err, waits)
	}
}

func TestPostIsNotRetriedAfterAPossibleSuccess(t *testing.T) {
	faults := &apiclient.Faults{}
	faults.LoseNextResponse(apiclient.Match("POST", "/orders"), 1)
	srv, calls := server(t, faults, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	var waits []time.Duration
	_, err := client(srv.URL, &waits).Do(context.Background(), apiclient.Request{Method: "POST", Path: "/orders", Body: map[string]int{"a": 1}})
	if err == nil || apiclient.IsPermanent(err) {
		t.Fatalf("lost response: err %v, want a transient error", err)
	}
	if calls.Load() != 1 {
		t.Fatalf("the create ran %d times, want 1", calls.Load())
	}
}

func TestClientErrorsArePermanentWithTheAPIsMessage(t *testing.T) {
	srv, calls := server(t, nil, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"code":"ORDER_INVALID_STATE","message":"order is not waiting acceptance"}`)
	})
	var waits []time.Duration
	_, err := client(srv.URL, &waits).Do(context.Background(), apiclient.Request{Method: "PUT", Path: "/x"})
	if !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "ORDER_INVALID_STATE") || !strings.Contains(err.Error(), "not waiting acceptance") {
		t.Fatalf("err %v", err)
	}
	if calls.Load() != 1 || apiclient.StatusOf(err) != http.StatusBadRequest {
		t.Fatalf("calls %d, status %d", calls.Load(), apiclient.StatusOf(err))
	}
}

func TestSecretsNeverReachTheRecordedExchanges(t *testing.T) {
	srv, _ := server(t, nil, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"echo":"`+r.Header.Get("Authorization")+`"}`)
	})
	var waits []time.Duration
	rec := &apiclient.Recorder{}
	ctx := apiclient.WithRecorder(context.Background(), rec)
	c := client(srv.URL, &waits)
	_, err := c.Do(ctx, apiclient.Request{Method: "POST", Path: "/x", Query: map[string][]string{"consumer_secret": {"other"}, "q": {"s3cr3t-key"}}, Body: map[string]string{"key": "s3cr3t-key"}})
	if err != nil {
		t.Fatal(err)
	}
	exchanges := rec.Exchanges()
	if len(exchanges) != 1 {
		t.Fatalf("%d exchanges recorded", len(exchanges))
	}
	raw, _ := json.Marshal(exchanges)
	for _, secret := range []string{"s3cr3t-key", "other"} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("secret %q recorded: %s", secret, raw)
		}
	}
	if exchanges[0].Status != 200 || exchanges[0].Method != "POST" {
		t.Fatalf("exchange %+v", exchanges[0])
	}
}
