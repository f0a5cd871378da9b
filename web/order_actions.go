package web

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// The order page's actions go through the functions the jobs and the Store API use; those
// check the order's state again inside their transaction. The page only leaves out what the
// state does not allow.

type refuseForm struct {
	Reason string `form:"refuse_reason" validate:"required,max=500"`
}

type cancelForm struct {
	Reason string `form:"cancel_reason" validate:"max=500"`
}

type shipForm struct {
	TrackingNumber string `form:"tracking_number" validate:"max=100"`
	Carrier        string `form:"carrier" validate:"max=100"`
	CarrierOther   string `form:"carrier_other" validate:"max=100"`
	TrackingURL    string `form:"tracking_url" validate:"max=500"`
}

// errUnreadableForm refuses a form that could not be read, in the page's language.
func errUnreadableForm(c *fiber.Ctx) error {
	return fiber.NewError(fiber.StatusBadRequest, tr(c, "errorpage.unreadable_form"))
}

func orderPath(id int64) string { return "/orders/" + strconv.FormatInt(id, 10) }

// allowedActions are the actions the order's state allows, by the rules of the functions that
// carry them out.
func allowedActions(o *models.Order) views.AllowedActions {
	return views.AllowedActions{
		Decide: o.Status == models.StatusWaitingAcceptance,
		Retry:  o.StoreState == models.StoreBlocked || o.ShipmentState == models.ShipmentBlocked,
		// As jobs.CancelByStore. An order waiting acceptance is refused instead (the API's
		// cancel does that too), so the page offers Refuse there.
		Cancel: (o.Status == models.StatusWaitingShipment || o.Status == models.StatusCreated) &&
			o.ShipmentState == models.ShipmentNone && o.StoreState != models.StoreCancelled,
		Ship: (o.ShipmentState == models.ShipmentNone || o.ShipmentState == models.ShipmentAwaitingTracking) && shippable(o, "") == nil,
	}
}

// notAllowedNow is the refusal of an action whose form the page no longer shows.
func notAllowedNow(o *models.Order) error {
	return models.NewTransitionError("order.action.not_allowed_now",
		map[string]any{"Status": models.StateCode(o.Status), "Store": models.StateCode(o.StoreState), "Shipment": models.StateCode(o.ShipmentState)},
		fmt.Sprintf("the order is %s, store %s, shipment %s", views.StateLabel(o.Status), views.StateLabel(o.StoreState), views.StateLabel(o.ShipmentState)))
}

// pathOrder is the order named in the address, if it is the current merchant's.
func (s *Server) pathOrder(c *fiber.Ctx) (*models.Order, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	return models.MerchantOrder(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, int64(id))
}

// userActor names the person in the timeline; a support agent by name, for the merchant.
func userActor(c *fiber.Ctx) string {
	if user := currentUser(c); user.IsSupport() {
		return models.SupportActor(user)
	}
	return models.UserActor(currentUser(c).ID)
}

// renderOrder shows the order page with the actions its state allows: their forms as given
// (as typed, when one was refused) or, for a first look, filled in from the order.
func (s *Server) renderOrder(c *fiber.Ctx, status int, o *models.Order, actions views.OrderActions) error {
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	events, err := models.OrderEvents(ctx, s.db.Gorm, merchantID, o.ID)
	if err != nil {
		return err
	}
	actions.CSRF, actions.Allowed = csrfToken(c), allowedActions(o)
	if actions.Notes, err = models.OrderNotes(ctx, s.db.Gorm, merchantID, o.ID); err != nil {
		return err
	}
	if actions.Assignee, actions.AssignedAt, err = models.OrderAssignee(ctx, s.db.Gorm, merchantID, o.ID); err != nil {
		return err
	}
	actions.UserID = currentUser(c).ID
	if o.ShipmentState == models.ShipmentBlocked && !actions.Allowed.Ship {
		conn, rules, err := s.carrierRules(c, o)
		if err != nil {
			return err
		}
		actions.Ship.Carriers = models.ConnectionCarriers(conn, rules)
		if actions.Resend == (views.ResendForm{}) {
			actions.Resend = views.ResendForm{Carrier: o.CarrierName, Tracking: o.TrackingNumber, TrackingURL: o.TrackingURL}
		}
	}
	if !actions.Address.Typed {
		edit := models.NewAddressEdit(o)
		actions.Address = views.AddressForm{Shipping: edit.Shipping, Email: *edit.BillingEmail}
	}
	if actions.Allowed.Ship {
		conn, rules, err := s.carrierRules(c, o)
		if err != nil {
			return err
		}
		if actions.Ship.Quantities == nil { // not typed by the person yet
			actions.Ship = firstShipForm(c, o, conn, rules)
		}
		actions.Ship.Carriers = models.ConnectionCarriers(conn, rules)
	}
	if c.Method() == fiber.MethodPost && c.Get("HX-Request") == "true" {
		// The history keeps the order's address, not the address the form posted to.
		c.Set("HX-Replace-Url", orderPath(o.ID))
	}
	return s.render(c, status, tr(c, "title.order", map[string]any{"Order": o.MarketplaceOrderID}), views.OrderPage(o, events, actions))
}

// actionResult ends an action: on success, a message and back to the order page
// (POST-redirect-GET); when the order's state does not allow it, the order page as it is now,
// with why. Other errors go to the error handler. done and refused are the ids of the texts
// that say the action was done, or not.
func (s *Server) actionResult(c *fiber.Ctx, orderID int64, err error, done, refused string) error {
	if err == nil {
		setFlash(c, "success", tr(c, done))
		return redirect(c, orderPath(orderID))
	}
	if !isStateRefusal(err) {
		return err
	}
	o, loadErr := models.MerchantOrder(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, orderID)
	if loadErr != nil {
		return loadErr
	}
	message := tr(c, "order.action.refusal", map[string]any{"Action": tr(c, refused), "Reason": refusalReason(c, err)})
	return s.renderOrder(c, fiber.StatusConflict, o, views.OrderActions{Refusal: message})
}

// refusalReason is why the order's state refused an action, in the page's language.
func refusalReason(c *fiber.Ctx, err error) string {
	switch {
	case errors.Is(err, errNotAcknowledged):
		return tr(c, "order.error.not_acknowledged")
	case errors.Is(err, errNotShippable):
		return tr(c, "order.error.not_shippable")
	case errors.Is(err, errShippedOtherway):
		return tr(c, "order.error.shipped_otherway")
	}
	return errorText(c, err)
}

func isStateRefusal(err error) bool {
	return errors.Is(err, models.ErrInvalidTransition) || errors.Is(err, models.ErrConflict) ||
		errors.Is(err, errNotAcknowledged) || errors.Is(err, errNotShippable) || errors.Is(err, errShippedOtherway) ||
		errors.Is(err, models.ErrAddressNotEditable)
}

// orderAccept is POST /orders/:id/accept.
func (s *Server) orderAccept(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	err = s.jobs.DecideOrder(c.UserContext(), s.db.Gorm, o.MerchantID, o.ID, true, userActor(c), "")
	return s.actionResult(c, o.ID, err, "order.action.accepted", "order.action.not_accepted")
}

// orderRefuse is POST /orders/:id/refuse; the reason is required.
func (s *Server) orderRefuse(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	if !allowedActions(o).Decide {
		return s.actionResult(c, o.ID, notAllowedNow(o), "", "order.action.not_refused")
	}
	var form refuseForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	form.Reason = strings.TrimSpace(form.Reason)
	if errs := validateForm(c.UserContext(), form); errs != nil {
		if form.Reason == "" {
			errs["refuse_reason"] = tr(c, "order.action.refuse_reason_needed")
		}
		return s.renderOrder(c, fiber.StatusUnprocessableEntity, o, views.OrderActions{RefuseReason: form.Reason, Errs: errs})
	}
	err = s.jobs.DecideOrder(c.UserContext(), s.db.Gorm, o.MerchantID, o.ID, false, userActor(c), form.Reason)
	return s.actionResult(c, o.ID, err, "order.action.refused", "order.action.not_refused")
}

// orderRetry is POST /orders/:id/retry: a blocked order goes through its steps again.
func (s *Server) orderRetry(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	err = s.jobs.RetryOrder(c.UserContext(), s.db.Gorm, o.MerchantID, o.ID, userActor(c))
	return s.actionResult(c, o.ID, err, "order.action.retrying", "order.action.not_retried")
}

// orderCancel is POST /orders/:id/cancel, by the Store API's rules: an order waiting
// acceptance is refused; one accepted but not yet shipped is cancelled on the marketplace.
func (s *Server) orderCancel(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	if allowed := allowedActions(o); !allowed.Cancel && !allowed.Decide {
		return s.actionResult(c, o.ID, notAllowedNow(o), "", "order.action.not_cancelled")
	}
	var form cancelForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	form.Reason = strings.TrimSpace(form.Reason)
	if errs := validateForm(c.UserContext(), form); errs != nil {
		return s.renderOrder(c, fiber.StatusUnprocessableEntity, o, views.OrderActions{CancelReason: form.Reason, Errs: errs})
	}
	ctx, actor := c.UserContext(), userActor(c)
	if o.Status == models.StatusWaitingAcceptance {
		err = s.jobs.DecideOrder(ctx, s.db.Gorm, o.MerchantID, o.ID, false, actor, form.Reason)
	} else {
		err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.jobs.CancelByStore(ctx, tx, o, actor, form.Reason)
		})
	}
	return s.actionResult(c, o.ID, err, "order.action.cancelled", "order.action.not_cancelled")
}

// orderShip is POST /orders/:id/ship: the shipment is recorded as the Store API records a
// shop's, and orderhub sends it to the marketplace once, in the background.
func (s *Server) orderShip(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	if !allowedActions(o).Ship {
		return s.actionResult(c, o.ID, notAllowedNow(o), "", "order.action.not_shipped")
	}
	var form shipForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	form.TrackingNumber, form.Carrier = strings.TrimSpace(form.TrackingNumber), strings.TrimSpace(form.Carrier)
	form.CarrierOther, form.TrackingURL = strings.TrimSpace(form.CarrierOther), strings.TrimSpace(form.TrackingURL)
	errs := validateForm(c.UserContext(), form)
	if errs == nil {
		errs = views.FieldErrors{}
	}
	carrier := form.Carrier
	if carrier == "" {
		carrier = form.CarrierOther
	}
	if carrier == "" {
		errs["carrier"] = tr(c, "order.action.carrier_needed")
	}
	if form.TrackingURL != "" && !isWebAddress(form.TrackingURL) {
		errs["tracking_url"] = tr(c, "order.action.tracking_url_invalid")
	}
	lines, quantities := shippedLines(c, o, errs)
	if len(errs) == 0 {
		// wholeOrder reads no lines as "all of them", as the API means it; here, no line
		// typed is nothing shipped.
		lineErr := errPartialShipment
		if len(lines) > 0 {
			lineErr = wholeOrder(o, lines)
		}
		switch {
		case errors.Is(lineErr, errPartialShipment):
			errs["lines"] = tr(c, "order.action.partial_shipment")
		case lineErr != nil:
			errs["lines"] = lineErr.Error() // not reached: shippedLines checked every line
		}
	}
	if len(errs) > 0 {
		typed := views.ShipForm{TrackingNumber: form.TrackingNumber, Carrier: form.Carrier, CarrierOther: form.CarrierOther,
			TrackingURL: form.TrackingURL, Quantities: quantities}
		return s.renderOrder(c, fiber.StatusUnprocessableEntity, o, views.OrderActions{Ship: typed, Errs: errs})
	}

	ctx, merchantID, actor := c.UserContext(), currentMerchant(c).ID, userActor(c)
	state := ""
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Read again in the transaction: someone may have shipped it since the page showed.
		order, err := models.MerchantOrder(ctx, tx, merchantID, o.ID)
		if err != nil {
			return err
		}
		if err := shippable(order, form.TrackingNumber); err != nil || order.ShipmentState != models.ShipmentNone && order.ShipmentState != models.ShipmentAwaitingTracking {
			state = order.ShipmentState
			return err // nil: this very shipment was taken already (the form sent twice)
		}
		conn, err := models.MerchantConnection(ctx, tx, merchantID, order.ConnectionID)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		// The shipment's own event names the store, as for every shipment; this one names the person.
		if err := models.AddOrderEvent(ctx, tx, order, actor, "shipment.marked", "Marked as shipped by hand in orderhub.", nil, now); err != nil {
			return err
		}
		shipment := models.StoreShipment{StoreOrderID: order.StoreOrderID, RawStatus: "marked as shipped in orderhub", Shipped: true,
			Carrier: carrier, TrackingNumber: form.TrackingNumber, TrackingURL: form.TrackingURL, ShippedAt: &now}
		if err := s.jobs.ShipmentReported(ctx, tx, order, shipment, conn.TrackingWait()); err != nil {
			return err
		}
		state = order.ShipmentState
		return nil
	})
	done := "order.action.shipped"
	if state == models.ShipmentAwaitingTracking {
		done = "order.action.shipped_without_tracking"
	}
	return s.actionResult(c, o.ID, err, done, "order.action.not_shipped")
}

// shippedLines reads the quantity typed for each line of the order, with an error next to
// each that is not a quantity of that line. Lines with none shipped are left out.
func shippedLines(c *fiber.Ctx, o *models.Order, errs views.FieldErrors) (lines []shipLine, typed map[int64]string) {
	typed = map[int64]string{}
	for _, line := range o.Lines {
		field := views.LineQuantityField(line.ID)
		value := strings.TrimSpace(c.FormValue(field))
		typed[line.ID] = value
		n := 0
		if value != "" {
			var err error
			if n, err = strconv.Atoi(value); err != nil || n < 0 || n > line.Quantity {
				errs[field] = tr(c, "order.action.line_quantity", map[string]any{"Max": line.Quantity})
				continue
			}
		}
		if n > 0 {
			lines = append(lines, shipLine{ID: line.ID, Quantity: n})
		}
	}
	return lines, typed
}

func isWebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// orderCarrier is GET /orders/:id/carrier?tracking_number=…: the ship form's carrier and
// tracking URL as the connection's carrier rules give them for that tracking number. The
// tracking field swaps it in as the person types.
func (s *Server) orderCarrier(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	conn, rules, err := s.carrierRules(c, o)
	if err != nil {
		return err
	}
	tracking := strings.TrimSpace(c.Query("tracking_number"))
	form := views.ShipForm{TrackingNumber: tracking, Carriers: models.ConnectionCarriers(conn, rules)}
	suggestion, err := models.SuggestCarrier(conn, rules, tracking)
	switch {
	case errors.Is(err, models.ErrCarrierUnmapped):
		if tracking != "" {
			form.RuleSummary = tr(c, "order.action.no_rule")
		}
	case err != nil:
		return err
	default:
		form.Carrier, form.CarrierOther = splitCarrier(suggestion.CarrierName, form.Carriers)
		form.TrackingURL, form.RuleSummary = suggestion.TrackingURL, ruleSummary(c, rules, tracking, suggestion)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.ShipCarrier(form, nil).Render(c.UserContext(), c.Response().BodyWriter())
}

func (s *Server) carrierRules(c *fiber.Ctx, o *models.Order) (*models.Connection, []models.CarrierRule, error) {
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	conn, err := models.MerchantConnection(ctx, s.db.Gorm, merchantID, o.ConnectionID)
	if err != nil {
		return nil, nil, err
	}
	rules, err := models.ConnectionCarrierRules(ctx, s.db.Gorm, merchantID, conn.ID)
	return conn, rules, err
}

// firstShipForm fills the ship form in from the order (a store shipment waiting for tracking
// may name its carrier already) and, failing that, from the carrier rules.
func firstShipForm(c *fiber.Ctx, o *models.Order, conn *models.Connection, rules []models.CarrierRule) views.ShipForm {
	f := views.ShipForm{TrackingNumber: o.TrackingNumber, TrackingURL: o.TrackingURL, Quantities: map[int64]string{}}
	for _, line := range o.Lines {
		f.Quantities[line.ID] = strconv.Itoa(line.Quantity)
	}
	carrier := o.CarrierName
	if carrier == "" {
		if suggestion, err := models.SuggestCarrier(conn, rules, o.TrackingNumber); err == nil {
			carrier, f.RuleSummary = suggestion.CarrierName, ruleSummary(c, rules, o.TrackingNumber, suggestion)
			if f.TrackingURL == "" {
				f.TrackingURL = suggestion.TrackingURL
			}
		}
	}
	f.Carrier, f.CarrierOther = splitCarrier(carrier, models.ConnectionCarriers(conn, rules))
	return f
}

// splitCarrier puts a carrier in the select when it lists it, else in the free-text field.
func splitCarrier(name string, carriers []models.Carrier) (selected, other string) {
	for _, c := range carriers {
		if strings.EqualFold(c.Name, name) {
			return c.Name, ""
		}
	}
	return "", name
}
