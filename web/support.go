package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// supportHome is GET /support: search every merchant's orders, and every merchant's blocked
// orders by cause.
func (s *Server) supportHome(c *fiber.Ctx) error {
	ctx := c.UserContext()
	query := strings.TrimSpace(c.Query("q"))
	hits, err := models.SupportSearch(ctx, s.db.Gorm, query)
	if err != nil {
		return err
	}
	groups, err := models.ErrorQueue(ctx, s.db.Gorm, 0, models.ErrorQueueFilter{}, time.Now())
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, tr(c, "support.title"), views.SupportPage(views.SupportView{
		Query: query, Hits: hits, Groups: groups, CSRF: csrfToken(c)}))
}

// supportEnter is POST /support/enter: the agent works in the merchant's account, at the page
// given, until they leave. Entering is audited like every change they make there.
func (s *Server) supportEnter(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := strconv.ParseInt(c.FormValue("merchant_id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	merchant, err := models.FindMerchant(ctx, s.db.Gorm, id)
	if err != nil {
		return err
	}
	setSession(c, sessionSupportMerchant, merchant.ID)
	err = models.RecordAudit(ctx, s.db.Gorm, &models.AuditEvent{MerchantID: merchant.ID, UserID: currentUser(c).ID,
		Action: "enter the account", Subject: "merchant " + merchant.Name, Status: fiber.StatusSeeOther, At: time.Now().UTC()})
	if err != nil {
		return err
	}
	next := c.FormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/dashboard"
	}
	return redirect(c, next)
}

// supportLeave is POST /support/leave.
func (s *Server) supportLeave(c *fiber.Ctx) error {
	deleteSession(c, sessionSupportMerchant)
	return redirect(c, "/support")
}

// auditSupport records every change a support agent makes in a merchant's account: the
// request, and the state of the order, connection or group of orders it touched before and
// after. A change to an order also shows in that order's timeline, for the merchant to see.
func (s *Server) auditSupport(c *fiber.Ctx) error {
	user, merchant := currentUser(c), currentMerchant(c)
	if user == nil || !user.IsSupport() || merchant == nil || c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead ||
		strings.HasPrefix(c.Path(), "/support/") || c.Path() == "/logout" || c.Path() == "/account/language" {
		return c.Next()
	}
	action := c.Method() + " " + c.Path()
	subject, order, before := s.auditState(c, merchant.ID)
	err := c.Next()
	status := c.Response().StatusCode()
	var fe *fiber.Error
	if errors.As(err, &fe) {
		status = fe.Code
	} else if err != nil {
		status = fiber.StatusInternalServerError
	}
	_, _, after := s.auditState(c, merchant.ID)
	ctx := c.UserContext()
	event := &models.AuditEvent{MerchantID: merchant.ID, UserID: user.ID, Action: action, Subject: subject,
		BeforeState: before, AfterState: after, Status: status, At: time.Now().UTC()}
	if auditErr := models.RecordAudit(ctx, s.db.Gorm, event); auditErr != nil {
		s.logger.Error("recording a support action", "merchant", merchant.ID, "user", user.ID, "err", auditErr)
	}
	if order != nil && status < 400 {
		message := fmt.Sprintf("Support agent %s: %s. Before: %s. After: %s.", user.DisplayName(), action, before, after)
		if eventErr := models.AddOrderEvent(ctx, s.db.Gorm, order, models.SupportActor(user), "support.action", message, nil, time.Now()); eventErr != nil {
			s.logger.Error("adding a support action to the timeline", "order", order.ID, "err", eventErr)
		}
	}
	return err
}

// auditState describes what the request touches, as it is now: an order (/orders/:id/...), a
// connection (/connections/:id/...) or a group of blocked orders (/errors/...).
func (s *Server) auditState(c *fiber.Ctx, merchantID int64) (subject string, order *models.Order, state string) {
	ctx := c.UserContext()
	parts := strings.Split(strings.Trim(c.Path(), "/"), "/")
	id := int64(0)
	if len(parts) > 1 {
		id, _ = strconv.ParseInt(parts[1], 10, 64)
	}
	switch {
	case parts[0] == "orders" && id != 0:
		o, err := models.MerchantOrder(ctx, s.db.Gorm, merchantID, id)
		if err != nil {
			return "order " + parts[1], nil, "not found"
		}
		return "order " + o.MarketplaceOrderID, o, orderState(o)
	case parts[0] == "connections" && id != 0:
		conn, err := models.MerchantConnection(ctx, s.db.Gorm, merchantID, id)
		if err != nil {
			return "connection " + parts[1], nil, "not found"
		}
		return "connection " + conn.Name, nil, fmt.Sprintf("state %s, countries %q, auto-accept %v, poll every %d s, required %q, default carrier %q",
			conn.State, conn.ActiveCountries, conn.AutoAccept, conn.PollIntervalSeconds, conn.RequiredFields, conn.DefaultCarrierName)
	case parts[0] == "errors":
		k, err := s.groupKey(c)
		if err != nil {
			return "error queue", nil, ""
		}
		subject = fmt.Sprintf("group %s/%s %q on connection %d", k.Side, k.Reason, k.Cause, k.ConnectionID)
		g, err := models.FindBlockedGroup(ctx, s.db.Gorm, merchantID, k)
		if err != nil {
			return subject, nil, "0 orders blocked"
		}
		return subject, nil, fmt.Sprintf("%d orders blocked", g.Count)
	}
	return c.Path(), nil, ""
}

// orderState is an order's states in a line, for the audit.
func orderState(o *models.Order) string {
	state := fmt.Sprintf("status %s, store %s", o.Status, o.StoreState)
	if o.StoreBlockedReason != "" {
		state += " (" + o.StoreBlockedReason + ")"
	}
	state += ", shipment " + o.ShipmentState
	if o.ShipmentBlockedReason != "" {
		state += " (" + o.ShipmentBlockedReason + ")"
	}
	if o.TrackingNumber != "" {
		state += ", tracking " + o.TrackingNumber
	}
	return state + fmt.Sprintf(", phone %q, postcode %q", o.Shipping.Phone, o.Shipping.PostalCode)
}
