package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// logRequest writes one debug line per request; errors are logged by handleError.
func (s *Server) logRequest(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	s.logger.Debug("request", "method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(), "duration", time.Since(start))
	return err
}
