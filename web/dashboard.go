package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// dashboardShow is GET /dashboard: a merchant's orders and connections at a glance, or for a
// support agent, who belongs to no merchant, the list of merchants.
func (s *Server) dashboardShow(c *fiber.Ctx) error {
	merchant := currentMerchant(c)
	if merchant == nil {
		merchants, err := models.ListMerchants(c.UserContext(), s.db.Gorm)
		if err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, tr(c, "dashboard.merchants"), views.SupportDashboardPage(merchants, csrfToken(c)))
	}
	dashboard, err := models.LoadDashboard(c.UserContext(), s.db.Gorm, merchant.ID, time.Now())
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, merchant.Name, views.DashboardPage(views.Dashboard{
		MerchantName: merchant.Name, IsAdmin: canManage(c), Dashboard: dashboard,
	}))
}
