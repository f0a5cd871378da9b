package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
)

const headerIdempotencyKey = "Idempotency-Key"

// apiIdempotency honours an Idempotency-Key header on POST: the first request with a key runs
// and its answer is kept for a day; the same request sent again with that key gets the same
// answer (marked Idempotent-Replayed: true) without acting twice. A shop that lost a response
// can retry safely.
func (s *Server) apiIdempotency(c *fiber.Ctx) error {
	key := c.Get(headerIdempotencyKey)
	if c.Method() != fiber.MethodPost || key == "" {
		return c.Next()
	}
	if !validIdempotencyKey(key) {
		return newProblem(http.StatusBadRequest, "idempotency-key-invalid", "Invalid Idempotency-Key",
			"Use 1 to 255 visible ASCII characters, such as a UUID, and a new key for each new request.")
	}
	ctx := context.WithoutCancel(c.UserContext())
	hash := models.RequestHash(c.Method(), c.Path(), c.Body())
	record, err := models.BeginIdempotent(ctx, s.db.Gorm, currentToken(c), key, hash, time.Now())
	switch {
	case errors.Is(err, models.ErrIdempotencyMismatch):
		return newProblem(http.StatusUnprocessableEntity, "idempotency-key-reused", "Idempotency-Key already used",
			"This key was used with a different request in the last 24 hours. Send the same request again, or use a new key for a new request.")
	case errors.Is(err, models.ErrIdempotencyInProgress):
		c.Set(fiber.HeaderRetryAfter, "1")
		return newProblem(http.StatusConflict, "idempotency-key-in-use", "Request still running",
			"The first request with this Idempotency-Key has not finished. Retry in a moment to get its answer.")
	case err != nil:
		return err
	case record.Status != 0:
		c.Set("Idempotent-Replayed", "true")
		c.Set(fiber.HeaderContentType, record.ContentType)
		return c.Status(record.Status).Send(record.Body)
	}

	if err := c.Next(); err != nil {
		if err := s.handleError(c, err); err != nil {
			return err
		}
	}
	status := c.Response().StatusCode()
	if status >= 500 || status == http.StatusTooManyRequests {
		// Nothing worth replaying: the same request sent again runs again.
		return models.ForgetIdempotent(ctx, s.db.Gorm, record)
	}
	return models.FinishIdempotent(ctx, s.db.Gorm, record, status, string(c.Response().Header.ContentType()),
		c.Response().Body(), time.Now())
}

func validIdempotencyKey(key string) bool {
	if len(key) > 255 {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return false
		}
	}
	return true
}
