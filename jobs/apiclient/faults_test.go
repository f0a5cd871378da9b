package apiclient

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestInjectRandomlyTakesEachKindInTurnAndStops(t *testing.T) {
	var f Faults
	var done atomic.Int32
	server := httptest.NewServer(f.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		done.Add(1)
		io.WriteString(w, "ok")
	})))
	defer server.Close()
	client := &http.Client{Timeout: 2 * time.Second}

	f.InjectRandomly(1, 2*time.Second, 10*time.Millisecond) // every call fails
	var outcomes []string
	for range 8 {
		resp, err := client.Get(server.URL)
		switch {
		case err != nil:
			outcomes = append(outcomes, "dropped")
		default:
			outcomes = append(outcomes, resp.Status+" "+resp.Header.Get("Retry-After"))
			resp.Body.Close()
		}
	}
	want := []string{"503 Service Unavailable ", "429 Too Many Requests 2", "dropped", "dropped"}
	for i, got := range outcomes {
		if got != want[i%4] {
			t.Fatalf("call %d: %q, want %q (all: %q)", i+1, got, want[i%4], outcomes)
		}
	}
	if n := done.Load(); n != 2 { // only the lost answers did the work
		t.Fatalf("the handler worked %d times, want 2 (the two lost answers)", n)
	}
	if got := f.Injected(); got["status"] != 2 || got["throttle"] != 2 || got["lose"] != 2 || got["hang"] != 2 {
		t.Fatalf("injected %v", got)
	}

	f.InjectRandomly(0, 0, 0)
	resp, err := client.Get(server.URL)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after stopping: %v %v", resp, err)
	}
	resp.Body.Close()
}
