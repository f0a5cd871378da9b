package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// handleError is the one place errors become responses: logged, then a page (or JSON under
// /api) that says what happened and what to do.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	var p *problem
	switch {
	case errors.As(err, &fe):
		status = fe.Code
	case errors.As(err, &p):
		status = p.Status
	case errors.Is(err, models.ErrNotFound):
		status = fiber.StatusNotFound
	}

	if status >= 500 {
		s.logger.Error("request failed", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	} else {
		s.logger.Debug("request refused", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	}

	if strings.HasPrefix(c.Path(), "/api/") {
		return writeProblem(c, apiProblem(err, status))
	}
	title, message := errorText(status, fe)
	// A page that failed half-way must not leak its partial output.
	c.Response().ResetBody()
	if c.Locals(localSession) == nil {
		// Before the session middleware (static files, health): a plain page.
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return views.ErrorPage(status, title, message).Render(c.UserContext(), c.Status(status).Response().BodyWriter())
	}
	return s.render(c, status, title, views.ErrorPage(status, title, message))
}

func errorText(status int, fe *fiber.Error) (title, message string) {
	switch status {
	case fiber.StatusNotFound:
		return "Page not found", "This page does not exist, or you do not have access to it. Check the address, or start again from the dashboard."
	case fiber.StatusInternalServerError:
		return "Something went wrong", "orderhub could not finish this request; nothing was changed. Try again in a moment; if it keeps happening, tell your administrator the time it happened."
	}
	title = "Request refused"
	switch status {
	case fiber.StatusForbidden:
		title = "Not allowed"
	case fiber.StatusTooManyRequests:
		title = "Too many attempts"
	case fiber.StatusRequestEntityTooLarge:
		title = "Too much data"
	}
	message = "Go back and try again."
	if fe != nil && fe.Message != "" && fe.Message != fiber.ErrBadRequest.Message {
		message = fe.Message
	}
	return title, message
}
