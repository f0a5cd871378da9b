// Package apitest holds the small HTTP pieces the API clients' tests share: a server answer
// a test can change between calls, and a transport that keeps the bodies a client received.
package apitest

import (
	"bytes"
	"io"
	"net/http"
	"sync"
)

// Answer is an http.Handler answering every request with the status and JSON body last Set.
// Fuzz targets set one per input: the fuzzer runs one input at a time per process, so one
// server serves them all.
type Answer struct {
	mu     sync.Mutex
	status int
	body   []byte
}

// Set makes status and body the answer to the next requests.
func (a *Answer) Set(status int, body []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.status, a.body = status, body
}

func (a *Answer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// BodyRecorder is an http.RoundTripper that passes requests to Base and keeps the body of each
// answer, except for requests to the path Skip (a token endpoint, say).
type BodyRecorder struct {
	Base   http.RoundTripper
	Skip   string
	mu     sync.Mutex
	bodies [][]byte
}

func (r *BodyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := r.Base.RoundTrip(req)
	if err != nil || (r.Skip != "" && req.URL.Path == r.Skip) {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.bodies = append(r.bodies, body)
	r.mu.Unlock()
	return res, nil
}

// Bodies returns the answers' bodies kept so far, in the order they came.
func (r *BodyRecorder) Bodies() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...)
}
