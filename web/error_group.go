package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// groupPageSize is the number of a group's orders on one page.
const groupPageSize = 50

// groupKey reads a group's key from the address or the form; a connection that is not the
// merchant's is not found.
func (s *Server) groupKey(c *fiber.Ctx) (models.GroupKey, error) {
	value := func(name string) string {
		if v := c.FormValue(name); v != "" {
			return v
		}
		return c.Query(name)
	}
	id, err := strconv.ParseInt(value("connection"), 10, 64)
	if err != nil {
		return models.GroupKey{}, fiber.ErrNotFound
	}
	if _, err := models.MerchantConnection(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, id); err != nil {
		return models.GroupKey{}, err
	}
	return models.GroupKey{ConnectionID: id, Side: value("side"), Reason: value("reason"), Cause: value("cause")}, nil
}

// errorGroup is GET /errors/group: one cause's blocked orders, its fix and bulk actions.
func (s *Server) errorGroup(c *fiber.Ctx) error {
	k, err := s.groupKey(c)
	if err != nil {
		return err
	}
	return s.renderGroup(c, fiber.StatusOK, k, nil, nil)
}

// renderGroup shows the group's page; a group emptied by a fix leads back to the queue.
func (s *Server) renderGroup(c *fiber.Ctx, status int, k models.GroupKey, errs views.FieldErrors, links map[string]string) error {
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	g, err := models.FindBlockedGroup(ctx, s.db.Gorm, merchantID, k)
	if errors.Is(err, models.ErrNotFound) && status == fiber.StatusOK {
		setFlash(c, "success", tr(c, "errors.group_done"))
		return redirect(c, "/errors")
	}
	if err != nil {
		return err
	}
	var after *models.Order
	if id, err := strconv.ParseInt(c.Query("after"), 10, 64); err == nil {
		if after, err = models.MerchantOrder(ctx, s.db.Gorm, merchantID, id); err != nil {
			return err
		}
	}
	orders, err := models.BlockedGroupOrders(ctx, s.db.Gorm, merchantID, k, after, groupPageSize+1)
	if err != nil {
		return err
	}
	v := views.ErrorGroupView{Group: g, CSRF: csrfToken(c), IsAdmin: canManage(c), Errs: errs, Links: links}
	if v.Assignee, v.AssignedAt, err = models.GroupAssignee(ctx, s.db.Gorm, merchantID, k); err != nil {
		return err
	}
	v.UserID = currentUser(c).ID
	if len(orders) > groupPageSize {
		orders = orders[:groupPageSize]
		v.NextAfter = orders[groupPageSize-1].ID
	}
	v.Orders = orders
	if g.Reason == models.BlockedCarrierUnmapped {
		if conn, err := models.MerchantConnection(ctx, s.db.Gorm, merchantID, k.ConnectionID); err == nil {
			carriers, _ := s.jobs.MarketplaceCarriers(ctx, conn)
			for _, carrier := range carriers {
				v.Carriers = append(v.Carriers, views.Option{Value: carrier.Name, Label: carrier.Name})
			}
		}
	}
	return s.render(c, status, views.GroupTitle(ctx, g.Reason, g.Cause), views.ErrorGroupPage(v))
}

// fixDone reports a fix and its retries, then shows what is left of the group.
func (s *Server) fixDone(c *fiber.Ctx, k models.GroupKey, res jobs.BulkResult, err error) error {
	if err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "errors.fix.done", map[string]any{"Count": res.Done}))
	return s.backToGroup(c, k)
}

// backToGroup returns to the group's page, or to the queue when no order is left in it.
func (s *Server) backToGroup(c *fiber.Ctx, k models.GroupKey) error {
	if _, err := models.FindBlockedGroup(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, k); errors.Is(err, models.ErrNotFound) {
		return redirect(c, "/errors")
	} else if err != nil {
		return err
	}
	return redirect(c, views.GroupURL(k))
}

// groupLink is POST /errors/group/link: each unknown marketplace SKU is linked to a store
// product, and the group's orders retried.
func (s *Server) groupLink(c *fiber.Ctx) error {
	k, err := s.groupKey(c)
	if err != nil {
		return err
	}
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	conn, err := models.MerchantConnection(ctx, s.db.Gorm, merchantID, k.ConnectionID)
	if err != nil {
		return err
	}
	links, errs := map[string]string{}, views.FieldErrors{}
	for _, sku := range strings.Split(k.Cause, ",") {
		storeSKU := strings.TrimSpace(c.FormValue(views.LinkField(sku)))
		links[sku] = storeSKU
		if storeSKU == "" {
			continue
		}
		products, err := models.SearchProducts(ctx, s.db.Gorm, conn, storeSKU, 20)
		if err != nil {
			return err
		}
		if !hasSKU(products, storeSKU) {
			errs[views.LinkField(sku)] = tr(c, "errors.fix.link_unknown", map[string]any{"SKU": storeSKU})
		}
	}
	if len(errs) == 0 && allEmpty(links) {
		errs[views.LinkField(strings.Split(k.Cause, ",")[0])] = tr(c, "errors.fix.link_needed")
	}
	if len(errs) > 0 {
		return s.renderGroup(c, fiber.StatusUnprocessableEntity, k, errs, links)
	}
	res, err := s.jobs.LinkUnknownProducts(ctx, s.db.Gorm, merchantID, k, links, userActor(c))
	return s.fixDone(c, k, res, err)
}

func hasSKU(products []models.Product, sku string) bool {
	for _, p := range products {
		if strings.EqualFold(p.SKU, sku) {
			return true
		}
	}
	return false
}

func allEmpty(values map[string]string) bool {
	for _, v := range values {
		if v != "" {
			return false
		}
	}
	return true
}

// groupRefresh is POST /errors/group/refresh: the store catalogue is read again, then the
// connection's orders blocked by a product or its stock are retried.
func (s *Server) groupRefresh(c *fiber.Ctx) error {
	k, err := s.groupKey(c)
	if err != nil {
		return err
	}
	if err := s.jobs.RefreshCatalogueAndRetry(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, k.ConnectionID, userActor(c)); err != nil {
		return err
	}
	setFlash(c, "info", tr(c, "errors.fix.refreshing"))
	return redirect(c, views.GroupURL(k))
}

// groupActivateCountry is POST /errors/group/activate-country (administrators).
func (s *Server) groupActivateCountry(c *fiber.Ctx) error {
	k, err := s.groupKey(c)
	if err != nil {
		return err
	}
	res, err := s.jobs.ActivateCountry(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, k, userActor(c))
	return s.fixDone(c, k, res, err)
}

// groupCarrier is POST /errors/group/carrier: the group's shipments go with the chosen
// carrier.
func (s *Server) groupCarrier(c *fiber.Ctx) error {
	k, err := s.groupKey(c)
	if err != nil {
		return err
	}
	carrier := strings.TrimSpace(c.FormValue("carrier"))
	if carrier == "" || k.Reason != models.BlockedCarrierUnmapped {
		return s.renderGroup(c, fiber.StatusUnprocessableEntity, k, views.FieldErrors{"carrier": tr(c, "errors.fix.carrier_needed")}, nil)
	}
	ctx := c.UserContext()
	if prefix := strings.TrimSpace(c.FormValue("rule_prefix")); prefix != "" {
		// Also map later tracking numbers like these to the chosen carrier, by a rule.
		conn, err := models.MerchantConnection(ctx, s.db.Gorm, currentMerchant(c).ID, k.ConnectionID)
		if err != nil {
			return err
		}
		carriers, _ := s.jobs.MarketplaceCarriers(ctx, conn)
		rule := &models.CarrierRule{MatchKind: models.MatchStartsWith, Pattern: prefix, CarrierName: carrier, CarrierCode: carrier}
		for _, known := range carriers {
			if known.Name == carrier {
				rule.CarrierCode = known.Code
			}
		}
		if err := models.AddCarrierRule(ctx, s.db.Gorm, conn, rule); err != nil {
			return s.renderGroup(c, fiber.StatusUnprocessableEntity, k, views.FieldErrors{"rule_prefix": errorText(c, err)}, nil)
		}
	}
	res, err := s.jobs.ChooseCarrier(ctx, s.db.Gorm, currentMerchant(c).ID, k, carrier, userActor(c))
	return s.fixDone(c, k, res, err)
}

// orderImportAnyway is POST /orders/:id/import-anyway: the order goes to the store without
// the stock check.
func (s *Server) orderImportAnyway(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	err = s.jobs.ImportAnyway(c.UserContext(), s.db.Gorm, o.MerchantID, o.ID, userActor(c))
	if err == nil {
		setFlash(c, "success", tr(c, "order.action.import_anyway"))
		if k, err := s.groupKey(c); err == nil { // sent from the group's page: back there
			return s.backToGroup(c, k)
		}
		return redirect(c, orderPath(o.ID))
	}
	return s.actionResult(c, o.ID, err, "order.action.import_anyway", "order.action.not_imported")
}

// storeSKUChoices is GET /connections/:id/skus: store products matching what is typed, as
// the choices of a SKU field.
func (s *Server) storeSKUChoices(c *fiber.Ctx) error {
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	conn, err := models.MerchantConnection(ctx, s.db.Gorm, merchantID, int64(id))
	if err != nil {
		return err
	}
	typed := ""
	c.Context().QueryArgs().VisitAll(func(_, value []byte) {
		if typed == "" {
			typed = strings.TrimSpace(string(value))
		}
	})
	var products []models.Product
	if typed != "" {
		if products, err = models.SearchProducts(ctx, s.db.Gorm, conn, typed, 20); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.StoreSKUChoices(conn.ID, products).Render(ctx, c.Response().BodyWriter())
}
