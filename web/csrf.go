package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
)

const (
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// csrf gives every session a token and rejects any request that changes something without
// it: forms send it as a hidden field, htmx as a header (static/app.js). It runs after
// setLanguage, so that the refusal speaks the person's language.
func (s *Server) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	token, _ := currentSession(c).Values[sessionCSRF].(string)
	sent := c.Get(csrfHeader)
	if sent == "" {
		sent = c.FormValue(csrfField)
	}
	if token == "" || sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
		return fiber.NewError(fiber.StatusForbidden, tr(c, "errorpage.csrf"))
	}
	return c.Next()
}

// csrfToken returns the session's token, creating one on first use.
func csrfToken(c *fiber.Ctx) string {
	if token, ok := currentSession(c).Values[sessionCSRF].(string); ok && token != "" {
		return token
	}
	token := newToken()
	setSession(c, sessionCSRF, token)
	return token
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
