package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/migrations"
)

// healthz answers as long as the process serves requests.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when the database is reachable and fully migrated.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": err.Error()})
	}
	pending, err := migrations.Pending(ctx, s.db.SQL, s.db.Dialect)
	if err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "migrations": err.Error()})
	}
	if pending {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "migrations": "pending: run `orderhub migrate`"})
	}
	return c.JSON(fiber.Map{"status": "ok", "database": s.db.Dialect, "migrations": "current"})
}
