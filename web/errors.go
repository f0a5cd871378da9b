package web

import (
	"context"
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
	title, message := errorPageText(c.UserContext(), status, fe)
	// A page that failed half-way must not leak its partial output.
	c.Response().ResetBody()
	if c.Locals(localSession) == nil {
		// Before the session middleware (static files, health): a plain page.
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return views.ErrorPage(status, title, message).Render(c.UserContext(), c.Status(status).Response().BodyWriter())
	}
	return s.render(c, status, title, views.ErrorPage(status, title, message))
}

// errorPageText is the page's title and message, in the page's language; a refusal's own
// message (a handler's fiber.Error, worded in the page's language) is shown as the handler
// wrote it.
func errorPageText(ctx context.Context, status int, fe *fiber.Error) (title, message string) {
	switch status {
	case fiber.StatusNotFound:
		return views.T(ctx, "errorpage.not_found"), views.T(ctx, "errorpage.not_found.message")
	case fiber.StatusInternalServerError:
		return views.T(ctx, "errorpage.failed"), views.T(ctx, "errorpage.failed.message")
	}
	title = views.T(ctx, "errorpage.refused")
	switch status {
	case fiber.StatusForbidden:
		title = views.T(ctx, "errorpage.forbidden")
	case fiber.StatusTooManyRequests:
		title = views.T(ctx, "errorpage.too_many")
	case fiber.StatusRequestEntityTooLarge:
		title = views.T(ctx, "errorpage.too_large")
	}
	message = views.T(ctx, "errorpage.go_back")
	if fe != nil && fe.Message != "" && fe.Message != fiber.ErrBadRequest.Message {
		message = fe.Message
	}
	return title, message
}
