package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
)

// home sends each visitor where they belong: the dashboard, the login page, or, while
// orderhub has no account at all, account creation.
func (s *Server) home(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return redirect(c, "/dashboard")
	}
	n, err := models.CountUsers(c.UserContext(), s.db.Gorm)
	if err != nil {
		return err
	}
	if n == 0 {
		return redirect(c, "/signup")
	}
	return redirect(c, "/login")
}
