package views

import (
	"context"
	"embed"
	"encoding/json"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Pages speak English, French or Italian. The texts live in locales/<language>.json, keyed
// by message id; English is the source and the fallback for a text not yet translated.

//go:embed locales/*.json
var localeFiles embed.FS

// Language is one language the pages speak.
type Language struct {
	Code string
	Name string // in the language itself
}

// Languages lists the languages offered, English first.
var Languages = []Language{{"en", "English"}, {"fr", "Français"}, {"it", "Italiano"}}

var (
	bundle  = loadBundle()
	matcher = language.NewMatcher([]language.Tag{language.English, language.French, language.Italian})
)

func loadBundle() *i18n.Bundle {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(localeFiles, "locales/"+l.Code+".json"); err != nil {
			panic("views: " + err.Error()) // the files are embedded: a broken one fails every test
		}
	}
	return b
}

// KnownLanguage reports whether code is one of the languages offered.
func KnownLanguage(code string) bool {
	for _, l := range Languages {
		if l.Code == code {
			return true
		}
	}
	return false
}

// PickLanguage chooses the pages' language: the person's choice, else the browser's
// Accept-Language, else English.
func PickLanguage(chosen, acceptLanguage string) string {
	if KnownLanguage(chosen) {
		return chosen
	}
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	_, index, confidence := matcher.Match(tags...)
	if confidence == language.No {
		return "en"
	}
	return Languages[index].Code
}

type localeKey struct{}

type locale struct {
	code      string
	localizer *i18n.Localizer
}

// WithLanguage makes the pages rendered with ctx speak the language.
func WithLanguage(ctx context.Context, code string) context.Context {
	return context.WithValue(ctx, localeKey{}, &locale{code: code, localizer: i18n.NewLocalizer(bundle, code)})
}

// LanguageOf is the language pages rendered with ctx speak.
func LanguageOf(ctx context.Context) string {
	if l, ok := ctx.Value(localeKey{}).(*locale); ok {
		return l.code
	}
	return "en"
}

// T is the text with that id in the page's language; data fills its {{.Name}} fields.
func T(ctx context.Context, id string, data ...map[string]any) string {
	l, ok := ctx.Value(localeKey{}).(*locale)
	if !ok {
		l = &locale{code: "en", localizer: i18n.NewLocalizer(bundle, "en")}
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	text, err := l.localizer.Localize(cfg)
	if err != nil && text == "" {
		return id // a missing text shows its id, which a test catches
	}
	return text
}

// TCount is the text id+".one" or id+".other", as the page's language words n things (French
// says "0 commande", English "0 orders"); n fills {{.Count}}.
func TCount(ctx context.Context, id string, n int) string {
	form := ".other"
	if plural.Cardinal.MatchPlural(language.Make(LanguageOf(ctx)), n, 0, 0, 0, 0) == plural.One {
		form = ".one"
	}
	return T(ctx, id+form, map[string]any{"Count": n})
}

// tOr is the text with that id, or fallback when no locale file has one: for words that come
// from elsewhere (a connector's field, a model's list) and may be newer than the files.
func tOr(ctx context.Context, id, fallback string) string {
	if text := T(ctx, id); text != id {
		return text
	}
	return fallback
}

// StateText is an order state or blocked reason (pending, unknown_product...) in words of the
// page's language; StateLabel is its English, kept for the pages not translated yet.
func StateText(ctx context.Context, code string) string {
	if code == "" {
		return "—"
	}
	return tOr(ctx, "state."+code, StateLabel(code))
}
