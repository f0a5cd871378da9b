package web

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// The pages' own texts are in views/locales; these helpers word what handlers write (flash
// messages, field errors, titles, refusals) in the language of the person's page.

// tr is the text with that id in the page's language; data fills its {{.Name}} fields.
func tr(c *fiber.Ctx, id string, data ...map[string]any) string {
	return views.T(c.UserContext(), id, data...)
}

// trOr is the text with that id, or fallback when the locale files have none: for words that
// come from elsewhere, such as a state code.
func trOr(c *fiber.Ctx, id, fallback string) string {
	if text := tr(c, id); text != id {
		return text
	}
	return fallback
}

// errorText is an error in the page's language, when a model worded it as a
// models.UserError; otherwise its own words, as they came (a marketplace's or a shop's
// answer, say).
func errorText(c *fiber.Ctx, err error) string {
	return errorTextIn(c.UserContext(), err)
}

func errorTextIn(ctx context.Context, err error) string {
	var ue *models.UserError
	if errors.As(err, &ue) {
		return textIn(ctx, ue.Text)
	}
	return err.Error()
}

// errorSentence is errorText as a sentence of its own: capitalized, with a full stop.
func errorSentence(c *fiber.Ctx, err error) string {
	return capitalize(errorText(c, err)) + "."
}

// textIn is a models.Text in the language of ctx; its data is worded in that language too.
func textIn(ctx context.Context, t models.Text) string {
	if t.ID == "" {
		return t.English
	}
	if text := views.T(ctx, t.ID, dataIn(ctx, t.Data)); text != t.ID {
		return text
	}
	return t.English // a text newer than the locale files
}

func dataIn(ctx context.Context, data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		switch v := v.(type) {
		case models.Text:
			out[k] = textIn(ctx, v)
		case models.Texts:
			words := make([]string, len(v))
			for i, t := range v {
				words[i] = textIn(ctx, t)
			}
			out[k] = strings.Join(words, "; ")
		case models.Day:
			out[k] = views.FormatDate(ctx, time.Time(v))
		case models.StateCode:
			out[k] = views.StateText(ctx, string(v))
		default:
			out[k] = v
		}
	}
	return out
}

// capitalize puts the first letter of a sentence in upper case.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
