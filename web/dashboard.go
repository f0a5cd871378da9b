package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

func (s *Server) dashboardShow(c *fiber.Ctx) error {
	user, merchant := currentUser(c), currentMerchant(c)
	if merchant == nil {
		merchants, err := models.ListMerchants(c.UserContext(), s.db.Gorm)
		if err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, "Merchants", views.SupportDashboardPage(merchants))
	}
	team, err := models.MerchantUsers(c.UserContext(), s.db.Gorm, merchant.ID)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, merchant.Name, views.DashboardPage(views.Dashboard{
		MerchantName: merchant.Name, UserName: user.DisplayName(), Email: user.Email, Role: user.Role,
		TeamSize: len(team), IsAdmin: user.IsAdmin(),
	}))
}
