package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestHTMXRequestGetsTheFragmentOnly(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	c.login("ada@acme.test", testPassword)

	fragment := c.get("/dashboard", "HX-Request", "true")
	expectStatus(t, fragment, http.StatusOK)
	if strings.Contains(fragment.body, "<html") || !strings.Contains(fragment.body, "Acme") {
		t.Fatalf("fragment request got:\n%s", fragment.body)
	}
	boosted := c.get("/dashboard", "HX-Request", "true", "HX-Boosted", "true")
	if !strings.Contains(boosted.body, "<html") {
		t.Fatal("a boosted request did not get the whole page")
	}
}

func TestUnknownPageGetsTheNotFoundPage(t *testing.T) {
	app := newTestApp(t)
	p := app.client().get("/no/such/page")
	expectStatus(t, p, http.StatusNotFound)
	if p.text("h1") != "Page not found" || !strings.Contains(p.body, "<html") {
		t.Fatalf("404 page: %s", p.body)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	app := newTestApp(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		res, err := http.Get(app.base + path)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || body["status"] != "ok" {
			t.Fatalf("%s: %d %v %v", path, res.StatusCode, body, err)
		}
		if path == "/readyz" && body["migrations"] != "current" {
			t.Fatalf("/readyz says migrations %q", body["migrations"])
		}
		if res.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s set a cookie; probes must not create sessions", path)
		}
	}
}

func TestStaticAssetsAreServed(t *testing.T) {
	app := newTestApp(t)
	for _, path := range []string{"/static/htmx.min.js", "/static/app.css", "/static/app.js"} {
		res, err := http.Get(app.base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
}

func TestDatabaseFailureGivesTheErrorPageAndNotReady(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "ada@acme.test")
	c := app.client()
	c.login("ada@acme.test", testPassword)
	app.db.SQL.Close()

	p := c.get("/dashboard")
	expectStatus(t, p, http.StatusInternalServerError)
	if p.text("h1") != "Something went wrong" || !strings.Contains(p.body, "nothing was changed") {
		t.Fatalf("500 page: %s", p.body)
	}
	res, err := http.Get(app.base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with the database closed: %d", res.StatusCode)
	}
	if res, err := http.Get(app.base + "/healthz"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz must answer while the process runs: %v", err)
	}
}
