package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/orderhub/orderhub/models"
)

// A person whose browser speaks English chooses French in the account menu: from then on the
// dashboard, the connections, the error queue and the error pages speak French.
func TestBrowserChoosingFrenchTranslatesThePages(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	fnac := app.apiConnection(m.ID, "Fnac")
	blocked := app.orderWithSKUs(fnac, "BLOCKED-1", models.StatusWaitingShipment, "A")
	app.blockFor(blocked, models.BlockedUnknownProduct, "A", "SKU A matches no product of the store.")

	ctx := newBrowser(t)
	css := func(selector string) chromedp.CSS { return chromedp.CSS(selector) }
	do(t, ctx,
		chromedp.Navigate(app.base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), "admin@acme.test"),
		chromedp.SendKeys(css("#f-password"), testPassword),
		chromedp.Click(css("button[type=submit]")),
		chromedp.WaitVisible(css(`[data-testid="merchant-name"]`)),
	)
	// Chromium without a language asks for English, and gets it.
	waitText(t, ctx, "#dash-chart", "Orders per day")

	do(t, ctx,
		chromedp.SetValue(css(`[data-testid="language"]`), "fr"),
		chromedp.Click(css(`form[action="/account/language"] button[type=submit]`)),
	)
	waitText(t, ctx, `nav a[href="/dashboard"]`, "Tableau de bord")
	waitText(t, ctx, ".flash span", "Les pages sont désormais en français.")
	// Texts from the layout, the counts, the deadlines, the connections and the chart.
	for selector, want := range map[string]string{
		`nav a[href="/orders"]`:                      "Commandes",
		`nav a[href="/connections"]`:                 "Connexions",
		`[data-testid="nav-attention"]`:              "À traiter",
		`form[action="/account/language"] button`:    "Changer",
		`[data-testid="language"] option[selected]`:  "Français",
		`[data-state="blocked"] .dash-count-label`:   "Bloquées",
		`[data-state="to_accept"] .dash-count-label`: "À accepter",
		`[data-state="blocked"] .dash-fix`:           "Voir ce qu'il faut corriger",
		`#deadline-overdue`:                          "Expéditions en retard",
		`#deadline-due-today`:                        "À expédier aujourd'hui",
		`[data-deadline="overdue"] .muted`:           "Aucun retard.",
		`#dash-connections`:                          "Connexions",
		`.dash-connections .badge`:                   "Active",
		`.dash-connections [data-health]`:            "En attente de la première synchronisation",
		`#dash-chart`:                                "Commandes par jour",
		`.chart-data summary`:                        "Afficher les chiffres",
		`#chart-desc`:                                "1 commande du ",
	} {
		waitTextThat(t, ctx, selector, strconv.Quote(want)+"…", func(s string) bool { return strings.HasPrefix(s, want) })
	}
	screenshot(t, ctx, "french-dashboard")
	// The choice was a boosted form: the body was swapped, and the page's language followed.
	if lang, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); err != nil || lang != "fr" {
		t.Errorf("html lang after the boosted choice %q (%v), want fr", lang, err)
	}

	// A page loaded in full says its language to the browser (boosted links swap the body only).
	do(t, ctx, chromedp.Navigate(app.base+"/connections"))
	waitText(t, ctx, "main h1", "Connexions")
	if lang, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); err != nil || lang != "fr" {
		t.Errorf("html lang %q (%v), want fr", lang, err)
	}
	waitText(t, ctx, "thead th:nth-child(3)", "Dernière synchronisation")
	waitText(t, ctx, `[data-testid="new-connection"]`, "Nouvelle connexion")
	waitText(t, ctx, "thead th:nth-child(2)", "État")
	screenshot(t, ctx, "french-connections")

	do(t, ctx, chromedp.Click(css(`[data-testid="nav-attention"]`)))
	waitText(t, ctx, "main h1", "À traiter")
	group := `.error-group[data-reason="unknown_product"]`
	waitTextThat(t, ctx, group+" h2", `"SKU A inconnu" and "1 commande"`, func(s string) bool {
		return strings.Contains(s, "SKU A inconnu") && strings.Contains(s, "1 commande")
	})
	waitText(t, ctx, ".filters button[type=submit]", "Filtrer")
	screenshot(t, ctx, "french-errors")

	do(t, ctx, chromedp.Click(css(`nav a[href="/orders"]`)))
	waitText(t, ctx, "main h1", "Commandes")
	waitTextThat(t, ctx, `[data-tab="to_ship"]`, `"À expédier"`, func(s string) bool { return strings.HasPrefix(s, "À expédier") })
	waitText(t, ctx, `[data-testid="export-csv"]`, "Exporter en CSV")
	screenshot(t, ctx, "french-orders")

	// The error pages too.
	do(t, ctx, chromedp.Navigate(app.base+"/connections/999999"))
	waitText(t, ctx, "main h1", "Page introuvable")
	waitText(t, ctx, `.error-page a.button`, "Aller à la page d'accueil")
}
