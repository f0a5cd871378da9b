package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/views"
)

// orderResend is POST /orders/:id/resend: a shipment the marketplace refused (or whose
// carrier had no match) is corrected and sent again.
func (s *Server) orderResend(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	form := views.ResendForm{Carrier: strings.TrimSpace(c.FormValue("resend_carrier")),
		Tracking: strings.TrimSpace(c.FormValue("resend_tracking")), TrackingURL: strings.TrimSpace(c.FormValue("resend_tracking_url"))}
	errs := views.FieldErrors{}
	if form.Carrier == "" {
		errs["resend_carrier"] = tr(c, "errors.fix.carrier_needed")
	}
	if form.TrackingURL != "" && !isWebAddress(form.TrackingURL) {
		errs["resend_tracking_url"] = tr(c, "order.action.tracking_url_invalid")
	}
	if len(errs) > 0 {
		return s.renderOrder(c, fiber.StatusUnprocessableEntity, o, views.OrderActions{Resend: form, Errs: errs})
	}
	err = s.jobs.CorrectShipment(c.UserContext(), s.db.Gorm, o.MerchantID, o.ID, form.Carrier, form.Tracking, form.TrackingURL, userActor(c))
	return s.actionResult(c, o.ID, err, "order.action.resent", "order.action.not_resent")
}
