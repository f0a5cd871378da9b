package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// bulkActions are the actions on many blocked orders at once.
// "refuse" refuses the orders still waiting for acceptance and cancels the accepted ones on
// the marketplace: either way the buyer is told and the order is closed.
var bulkActions = []string{"retry", "handled", "refuse"}

// maxBulkOrders bounds one bulk action; a bigger group takes several.
const maxBulkOrders = 5000

// errorBulk is POST /errors/bulk: an action on the selected orders of a group, or on the whole
// group. The first post asks for confirmation, saying how many orders on which marketplaces;
// the confirmed one acts.
func (s *Server) errorBulk(c *fiber.Ctx) error {
	k, err := s.groupKey(c)
	if err != nil {
		return err
	}
	action := c.FormValue("action")
	if !slices.Contains(bulkActions, action) {
		return fiber.NewError(fiber.StatusBadRequest, tr(c, "errors.bulk.unknown_action"))
	}
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	all := c.FormValue("all") == "1"
	var ids []int64
	if all {
		if ids, err = models.BlockedGroupOrderIDs(ctx, s.db.Gorm, merchantID, k); err != nil {
			return err
		}
	} else {
		for _, raw := range c.Context().PostArgs().PeekMulti("ids") {
			id, err := strconv.ParseInt(string(raw), 10, 64)
			if err != nil {
				return fiber.NewError(fiber.StatusBadRequest, tr(c, "errors.bulk.unreadable"))
			}
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return s.renderGroup(c, fiber.StatusUnprocessableEntity, k, views.FieldErrors{"ids": tr(c, "errors.bulk.none_selected")}, nil)
	}
	if len(ids) > maxBulkOrders {
		return s.renderGroup(c, fiber.StatusUnprocessableEntity, k, views.FieldErrors{"ids": tr(c, "errors.bulk.too_many", map[string]any{"Max": maxBulkOrders})}, nil)
	}
	reason := strings.TrimSpace(c.FormValue("why")) // "reason" is the group's blocked reason
	if c.FormValue("confirm") != "1" {
		connections, err := models.OrderConnections(ctx, s.db.Gorm, merchantID, ids)
		if err != nil {
			return err
		}
		if len(connections) == 0 { // none of the ids is the merchant's
			return fiber.ErrNotFound
		}
		var names []string
		for _, conn := range connections {
			kind, _ := jobs.FindKind(jobs.MarketplaceKindList(), conn.MarketplaceKind)
			names = append(names, conn.Name+" ("+kind.Label+")")
		}
		return s.render(c, fiber.StatusOK, tr(c, "errors.bulk.confirm.title"), views.BulkConfirmPage(views.BulkConfirmView{
			Action: action, Group: k, All: all, IDs: ids, Count: len(ids), Connections: names, Reason: reason, CSRF: csrfToken(c)}))
	}
	actor := userActor(c)
	var res jobs.BulkResult
	switch action {
	case "retry":
		res, err = s.jobs.RetryOrders(ctx, s.db.Gorm, merchantID, ids, actor)
	case "handled":
		res, err = s.jobs.MarkHandled(ctx, s.db.Gorm, merchantID, ids, actor)
	case "refuse":
		res, err = s.jobs.CancelOrders(ctx, s.db.Gorm, merchantID, ids, actor, reason)
	}
	if err != nil {
		return err
	}
	message := tr(c, "errors.bulk.done."+action, map[string]any{"Count": res.Done})
	if res.Skipped > 0 {
		message += " " + tr(c, "errors.bulk.skipped", map[string]any{"Count": res.Skipped})
	}
	setFlash(c, "success", message)
	return s.backToGroup(c, k)
}
