package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds the system's Chromium. Without one the browser tests skip, except under CI
// (ORDERHUB_REQUIRE_BROWSER=1), where they must run.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("ORDERHUB_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if path, err := exec.LookPath(c); err == nil {
			return path
		}
	}
	if os.Getenv("ORDERHUB_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium found and ORDERHUB_REQUIRE_BROWSER=1: install it (apt-get install chromium) or set ORDERHUB_CHROMIUM")
	}
	t.Skip("browser test skipped: no Chromium found (apt-get install chromium, or set ORDERHUB_CHROMIUM)")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and no background networking.
// newBrowser starts a headless Chromium for the test; the test fails if the content security
// policy refused anything on its pages.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	ctx := startBrowser(t)
	seen := watchCSP(ctx)
	t.Cleanup(func() {
		for _, refused := range seen() {
			t.Errorf("the browser refused something under the content security policy: %s", refused)
		}
	})
	return ctx
}

func startBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// The first action starts the browser and ties it to this context, not to a step's.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// watchCSP collects the browser's reports of what the content security policy refused on
// the tab, until the context ends; the returned func lists those seen so far.
func watchCSP(ctx context.Context) func() []string {
	messages := chromedp.Console(ctx)
	var mu sync.Mutex
	var refused []string
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if strings.Contains(m.Text, "Content Security Policy") {
				mu.Lock()
				refused = append(refused, m.Text)
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(refused)
	}
}

func TestBrowserSignUpLogInAndSeeTheDashboard(t *testing.T) {
	app := newTestApp(t)
	ctx := newBrowser(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }

	// A first visit leads to account creation.
	do(t, ctx, chromedp.Navigate(app.base+"/"), chromedp.WaitVisible(css("#f-merchant")))
	if heading := text(t, ctx, "h1"); heading != "Create your account" {
		t.Errorf("first page heading %q", heading)
	}
	do(t, ctx,
		chromedp.SendKeys(css("#f-merchant"), "Acme Outdoor"),
		chromedp.SendKeys(css("#f-name"), "Ada"),
		chromedp.SendKeys(css("#f-email"), "ada@acme.test"),
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
		chromedp.Click(css(`form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`form[action="/login"]`)),
	)

	// A wrong password shows its message next to the field.
	do(t, ctx,
		chromedp.SendKeys(css("#f-email"), "ada@acme.test"),
		chromedp.SendKeys(css("#f-password"), "not the password"),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css("#e-password")),
	)
	if msg := text(t, ctx, "#e-password"); !strings.Contains(msg, "Email or password is wrong") {
		t.Errorf("wrong-password message %q", msg)
	}

	do(t, ctx,
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
	)
	if merchant := text(t, ctx, `[data-testid="merchant-name"]`); merchant != "Acme Outdoor" {
		t.Errorf("dashboard shows merchant %q", merchant)
	}
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(location, "/dashboard") {
		t.Errorf("after login the address is %s", location)
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(shot) < 1000 || string(shot[1:4]) != "PNG" {
		t.Fatalf("screenshot is not a PNG (%d bytes)", len(shot))
	}
	path := filepath.Join(t.TempDir(), "dashboard.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	if dir := os.Getenv("ORDERHUB_SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "dashboard.png"), shot, 0o644)
	}
}

// do runs browser steps; on failure it reports the address and text of the page it was on.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, steps...); err != nil {
		location, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		t.Fatalf("%v\non %s:\n%s", err, location, body)
	}
}

// tick checks a checkbox or radio through the element itself and goes on once it is checked:
// a click by coordinates can land before the page's layout settled and tick nothing.
func tick(selector string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
		steps := []chromedp.Action[chromedp.Void]{
			chromedp.Evaluate[chromedp.Void](`(() => { const e = document.querySelector(` + strconv.Quote(selector) + `); if (!e.checked) e.click(); })()`),
			chromedp.WaitVisible(chromedp.CSS(selector + ":checked")),
		}
		for _, step := range steps {
			if _, err := step(ctx, target); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
}

func text(t *testing.T, ctx context.Context, selector string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(s)
}
