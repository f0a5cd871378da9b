package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/views"
)

func TestPagesSpeakTheBrowsersLanguageUntilOneIsChosen(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "admin@acme.test")
	c := app.client()

	for accept, want := range map[string]string{"fr-FR,fr;q=0.9,en;q=0.5": "Connexion", "it-IT": "Accedi", "de-DE": "Log in", "": "Log in"} {
		page := c.get("/login", "Accept-Language", accept)
		if got := page.text("h1"); got != want {
			t.Errorf("Accept-Language %q: heading %q, want %q", accept, got, want)
		}
	}
	c.login("admin@acme.test", testPassword)
	page := c.get("/dashboard", "Accept-Language", "fr")
	if lang, _ := page.doc.Find("html").Attr("lang"); lang != "fr" || page.text(`nav a[href="/orders"]`) != "Commandes" {
		t.Fatalf("French browser: lang %q, nav %q", lang, page.text(`nav a[href="/orders"]`))
	}

	// A chosen language wins over the browser's, on every later page.
	saved := c.post("/account/language", url.Values{"language": {"it"}})
	if saved.status != http.StatusSeeOther {
		t.Fatalf("choosing a language: %d", saved.status)
	}
	page = c.get("/orders", "Accept-Language", "fr")
	if page.text(`nav a[href="/orders"]`) != "Ordini" || page.text(".flash") == "" {
		t.Fatalf("after choosing Italian: nav %q, flash %q", page.text(`nav a[href="/orders"]`), page.text(".flash"))
	}
	if bad := c.post("/account/language", url.Values{"language": {"xx"}}); bad.status != http.StatusBadRequest {
		t.Fatalf("unknown language: %d", bad.status)
	}
}

// Form field errors speak the page's language too.
func TestFormErrorsSpeakThePagesLanguage(t *testing.T) {
	app := newTestApp(t)
	app.signUp("Acme", "admin@acme.test")
	c := app.client()
	c.get("/login")
	form := url.Values{"email": {""}, "password": {""}, "_csrf": {c.csrf}}
	req, err := http.NewRequest(http.MethodPost, app.base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "fr")
	page := c.do(req)
	if got := page.text("#e-email"); got != "Ce champ est obligatoire." {
		t.Fatalf("French field error %q (status %d)", got, page.status)
	}
	english := c.post("/login", url.Values{"email": {""}, "password": {""}})
	if got := english.text("#e-email"); got != "This field is required." {
		t.Fatalf("English field error %q", got)
	}
}

// Every text has its French and Italian version, and no file holds a text the others lack.
func TestEveryTextIsTranslated(t *testing.T) {
	keys := map[string][]string{}
	for _, l := range views.Languages {
		raw, err := os.ReadFile(filepath.Join("..", "views", "locales", l.Code+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var messages map[string]string
		if err := json.Unmarshal(raw, &messages); err != nil {
			t.Fatalf("%s.json: %v", l.Code, err)
		}
		for k, v := range messages {
			if v == "" {
				t.Errorf("%s.json: %s is empty", l.Code, k)
			}
			keys[l.Code] = append(keys[l.Code], k)
		}
		sort.Strings(keys[l.Code])
	}
	for _, l := range views.Languages[1:] {
		if len(keys[l.Code]) != len(keys["en"]) {
			t.Errorf("%s.json has %d texts, en.json %d", l.Code, len(keys[l.Code]), len(keys["en"]))
		}
		for i := range keys["en"] {
			if i >= len(keys[l.Code]) || keys[l.Code][i] != keys["en"][i] {
				t.Errorf("%s.json and en.json differ near %q", l.Code, keys["en"][i])
				break
			}
		}
	}
}
