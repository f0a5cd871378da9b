package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/orderhub/orderhub/jobs/demo"
)

// pageProblems lists what makes the page in the browser hard to use on a narrow screen or
// with the keyboard: content wider than the screen, a form control without a label, a
// positive tabindex that breaks the reading order, something clickable that is not a link,
// a button or a form control (and so never takes the keyboard's focus).
const pageProblems = `(() => {
	const problems = [];
	const root = document.documentElement;
	if (root.scrollWidth > window.innerWidth + 1) {
		const wide = [...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".table-wrap"))
			.slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
		problems.push("page is " + root.scrollWidth + "px wide on a " + window.innerWidth + "px screen: " + wide.join(", "));
	}
	for (const el of document.querySelectorAll("input, select, textarea")) {
		if (el.type === "hidden" || el.offsetParent === null) continue;
		const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest("label") ||
			el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
		if (!labelled) problems.push("no label: " + el.outerHTML.slice(0, 120));
	}
	for (const el of document.querySelectorAll("[tabindex]")) {
		if (parseInt(el.getAttribute("tabindex"), 10) > 0) problems.push("positive tabindex: " + el.outerHTML.slice(0, 120));
	}
	for (const el of document.querySelectorAll("[hx-get], [hx-post], [onclick]")) {
		const trigger = el.getAttribute("hx-trigger") || "";
		if (/^(load|every|revealed|intersect)/.test(trigger)) continue;
		if (!el.matches("a[href], button, form, input, select, textarea")) problems.push("clickable but not focusable: " + el.outerHTML.slice(0, 120));
	}
	return problems;
})()`

// Every page, as a merchant's administrator sees it with orders flowing, on a desktop screen
// and on a phone: a screenshot of each is kept, and none has the problems above.
func TestBrowserEveryPageOnDesktopAndPhone(t *testing.T) {
	ctx := newBrowser(t)
	base, _ := demoApp(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }

	loggedOut := []string{"/login", "/signup"}
	for _, width := range []int64{1280, 390} {
		do(t, ctx, chromedp.EmulateViewport(width, 900))
		for _, path := range loggedOut {
			checkPage(t, ctx, base, path, width)
		}
	}

	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), demo.Email),
		chromedp.SendKeys(css("#f-password"), demo.Password),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
		chromedp.Navigate(base+"/orders"),
		// Orders arrive by themselves; a blocked one is among them soon.
		chromedp.WaitVisible(css(`td[data-field="store"] .state-imported`)),
		chromedp.WaitVisible(css(`.state-blocked`)),
	)
	order := attribute(t, ctx, `tr:has(td[data-field="store"] .state-imported) td:first-child a`, "href")
	blocked := attribute(t, ctx, `tr:has(.state-blocked) td:first-child a`, "href")
	do(t, ctx, chromedp.Navigate(base+"/connections"), chromedp.WaitVisible(css(`tr[data-connection] td a`)))
	connection := attribute(t, ctx, `tr[data-connection] td a`, "href")
	connection = "/connections/" + strings.Split(strings.TrimPrefix(connection, "/connections/"), "/")[0]
	do(t, ctx, chromedp.Navigate(base+"/errors"), chromedp.WaitVisible(css(`li.error-group h2 a`)))
	group := attribute(t, ctx, `li.error-group h2 a`, "href")

	loggedIn := []string{
		"/dashboard",
		"/orders",
		"/orders?tab=blocked",
		order,
		blocked,
		"/errors",
		group,
		"/connections",
		"/connections/new",
		connection,
		connection + "/settings",
		connection + "/setup/carriers",
		"/team",
		"/team/new",
		"/settings/api-tokens",
	}
	for _, width := range []int64{1280, 390} {
		do(t, ctx, chromedp.EmulateViewport(width, 900))
		for _, path := range loggedIn {
			checkPage(t, ctx, base, path, width)
		}
	}
}

// checkPage opens the page, keeps its screenshot and reports its problems.
func checkPage(t *testing.T, ctx context.Context, base, path string, width int64) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("h1")))
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`performance.getEntriesByType("navigation")[0].responseStatus`))
	if err != nil || status != 200 {
		t.Errorf("%s answered %d (%v)", path, status, err)
	}
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](pageProblems))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s at %dpx: %s", path, width, p)
	}
	name := strings.Trim(strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-", "%", "").Replace(path), "-")
	screenshot(t, ctx, fmt.Sprintf("page-%s-%d", name, width))
}

// attribute is the attribute of the first element the selector finds.
func attribute(t *testing.T, ctx context.Context, selector, name string) string {
	t.Helper()
	value, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(selector), name))
	if err != nil || !value.Exists {
		t.Fatalf("%s has no %s (%v)", selector, name, err)
	}
	return value.Value
}
