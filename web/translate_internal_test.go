package web

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// modelRefusals are refusals the models word for a person, made by the models themselves.
func modelRefusals(t *testing.T) map[string]error {
	t.Helper()
	ctx, now := context.Background(), time.Now()
	ready := models.Connection{MarketplaceKind: "mirakl", MarketplaceCredentials: "sealed", StoreKind: models.StoreKindAPI, DefaultCarrierName: "GLS"}
	active := ready
	active.State = models.ConnectionActive
	out := map[string]error{
		"not ready":      (&models.Connection{MarketplaceKind: "mirakl", StoreKind: "woocommerce", DefaultCarrierName: "GLS"}).Activate(now, now),
		"already active": active.Activate(now, now),
		"too early":      (&ready).Activate(now.AddDate(0, 0, -40), now),
		"in the future":  (&ready).MoveActivationDate(now.Add(time.Hour), now),
		"tracking URL":   models.ValidateTrackingTemplate("carrier.example/{tracking}"),
		"test stock":     models.ErrTestStock,
		"order changed":  models.ErrConflict,
		"not a test":     models.CancelTestOrder(ctx, nil, &models.Order{}, "user:1", now),
		"transition":     (&models.Order{Status: models.StatusShipped}).Transition(ctx, nil, models.Transition{Field: models.FieldStatus, To: models.StatusWaitingAcceptance}, now),
		"wrapped":        fmt.Errorf("saving: %w", models.ValidateTrackingTemplate("x")),
	}
	_, _, out["token name"] = models.CreateAPIToken(ctx, nil, 1, models.NewAPIToken{Name: " "})
	_, out["no product"] = models.NewTestOrder(ctx, nil, &ready, models.TestOrderRequest{}, now)
	for name, rule := range map[string]models.CarrierRule{
		"rule text":    {MatchKind: models.MatchStartsWith, CarrierName: "UPS"},
		"rule regex":   {MatchKind: models.MatchRegex, CarrierName: "UPS"},
		"rule bad re":  {MatchKind: models.MatchRegex, Pattern: "(", CarrierName: "UPS"},
		"rule length":  {MatchKind: models.MatchLength, CarrierName: "UPS"},
		"rule kind":    {MatchKind: "sounds_like", Pattern: "x", CarrierName: "UPS"},
		"rule carrier": {MatchKind: models.MatchContains, Pattern: "x"},
		"rule URL":     {MatchKind: models.MatchContains, Pattern: "x", CarrierName: "UPS", TrackingURLTemplate: "ups"},
	} {
		out[name] = rule.Validate()
	}
	for field, problem := range (&models.Connection{}).SetBehaviour(models.Behaviour{PollIntervalSeconds: 7, TrackingWaitHours: 99,
		ActiveCountries: []string{"France"}, RequiredFields: []string{"shoe_size"}}) {
		out["setting "+field] = problem
	}
	return out
}

// A model's refusal carries the id of its text: the English of that text is the refusal's own
// words, and the other languages have theirs.
func TestModelRefusalsAreTranslated(t *testing.T) {
	en, fr, it := views.WithLanguage(context.Background(), "en"), views.WithLanguage(context.Background(), "fr"), views.WithLanguage(context.Background(), "it")
	refusals := modelRefusals(t)
	if len(refusals) != 23 {
		t.Fatalf("%d refusals", len(refusals))
	}
	for name, err := range refusals {
		var ue *models.UserError
		if !errors.As(err, &ue) {
			t.Errorf("%s: %v is not a UserError", name, err)
			continue
		}
		// The locale file's English, filled with the data as it is, is the model's English.
		if got := views.T(en, ue.ID, ue.Data); got != ue.English {
			t.Errorf("%s: en.json says %q, the model %q", name, got, ue.English)
		}
		french, italian := errorTextIn(fr, err), errorTextIn(it, err)
		if french == ue.English || italian == ue.English || french == ue.ID || italian == ue.ID || french == italian {
			t.Errorf("%s: not translated: fr %q, it %q", name, french, italian)
		}
	}

	for name, want := range map[string]string{
		"not ready":                "la connexion ne peut pas encore être activée : saisir les identifiants de la marketplace; saisir les identifiants de la boutique",
		"already active":           "ce changement n'est pas possible dans l'état actuel",
		"transition":               "ce changement n'est pas possible dans l'état actuel : status expédiée → en attente d'acceptation",
		"test stock":               "ce produit a moins de 4 unités en stock : choisissez-en un autre, pour que le test ne vende pas de stock réel",
		"wrapped":                  "l'URL de suivi doit être une adresse web comme https://carrier.example/track?n={tracking}",
		"rule kind":                `type de correspondance inconnu : "sounds_like"`,
		"setting active_countries": `"FRANCE" n'est pas un code pays : utilisez deux lettres, comme FR, BE, NL.`,
	} {
		if got := errorTextIn(fr, refusals[name]); got != want {
			t.Errorf("%s in French: %q, want %q", name, got, want)
		}
	}
	if got, want := errorTextIn(it, refusals["not ready"]), "la connessione non può ancora essere attivata: inserire le credenziali del marketplace; inserire le credenziali del negozio"; got != want {
		t.Errorf("Italian: %q, want %q", got, want)
	}

	// The order page's own refusal says the states in words, in English as in French.
	notNow := notAllowedNow(&models.Order{Status: models.StatusWaitingAcceptance, StoreState: models.StorePending, ShipmentState: models.ShipmentNone})
	if got, want := errorTextIn(en, notNow), "this change is not possible from the current state: the order is waiting acceptance, store pending, shipment none"; got != want || notNow.Error() != want {
		t.Errorf("not allowed now: %q (error %q), want %q", got, notNow.Error(), want)
	}
	if got, want := errorTextIn(fr, notNow), "ce changement n'est pas possible dans l'état actuel : la commande est en attente d'acceptation, boutique : en attente, expédition : aucune"; got != want {
		t.Errorf("not allowed now in French: %q, want %q", got, want)
	}

	// The day in a refusal is written as each language writes days.
	var tooEarly *models.UserError
	if !errors.As(refusals["too early"], &tooEarly) {
		t.Fatal("too early: not a UserError")
	}
	day := time.Time(tooEarly.Data["Date"].(models.Day))
	if got, want := errorTextIn(fr, tooEarly), "la date d'activation peut remonter au plus à 30 jours (jusqu'au "+views.FormatDate(fr, day)+")"; got != want {
		t.Errorf("too early in French: %q, want %q", got, want)
	}
	if got := errorTextIn(en, tooEarly); got != tooEarly.English {
		t.Errorf("too early in English: %q, want %q", got, tooEarly.English)
	}

	// Refusals keep what they are for errors.Is, and other errors keep their own words.
	if !errors.Is(refusals["transition"], models.ErrInvalidTransition) || !errors.Is(notNow, models.ErrInvalidTransition) ||
		!errors.Is(refusals["already active"], models.ErrInvalidTransition) {
		t.Error("a transition refusal is no longer an ErrInvalidTransition")
	}
	plain := errors.New("GET https://shop.example/wp-json: 503: Service Unavailable")
	if got := errorTextIn(fr, plain); got != plain.Error() {
		t.Errorf("an error from elsewhere: %q", got)
	}
	if got := capitalize("état inconnu"); got != "État inconnu" {
		t.Errorf("capitalize: %q", got)
	}
}
