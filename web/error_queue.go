package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// errorQueue is GET /errors: the merchant's blocked orders, grouped by cause.
func (s *Server) errorQueue(c *fiber.Ctx) error {
	merchantID := currentMerchant(c).ID
	filter := models.ErrorQueueFilter{Reason: c.Query("reason")}
	if v := c.Query("connection"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fiber.ErrNotFound
		}
		filter.ConnectionID = id
	}
	age := ""
	for _, a := range views.ErrorAges {
		if a.Key == c.Query("age") {
			age, filter.OlderThan = a.Key, a.Since
		}
	}
	ctx := c.UserContext()
	now := time.Now()
	groups, err := models.ErrorQueue(ctx, s.db.Gorm, merchantID, filter, now)
	if err != nil {
		return err
	}
	connections, err := models.MerchantConnections(ctx, s.db.Gorm, merchantID)
	if err != nil {
		return err
	}
	keys := make([]models.GroupKey, len(groups))
	for i, g := range groups {
		keys[i] = g.GroupKey
	}
	assignees, err := models.GroupAssignees(ctx, s.db.Gorm, merchantID, keys)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, tr(c, "errors.title"), views.ErrorQueuePage(views.ErrorQueueView{
		Groups: groups, Connections: connections, Filter: filter, Age: age, Now: now, Assignees: assignees}))
}
