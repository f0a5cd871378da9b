package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// setLanguage makes the pages speak the person's chosen language, else the browser's.
func (s *Server) setLanguage(c *fiber.Ctx) error {
	chosen := ""
	if user := currentUser(c); user != nil {
		chosen = user.Language
	}
	lang := views.PickLanguage(chosen, c.Get(fiber.HeaderAcceptLanguage))
	c.SetUserContext(views.WithLanguage(c.UserContext(), lang))
	c.Set(fiber.HeaderContentLanguage, lang)
	return c.Next()
}

// languageSave is POST /account/language: the person's choice, kept on their account.
func (s *Server) languageSave(c *fiber.Ctx) error {
	lang := c.FormValue("language")
	if !views.KnownLanguage(lang) {
		return fiber.NewError(fiber.StatusBadRequest, tr(c, "account.language.unknown"))
	}
	if err := models.SetUserLanguage(c.UserContext(), s.db.Gorm, currentUser(c), lang); err != nil {
		return err
	}
	setFlash(c, "success", views.T(views.WithLanguage(c.UserContext(), lang), "account.language.saved"))
	return redirect(c, backTo(c.Get(fiber.HeaderReferer)))
}

// backTo is the page a form came from, when it is one of ours; else the dashboard.
func backTo(referer string) string {
	u, err := url.Parse(referer)
	if err != nil || u.Path == "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/dashboard"
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}
