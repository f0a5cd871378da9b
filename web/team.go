package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// People join a team by invitation: see invitations.go.

func (s *Server) userShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	user, err := models.MerchantUser(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, int64(id))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, user.DisplayName(), views.UserPage(user))
}
