package apiclient

import (
	"math/rand/v2"
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
	random  randomFaults
}

// randomFaults give each request a chance of a fault, the kinds taken in turn.
type randomFaults struct {
	rate       float64
	retryAfter time.Duration
	hang       time.Duration
	turn       int
	injected   map[string]int
}

// randomKinds are the faults InjectRandomly draws from, in turn.
var randomKinds = []string{"status", "throttle", "lose", "hang"}

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

// InjectRandomly gives every request the chance rate of a fault, the kinds in turn: a 503
// without the work done, a 429 with Retry-After, the work done and the answer lost, or a hang
// of the given length ended by a dropped connection (what a caller's timeout sees). A rate of
// 0 stops it.
func (f *Faults) InjectRandomly(rate float64, retryAfter, hang time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	injected := f.random.injected
	if injected == nil {
		injected = map[string]int{}
	}
	f.random = randomFaults{rate: rate, retryAfter: retryAfter, hang: hang, turn: f.random.turn, injected: injected}
}

// Injected counts the faults InjectRandomly injected, by kind ("status", "throttle", "lose",
// "hang").
func (f *Faults) Injected() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.random.injected))
	for kind, n := range f.random.injected {
		out[kind] = n
	}
	return out
}

// Reset removes every armed fault and the latency.
func (f *Faults) Reset() {
	f.mu.Lock()
	f.rules, f.latency = nil, 0
	f.random.rate = 0
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
	if f.random.rate > 0 && rand.Float64() < f.random.rate {
		kind := randomKinds[f.random.turn%len(randomKinds)]
		f.random.turn++
		f.random.injected[kind]++
		rule := &faultRule{kind: kind, status: http.StatusServiceUnavailable, retryAfter: f.random.retryAfter}
		if kind == "hang" {
			rule.retryAfter = f.random.hang
		}
		return rule, f.latency
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
		case "hang":
			select {
			case <-time.After(rule.retryAfter):
			case <-r.Context().Done():
			}
			dropConnection(w)
		case "lose":
			h.ServeHTTP(httptest.NewRecorder(), r) // the work is done, the answer discarded
			dropConnection(w)
		}
	})
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // no hijacking (HTTP/2): abort the response instead
}
