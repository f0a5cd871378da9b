package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/orderhub/orderhub/models"
)

// Every answer carries the security headers: pages, assets, the API, errors and probes.
func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "admin@acme.test")
	visitor := app.client()
	for _, path := range []string{"/login", "/static/app.js", "/api/v1/openapi.json", "/api/v1/orders", "/healthz", "/no-such-page", "/orders/"} {
		p := visitor.get(path)
		csp := p.header.Get("Content-Security-Policy")
		for _, directive := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, directive) {
				t.Errorf("%s: Content-Security-Policy %q lacks %s", path, csp, directive)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: Content-Security-Policy %q allows inline or eval'd script", path, csp)
		}
		want := map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
		for name, value := range want {
			if got := p.header.Get(name); got != value {
				t.Errorf("%s: %s is %q, want %q", path, name, got, value)
			}
		}
		if hsts := p.header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("%s: HSTS %q sent while BASE_URL is http", path, hsts)
		}
	}
}

// With an https BASE_URL (TLS ended by a proxy in front), every answer tells browsers to stay
// on https.
func TestHSTSWhenBaseURLIsHTTPS(t *testing.T) {
	app := newTestApp(t, func(cfg *models.Config) { cfg.BaseURL = "https://orderhub.example.com" })
	for _, path := range []string{"/login", "/healthz"} {
		p := app.client().get(path)
		if hsts := p.header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=31536000") {
			t.Errorf("%s: Strict-Transport-Security %q, want max-age=31536000", path, hsts)
		}
	}
}

// The policy orderhub sends refuses an inline script in a real browser, and the browser tests'
// watch (watchCSP) reports it: so that a page of orderhub's that relied on one would fail
// those tests.
func TestBrowserContentSecurityPolicyRefusesInlineScript(t *testing.T) {
	app := newTestApp(t)
	policy := app.client().get("/login").header.Get("Content-Security-Policy")
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>before</title><h1>Page</h1><script>document.title = "ran"</script>`))
	}))
	defer page.Close()

	ctx := startBrowser(t) // this page's refusal is expected
	seen := watchCSP(ctx)
	do(t, ctx, chromedp.Navigate(page.URL), chromedp.WaitVisible(chromedp.CSS("h1")))
	var refused []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && len(refused) == 0; time.Sleep(50 * time.Millisecond) {
		refused = seen()
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "before" {
		t.Errorf("the inline script ran under orderhub's policy (title %q)", title)
	}
	if len(refused) == 0 {
		t.Errorf("the browser reported no refusal of the inline script")
	}
}
