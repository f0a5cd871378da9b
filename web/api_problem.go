package web

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
)

// problem is a Store API error as RFC 9457 problem details, with a stable type per error.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

func (p *problem) Error() string { return p.Title + ": " + p.Detail }

const problemBase = "/api/v1/problems/"

func newProblem(status int, slug, title, detail string) *problem {
	return &problem{Type: problemBase + slug, Title: title, Status: status, Detail: detail}
}

// apiProblem turns any error under /api into problem details.
func apiProblem(err error, status int) *problem {
	var p *problem
	if errors.As(err, &p) {
		return p
	}
	switch {
	case errors.Is(err, models.ErrNotFound) || status == http.StatusNotFound:
		return newProblem(http.StatusNotFound, "not-found", "Not found", "No such resource for this token. Check the id.")
	case status == http.StatusRequestEntityTooLarge:
		return newProblem(status, "body-too-large", "Request body too large", "Send at most 1 MiB per request; split large batches.")
	case status == http.StatusMethodNotAllowed:
		return newProblem(status, "method-not-allowed", "Method not allowed", "See /api/v1/openapi.json for the operations.")
	case status >= 500:
		return newProblem(http.StatusInternalServerError, "internal", "Internal error", "orderhub could not finish this request; nothing was changed. Retry later.")
	}
	return newProblem(status, "bad-request", http.StatusText(status), err.Error())
}

func writeProblem(c *fiber.Ctx, p *problem) error {
	return c.Status(p.Status).JSON(p, "application/problem+json")
}
