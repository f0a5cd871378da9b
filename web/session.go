package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gorilla/sessions"
)

// gorilla/sessions speaks net/http and Fiber speaks fasthttp. This file is the one bridge:
// the request is converted for loading, and the Set-Cookie header written on saving is copied
// back to Fiber's response.

const (
	sessionCookie = "orderhub_session"

	sessionUserID    = "user_id"
	sessionCSRF      = "csrf"
	sessionFlashKind = "flash_kind"
	sessionFlashText = "flash_text"

	sessionSupportMerchant = "support_merchant_id" // the merchant a support agent works for

	// forwardedIPHeader passes Fiber's idea of the client address to the store.
	forwardedIPHeader = "X-Orderhub-Client-Ip"

	localSession = "session"
	localDirty   = "session_dirty"
)

// loadSession attaches the request's session to the context, and saves it after the handler
// when the handler changed it.
func (s *Server) loadSession(c *fiber.Ctx) error {
	req, err := s.httpRequest(c)
	if err != nil {
		return err
	}
	session, err := s.sessions.Get(req, sessionCookie)
	if err != nil {
		return err
	}
	c.Locals(localSession, session)
	handlerErr := c.Next()
	if dirty, _ := c.Locals(localDirty).(bool); dirty {
		if err := s.saveSession(c, session); err != nil {
			return err
		}
	}
	return handlerErr
}

func (s *Server) httpRequest(c *fiber.Ctx) (*http.Request, error) {
	req, err := adaptor.ConvertRequest(c, false)
	if err != nil {
		return nil, err
	}
	req = req.WithContext(c.UserContext())
	req.Header.Set(forwardedIPHeader, c.IP())
	return req, nil
}

func (s *Server) saveSession(c *fiber.Ctx, session *sessions.Session) error {
	req, err := s.httpRequest(c)
	if err != nil {
		return err
	}
	w := headerWriter{header: http.Header{}}
	if err := session.Save(req, w); err != nil {
		return err
	}
	for _, cookie := range w.header.Values("Set-Cookie") {
		c.Response().Header.Add(fiber.HeaderSetCookie, cookie)
	}
	c.Locals(localDirty, false)
	return nil
}

func currentSession(c *fiber.Ctx) *sessions.Session {
	session, _ := c.Locals(localSession).(*sessions.Session)
	return session
}

// setSession changes a session value; the session is saved after the handler.
func setSession(c *fiber.Ctx, key string, value any) {
	currentSession(c).Values[key] = value
	c.Locals(localDirty, true)
}

func deleteSession(c *fiber.Ctx, key string) {
	delete(currentSession(c).Values, key)
	c.Locals(localDirty, true)
}

// renewSession gives the session a new id, ending the old one, so that an id known before
// login is worthless after it (session fixation).
func (s *Server) renewSession(c *fiber.Ctx) error {
	session := currentSession(c)
	if session.ID != "" {
		old := *session.Options
		session.Options.MaxAge = -1
		if err := s.saveSession(c, session); err != nil {
			return err
		}
		c.Response().Header.Del(fiber.HeaderSetCookie) // the new cookie replaces the deletion
		session.Options = &old
	}
	session.ID = ""
	session.Values[sessionCSRF] = newToken()
	c.Locals(localDirty, true)
	return nil
}

// endSession deletes the session row and its cookie.
func (s *Server) endSession(c *fiber.Ctx) error {
	session := currentSession(c)
	session.Options.MaxAge = -1
	return s.saveSession(c, session)
}

// setFlash leaves a message for the next page.
func setFlash(c *fiber.Ctx, kind, message string) {
	setSession(c, sessionFlashKind, kind)
	setSession(c, sessionFlashText, message)
}

// headerWriter is the http.ResponseWriter session.Save writes its cookie to.
type headerWriter struct{ header http.Header }

func (w headerWriter) Header() http.Header         { return w.header }
func (w headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w headerWriter) WriteHeader(int)             {}
