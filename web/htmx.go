package web

import (
	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// isFragmentRequest is true for an htmx request that swaps part of a page. Boosted links and
// forms, and ordinary requests, get the whole page.
func isFragmentRequest(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-Boosted") != "true"
}

// render writes a page: only its content for an htmx fragment request, else the content in
// the layout with navigation and the flash message.
func (s *Server) render(c *fiber.Ctx, status int, title string, content templ.Component) error {
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	component := content
	if !isFragmentRequest(c) {
		component = views.Page(s.layout(c, title), content)
	}
	return component.Render(c.UserContext(), c.Response().BodyWriter())
}

func (s *Server) layout(c *fiber.Ctx, title string) views.Layout {
	l := views.Layout{Title: title, CSRFToken: csrfToken(c), Path: c.Path(), Version: s.version}
	if kind, ok := currentSession(c).Values[sessionFlashKind].(string); ok {
		text, _ := currentSession(c).Values[sessionFlashText].(string)
		l.Flash = &views.Flash{Kind: kind, Message: text}
		deleteSession(c, sessionFlashKind)
		deleteSession(c, sessionFlashText)
	}
	if user := currentUser(c); user != nil {
		l.User = &views.CurrentUser{Name: user.DisplayName(), Email: user.Email, Role: user.Role, Support: user.IsSupport()}
		if merchant := currentMerchant(c); merchant != nil {
			l.User.MerchantName = merchant.Name
			if n, err := models.BlockedOrderCount(c.UserContext(), s.db.Gorm, merchant.ID); err == nil {
				l.Attention = n
			} else {
				s.logger.Error("counting blocked orders", "merchant", merchant.ID, "err", err)
			}
		}
	}
	return l
}

// redirect sends the browser elsewhere after an action. htmx follows HX-Redirect with a full
// page load; everything else gets a 303 so that a reload never re-posts.
func redirect(c *fiber.Ctx, to string) error {
	if c.Get("HX-Request") == "true" && c.Get("HX-Boosted") != "true" {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}
