package apiclient

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults wraps an API fake with injectable failures: latency, server errors, throttling, and
// responses lost after the work was done. Tests arm them; the demo may too.
type Faults struct {
	mu      sync.Mutex
	latency time.Duration
	rules   []*faultRule
}

type faultRule struct {
	match      func(*http.Request) bool
	remaining  int
	kind       string // "status", "throttle", "lose"
	status     int
	retryAfter time.Duration
}

// Match selects requests by method ("" for any) and path prefix.
func Match(method, pathPrefix string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return (method == "" || r.Method == method) && strings.HasPrefix(r.URL.Path, pathPrefix)
	}
}

// SetLatency delays every answer.
func (f *Faults) SetLatency(d time.Duration) {
	f.mu.Lock()
	f.latency = d
	f.mu.Unlock()
}

// FailNext answers the next n matching requests with status, without doing their work.
func (f *Faults) FailNext(match func(*http.Request) bool, n, status int) {
	f.add(&faultRule{match: match, remaining: n, kind: "status", status: status})
}

// ThrottleNext answers the next n matching requests with 429 and Retry-After.
func (f *Faults) ThrottleNext(match func(*http.Request) bool, n int, retryAfter time.Duration) {
	f.add(&faultRule{match: match, remaining: n, kind: "throttle", retryAfter: retryAfter})
}

// LoseNextResponse lets the next n matching requests do their work, then drops the
// connection without answering: the caller cannot know it succeeded.
func (f *Faults) LoseNextResponse(match func(*http.Request) bool, n int) {
	f.add(&faultRule{match: match, remaining: n, kind: "lose"})
}

// Reset removes every armed fault and the latency.
func (f *Faults) Reset() {
	f.mu.Lock()
	f.rules, f.latency = nil, 0
	f.mu.Unlock()
}

func (f *Faults) add(rule *faultRule) {
	if rule.match == nil {
		rule.match = func(*http.Request) bool { return true }
	}
	f.mu.Lock()
	f.rules = append(f.rules, rule)
	f.mu.Unlock()
}

// take returns the first armed rule matching r and uses one of its shots.
func (f *Faults) take(r *http.Request) (*faultRule, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, rule := range f.rules {
		if rule.remaining > 0 && rule.match(r) {
			rule.remaining--
			return rule, f.latency
		}
	}
	return nil, f.latency
}

// Wrap returns h with the faults applied.
func (f *Faults) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule, latency := f.take(r)
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		if rule == nil {
			h.ServeHTTP(w, r)
			return
		}
		switch rule.kind {
		case "status":
			http.Error(w, http.StatusText(rule.status), rule.status)
		case "throttle":
			w.Header().Set("Retry-After", strconv.Itoa(int(rule.retryAfter.Seconds())))
			http.Error(w, http.StatusText(http.StatusTooManyRequests), http.StatusTooManyRequests)
		case "lose":
			h.ServeHTTP(httptest.NewRecorder(), r) // the work is done, the answer discarded
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler) // no hijacking (HTTP/2): abort the response instead
		}
	})
}
