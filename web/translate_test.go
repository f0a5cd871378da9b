package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// frenchClient is a client logged in as that person, who chose French.
func frenchClient(t *testing.T, app *testApp, email string) *client {
	t.Helper()
	c := app.client()
	c.login(email, testPassword)
	c.get("/dashboard")
	if p := c.post("/account/language", url.Values{"language": {"fr"}}); p.status != http.StatusSeeOther {
		t.Fatalf("choosing French: %d", p.status)
	}
	return c
}

// What handlers write (titles, flash messages, field errors, refusals) speaks the person's
// language; what is stored (the order's timeline) stays as it was written.
func TestOrderActionTextsSpeakThePagesLanguage(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	o := app.actionsOrder(app.actionsConnection(m.ID), "FR-1", true)
	c := frenchClient(t, app, "admin@acme.test")

	show := c.get(orderURL(o, ""))
	if got := show.text("title"); got != "Commande FR-1 · orderhub" {
		t.Errorf("title %q", got)
	}
	if got := show.text(`[data-testid="carrier-rule"]`); got != "" {
		t.Errorf("no tracking number, yet a carrier rule: %q", got)
	}
	suggestion := c.get(fmt.Sprintf("/orders/%d/carrier?tracking_number=6A123", o.ID), "HX-Request", "true")
	if got := suggestion.text(`[data-testid="carrier-rule"]`); got != "Règle 2 : commence par 6A → Colissimo" {
		t.Errorf("carrier rule %q", got)
	}
	fallback := c.get(fmt.Sprintf("/orders/%d/carrier?tracking_number=XX9", o.ID), "HX-Request", "true")
	if got := fallback.text(`[data-testid="carrier-rule"]`); got != "Aucune règle ne correspond : le transporteur par défaut de la connexion, Other carrier." {
		t.Errorf("default carrier %q", got)
	}

	bad := fullShipment(o, "6A123456789")
	bad.Set("carrier", "")
	bad.Set("tracking_url", "laposte.fr/track")
	bad.Set(fmt.Sprintf("qty_%d", o.Lines[1].ID), "3")
	p := c.post(orderURL(o, "ship"), bad)
	expectStatus(t, p, http.StatusUnprocessableEntity)
	for selector, want := range map[string]string{
		"#e-tracking_url": "Saisissez une adresse web comme https://carrier.example/track/123, ou laissez le champ vide.",
		"#ship-carrier .field.invalid .field-error":                   "Choisissez le transporteur, ou choisissez « Autre transporteur » et saisissez son nom.",
		fmt.Sprintf("tr[data-line='%d'] .field-error", o.Lines[1].ID): "Saisissez un nombre entier de 0 à 1.",
	} {
		if got := p.text(selector); got != want {
			t.Errorf("%s: %q, want %q", selector, got, want)
		}
	}

	expectRedirect(t, c.post(orderURL(o, "ship"), fullShipment(o, "6A123456789")), orderURL(o, ""))
	show = c.get(orderURL(o, ""))
	if got := show.text(".flash.success > span"); got != "Marquée comme expédiée : orderhub envoie l'expédition à la marketplace une seule fois ; l'état de l'expédition montre sa progression." {
		t.Errorf("flash %q", got)
	}
	if timeline := show.text(".timeline"); !strings.Contains(timeline, "Marked as shipped by hand in orderhub.") {
		t.Errorf("the stored event is not kept as written: %q", timeline)
	}

	refused := c.post(orderURL(o, "ship"), fullShipment(o, "1Z999"))
	expectStatus(t, refused, http.StatusConflict)
	want := "La commande n'a pas été marquée comme expédiée (ce changement n'est pas possible dans l'état actuel : " +
		"la commande est en attente d'expédition, boutique : importée, expédition : prête à envoyer). " +
		"Rien n'a été modifié : la page montre la commande telle qu'elle est maintenant, avec les actions qu'elle permet."
	if got := refused.text(`[data-testid="action-refused"]`); got != want {
		t.Errorf("refusal %q\nwant %q", got, want)
	}

	// Refusals worded by the jobs: the order is neither waiting acceptance nor blocked.
	nothingChanged := " Rien n'a été modifié : la page montre la commande telle qu'elle est maintenant, avec les actions qu'elle permet."
	accept := c.post(orderURL(o, "accept"), url.Values{})
	expectStatus(t, accept, http.StatusConflict)
	want = "La commande n'a pas été acceptée (ce changement n'est pas possible dans l'état actuel : la commande est en attente d'expédition, et non en attente d'acceptation)." + nothingChanged
	if got := accept.text(`[data-testid="action-refused"]`); got != want {
		t.Errorf("accept refusal %q\nwant %q", got, want)
	}
	retry := c.post(orderURL(o, "retry"), url.Values{})
	expectStatus(t, retry, http.StatusConflict)
	want = "La commande n'a pas été relancée (ce changement n'est pas possible dans l'état actuel : la commande n'est pas bloquée)." + nothingChanged
	if got := retry.text(`[data-testid="action-refused"]`); got != want {
		t.Errorf("retry refusal %q\nwant %q", got, want)
	}

	// The same refusal in English, as it has always been worded.
	english := app.client()
	english.login("admin@acme.test", testPassword)
	english.get("/dashboard")
	english.post("/account/language", url.Values{"language": {"en"}})
	refused = english.post(orderURL(o, "ship"), fullShipment(o, "1Z999"))
	want = "The order was not marked as shipped (this change is not possible from the current state: " +
		"the order is waiting shipment, store imported, shipment ready). " +
		"Nothing was changed: the page shows the order as it is now, with the actions it allows."
	if got := refused.text(`[data-testid="action-refused"]`); got != want {
		t.Errorf("English refusal %q\nwant %q", got, want)
	}
}

func TestConnectionTextsSpeakThePagesLanguage(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	conn := app.apiConnection(m.ID, "Fnac")
	start := time.Now().Add(-time.Hour)
	conn.ActivationDate = &start
	if err := models.SaveConnection(context.Background(), app.db.Gorm, conn); err != nil {
		t.Fatal(err)
	}
	c := frenchClient(t, app, "admin@acme.test")

	// Settings: the title, the models' refusals and the flash.
	path := fmt.Sprintf("/connections/%d/settings", conn.ID)
	if got := c.get(path).text("title"); got != "Réglages de Fnac · orderhub" {
		t.Errorf("settings title %q", got)
	}
	bad := c.post(path, url.Values{"poll_interval": {"7"}, "tracking_wait": {"100"}, "active_countries": {"FR, Belgium"},
		"required_fields": {"shoe_size"}, "activation_date": {time.Now().AddDate(0, 0, -45).Format("2006-01-02")}})
	expectStatus(t, bad, http.StatusUnprocessableEntity)
	for field, want := range map[string]string{
		"poll_interval":    "Choisissez l'un des intervalles proposés.",
		"tracking_wait":    "Indiquez une attente de 0 à 72 heures pour le numéro de suivi.",
		"active_countries": `"BELGIUM" n'est pas un code pays : utilisez deux lettres, comme FR, BE, NL.`,
		"required_fields":  `Champ acheteur inconnu : "shoe_size".`,
	} {
		if got := bad.text(fmt.Sprintf(".field.invalid:has([name=%s]) .field-error", field)); got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	// A date in the model's message is written the French way.
	earliest := time.Now().Add(-models.MaxActivationBackdate)
	frenchMonth := []string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}[earliest.Month()-1]
	if got := bad.text("#e-activation_date"); !strings.HasPrefix(got, "La date d'activation peut remonter au plus à 30 jours (jusqu'au ") ||
		!strings.Contains(got, " "+frenchMonth+" ") || !strings.HasSuffix(got, ").") {
		t.Errorf("activation date: %q", got)
	}
	ok := c.post(path, url.Values{"poll_interval": {"300"}, "tracking_wait": {"6"}, "active_countries": {"FR"}, "activation_date": {start.UTC().Format("2006-01-02")}})
	expectRedirect(t, ok, fmt.Sprintf("/connections/%d", conn.ID))
	if got := c.get(fmt.Sprintf("/connections/%d", conn.ID)).text(".flash.success > span"); got != "Réglages enregistrés ; ils s'appliquent dès la prochaine synchronisation." {
		t.Errorf("settings flash %q", got)
	}

	// Carrier rules: a model's refusal, and the flash of a rule moved past the end.
	rules := fmt.Sprintf("/connections/%d/carriers/rules", conn.ID)
	badRule := c.post(rules, url.Values{"match_kind": {"regex"}, "pattern": {"(6A"}, "rule_carrier_name": {"Colissimo"}})
	expectStatus(t, badRule, http.StatusUnprocessableEntity)
	if got := badRule.text(".rule-form .field-error"); !strings.HasPrefix(got, "L'expression régulière n'est pas valide : ") {
		t.Errorf("bad rule %q", got)
	}
	if got := badRule.text("title"); got != "Configurer Fnac · orderhub" {
		t.Errorf("setup title %q", got)
	}
	expectRedirect(t, c.post(rules, url.Values{"match_kind": {"starts_with"}, "pattern": {"6A"}, "rule_carrier_name": {"Colissimo"}}),
		fmt.Sprintf("/connections/%d/setup/carriers", conn.ID))
	carriers := c.get(fmt.Sprintf("/connections/%d/setup/carriers", conn.ID))
	if got := carriers.text(".flash.success > span"); got != "Règle ajoutée." {
		t.Errorf("rule flash %q", got)
	}
	saved, err := models.ConnectionCarrierRules(context.Background(), app.db.Gorm, m.ID, conn.ID)
	if err != nil || len(saved) != 1 {
		t.Fatalf("rules %v %v", saved, err)
	}
	c.post(fmt.Sprintf("%s/%d/move", rules, saved[0].ID), url.Values{"direction": {"up"}})
	if got := c.get(fmt.Sprintf("/connections/%d/setup/carriers", conn.ID)).text(".flash.error > span"); got != "La règle est déjà à cette extrémité de la liste." {
		t.Errorf("move flash %q", got)
	}
	tester := c.get(fmt.Sprintf("/connections/%d/carriers/test?tracking=6A1", conn.ID), "HX-Request", "true")
	if got := tester.text("[data-testid=carrier-why]"); got != `la règle 1 (commence par "6A") correspond au numéro de suivi` {
		t.Errorf("carrier why %q", got)
	}
	if got := tester.text("#carrier-test-result .flash.error"); got != "" {
		t.Errorf("tester refused: %q", got)
	}
	none := c.get(fmt.Sprintf("/connections/%d/carriers/test?tracking=XX1", conn.ID), "HX-Request", "true")
	if got := none.text("#carrier-test-result"); got != "Aucune règle ne correspond et il n'y a pas encore de transporteur par défaut : choisissez-en un ci-dessus." {
		t.Errorf("no carrier %q", got)
	}

	// The wizard's first step, refused, then saved; activation refused with the missing steps.
	newPage := c.get("/connections/new")
	if got := newPage.text("title"); got != "Nouvelle connexion · orderhub" {
		t.Errorf("new connection title %q", got)
	}
	refused := c.post("/connections", url.Values{"marketplace_kind": {"mirakl"}, "name": {""}, "country": {"FR"},
		"fulfilment": {"merchant"}, "s_base_url": {"fnac.example"}})
	expectStatus(t, refused, http.StatusUnprocessableEntity)
	if got := refused.text("#e-name"); got != "Nommez la connexion, par ex. « Fnac France → ma boutique »." {
		t.Errorf("name error %q", got)
	}
	if got := refused.text("#e-s_base_url"); got != "Saisissez une adresse web commençant par https://. L'adresse du back-office vendeur de la marketplace, par ex. https://fnac-prod.mirakl.net" {
		t.Errorf("base URL error %q", got)
	}
	c.post("/connections", url.Values{"marketplace_kind": {"mirakl"}, "name": {"Darty"}, "country": {"FR"},
		"fulfilment": {"merchant"}, "s_base_url": {"https://darty.example"}})
	var draft models.Connection
	if err := app.db.Gorm.Where("merchant_id = ? AND name = ?", m.ID, "Darty").First(&draft).Error; err != nil {
		t.Fatal(err)
	}
	activate := c.post(fmt.Sprintf("/connections/%d/setup/activate", draft.ID), url.Values{"activation_date": {time.Now().Format("2006-01-02")}})
	expectStatus(t, activate, http.StatusUnprocessableEntity)
	want := "La connexion ne peut pas encore être activée : saisir les identifiants de la marketplace; choisir la boutique; choisir un transporteur par défaut."
	if got := activate.text("#e-activation_date"); got != want {
		t.Errorf("activation %q\nwant %q", got, want)
	}

	// Pausing, and a refused resume, say so in French.
	live := fmt.Sprintf("/connections/%d", conn.ID)
	c.post(live+"/pause", url.Values{})
	if got := c.get(live).text(".flash.success > span"); got != "En pause : orderhub ne lit plus de nouvelles commandes ni d'expéditions pour cette connexion." {
		t.Errorf("pause flash %q", got)
	}
	c.post(live+"/pause", url.Values{})
	if got := c.get(live).text(".flash.error > span"); got != "Impossible pour l'instant : la connexion est en pause." {
		t.Errorf("refused pause flash %q", got)
	}
}

// Refusals written before the language is known (CSRF, an administrator's page, a wrong
// password) speak the browser's or the person's language too.
func TestRefusalsSpeakThePagesLanguage(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	app.addUser(m.ID, "staff@acme.test", models.RoleStaff)

	visitor := app.client()
	visitor.get("/login", "Accept-Language", "it")
	form := url.Values{"email": {"admin@acme.test"}, "password": {"wrong password"}, "_csrf": {visitor.csrf}}
	req, err := http.NewRequest(http.MethodPost, app.base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "it")
	wrong := visitor.do(req)
	expectStatus(t, wrong, http.StatusUnauthorized)
	if got := wrong.text("#e-password"); got != "E-mail o password errata. Verificarle entrambe e riprovare." {
		t.Errorf("wrong password %q", got)
	}
	if got := wrong.text("title"); got != "Accedi · orderhub" {
		t.Errorf("login title %q", got)
	}

	staff := frenchClient(t, app, "staff@acme.test")
	forbidden := staff.get("/connections/new")
	expectStatus(t, forbidden, http.StatusForbidden)
	if got := forbidden.text("main"); !strings.Contains(got, "Seul un administrateur de votre entreprise peut faire cela. Demandez à l'un d'eux.") {
		t.Errorf("forbidden page %q", got)
	}
	expired := staff.postRaw("/account/language", url.Values{"language": {"en"}})
	expectStatus(t, expired, http.StatusForbidden)
	if got := expired.text("main"); !strings.Contains(got, "Ce formulaire a expiré ou a été envoyé depuis un autre site. Rechargez la page et réessayez.") {
		t.Errorf("CSRF page %q", got)
	}
	notes := staff.get("/orders?test=maybe&status=lost")
	if got := notes.text("[data-testid=filter-notes]"); !strings.Contains(got, `Filtre « Commandes de test » : "maybe" n'est ni yes ni no ; ce filtre est ignoré.`) ||
		!strings.Contains(got, `Filtre « Statut marketplace » : "lost" n'est pas une valeur connue d'orderhub ; ce filtre est ignoré.`) {
		t.Errorf("filter notes %q", got)
	}
	if got := notes.text("title"); got != "Commandes · orderhub" {
		t.Errorf("orders title %q", got)
	}
}
