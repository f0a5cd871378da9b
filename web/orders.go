package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// ordersShown bounds the list until it gets filters and paging.
const ordersShown = 100

func (s *Server) ordersList(c *fiber.Ctx) error {
	orders, err := models.MerchantOrders(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, ordersShown)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "Orders", views.OrdersPage(orders))
}

// ordersRows is the part of the list the page refreshes by itself.
func (s *Server) ordersRows(c *fiber.Ctx) error {
	orders, err := models.MerchantOrders(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, ordersShown)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.OrderRows(orders).Render(c.UserContext(), c.Response().BodyWriter())
}

func (s *Server) orderShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	merchantID := currentMerchant(c).ID
	order, err := models.MerchantOrder(c.UserContext(), s.db.Gorm, merchantID, int64(id))
	if err != nil {
		return err
	}
	events, err := models.OrderEvents(c.UserContext(), s.db.Gorm, merchantID, order.ID)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "Order "+order.MarketplaceOrderID, views.OrderPage(order, events))
}
