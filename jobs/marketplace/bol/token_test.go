package bol

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/reference"
)

// replay serves a recorded HTTP answer from http/ as it is, status and headers included.
func replay(t *testing.T, name string) *httptest.Server {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(reference.Dir(t, "bol"), "http", name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	body, _ := io.ReadAll(res.Body) // a sample without a body has nothing to read
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range res.Header {
			if !strings.EqualFold(k, "Transfer-Encoding") && !strings.EqualFold(k, "Content-Length") {
				w.Header()[k] = vs
			}
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(body)
	}))
	t.Cleanup(server.Close)
	return server
}

// TestTokenSamples reads bol's recorded token answers, valid and malformed.
func TestTokenSamples(t *testing.T) {
	for _, tc := range []struct {
		sample   string
		lifetime time.Duration // 0: refused
	}{
		{"200-token", 299 * time.Second},
		{"200-token-lowercase-type", 299 * time.Second},
		{"200-token-lowercase-scope", 299 * time.Second},
		{"200-token-unexpected-scope", 299 * time.Second},
		{"200-token-missing-expires_in", refreshMargin},
		{"200-token-empty-expires_in", refreshMargin},
		{"200-token-expires-immediately", refreshMargin},
		{"200-token-empty-access_token", 0},
		{"200-token-missing-access_token", 0},
		{"200-token-empty-body", 0},
		{"200-token-unexpected-bearer", 0},
		{"401-unauthorized", 0},
	} {
		t.Run(tc.sample, func(t *testing.T) {
			server := replay(t, tc.sample)
			source := &tokenSource{url: server.URL, clientID: "id", secret: "secret", http: server.Client(), now: time.Now}
			access, lifetime, err := source.fetch(t.Context())
			if tc.lifetime == 0 {
				if err == nil {
					t.Errorf("accepted token %q", access)
				}
				return
			}
			if err != nil || access != "sometoken" || lifetime != tc.lifetime {
				t.Errorf("token %q lifetime %v err %v, want sometoken for %v", access, lifetime, err, tc.lifetime)
			}
		})
	}
}
