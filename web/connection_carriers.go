package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// carrierStepData reads what the carrier step shows: the marketplace's carriers (when it
// answers; otherwise the carrier is typed) and the connection's rules.
func (s *Server) carrierStepData(c *fiber.Ctx, conn *models.Connection, v *views.SetupView) error {
	if conn.MarketplaceCredentials != "" {
		carriers, err := s.jobs.MarketplaceCarriers(c.UserContext(), conn)
		if err != nil {
			v.CarrierListError = "The marketplace's carrier list could not be read (" + checkMessage(err) + "); type the carrier's name instead."
		}
		v.Carriers = carriers
	}
	rules, err := models.ConnectionCarrierRules(c.UserContext(), s.db.Gorm, conn.MerchantID, conn.ID)
	v.Rules = rules
	return err
}

// setupDefaultCarrier is POST /connections/{id}/setup/carriers: the carrier sent when nothing
// else matches.
func (s *Server) setupDefaultCarrier(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	code := strings.TrimSpace(c.FormValue("carrier_code"))
	name := strings.TrimSpace(c.FormValue("carrier_name"))
	urlTemplate := strings.TrimSpace(c.FormValue("carrier_url"))
	if code != "" {
		carriers, err := s.jobs.MarketplaceCarriers(c.UserContext(), conn)
		if err == nil {
			for _, carrier := range carriers {
				if carrier.Code == code {
					name = carrier.Name
					if urlTemplate == "" {
						urlTemplate = carrier.TrackingURLTemplate
					}
				}
			}
		}
	}
	errs := views.FieldErrors{}
	if name == "" {
		errs["carrier_code"] = "Choose the carrier sent when no rule matches: usually the one you ship most with."
	}
	if err := models.ValidateTrackingTemplate(urlTemplate); err != nil {
		errs["carrier_url"] = capitalize(err.Error()) + "."
	}
	if len(errs) > 0 {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepCarriers, errs, "")
	}
	conn.DefaultCarrierCode, conn.DefaultCarrierName, conn.DefaultCarrierURL = code, name, urlTemplate
	if err := models.SaveConnection(c.UserContext(), s.db.Gorm, conn); err != nil {
		return err
	}
	setFlash(c, "success", "Default carrier saved: "+name+".")
	return redirect(c, setupURL(conn, models.StepCarriers))
}

// carrierRuleAdd is POST /connections/{id}/carriers/rules.
func (s *Server) carrierRuleAdd(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	rule := models.CarrierRule{
		MatchKind: c.FormValue("match_kind"), Pattern: c.FormValue("pattern"), StripMatch: c.FormValue("strip_match") == "1",
		CarrierCode: strings.TrimSpace(c.FormValue("rule_carrier_code")), CarrierName: strings.TrimSpace(c.FormValue("rule_carrier_name")),
		TrackingURLTemplate: strings.TrimSpace(c.FormValue("rule_url")),
	}
	rule.MinLength, _ = strconv.Atoi(c.FormValue("min_length"))
	rule.MaxLength, _ = strconv.Atoi(c.FormValue("max_length"))
	if rule.CarrierCode != "" && rule.CarrierName == "" {
		if carriers, err := s.jobs.MarketplaceCarriers(c.UserContext(), conn); err == nil {
			for _, carrier := range carriers {
				if carrier.Code == rule.CarrierCode {
					rule.CarrierName = carrier.Name
					if rule.TrackingURLTemplate == "" {
						rule.TrackingURLTemplate = carrier.TrackingURLTemplate // the marketplace's own link
					}
				}
			}
		}
	}
	if err := models.AddCarrierRule(c.UserContext(), s.db.Gorm, conn, &rule); err != nil {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepCarriers, views.FieldErrors{"rule": capitalize(err.Error()) + "."}, "")
	}
	setFlash(c, "success", "Rule added.")
	return redirect(c, setupURL(conn, models.StepCarriers))
}

// carrierRuleDelete is POST /connections/{id}/carriers/rules/{rule}/delete.
func (s *Server) carrierRuleDelete(c *fiber.Ctx) error {
	return s.carrierRuleChange(c, func(conn *models.Connection, id int64) error {
		return models.DeleteCarrierRule(c.UserContext(), s.db.Gorm, conn, id)
	}, "Rule deleted.")
}

// carrierRuleMove is POST /connections/{id}/carriers/rules/{rule}/move (direction up or down).
func (s *Server) carrierRuleMove(c *fiber.Ctx) error {
	return s.carrierRuleChange(c, func(conn *models.Connection, id int64) error {
		return models.MoveCarrierRule(c.UserContext(), s.db.Gorm, conn, id, c.FormValue("direction") == "up")
	}, "Rule moved.")
}

func (s *Server) carrierRuleChange(c *fiber.Ctx, change func(*models.Connection, int64) error, done string) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("rule")
	if err != nil {
		return fiber.ErrNotFound
	}
	err = change(conn, int64(id))
	switch {
	case errors.Is(err, models.ErrNotFound):
		return err
	case err != nil:
		setFlash(c, "error", capitalize(err.Error())+".")
	default:
		setFlash(c, "success", done)
	}
	return redirect(c, setupURL(conn, models.StepCarriers))
}

// carrierTest is GET /connections/{id}/carriers/test?tracking=…: which rule wins for a
// tracking number, and the carrier and URL orderhub would send.
func (s *Server) carrierTest(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	rules, err := models.ConnectionCarrierRules(c.UserContext(), s.db.Gorm, conn.MerchantID, conn.ID)
	if err != nil {
		return err
	}
	tracking := strings.TrimSpace(c.Query("tracking"))
	result := views.CarrierTestResult{Tracking: tracking}
	if tracking != "" {
		decision, err := models.MapCarrier(models.CarrierInput{TrackingNumber: tracking, Rules: rules,
			DefaultCode: conn.DefaultCarrierCode, DefaultName: conn.DefaultCarrierName, DefaultURL: conn.DefaultCarrierURL})
		if err != nil {
			result.Error = "No rule matches and there is no default carrier yet: choose one above."
		} else {
			result.Decision = &decision
		}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.CarrierTestBox(result).Render(c.UserContext(), c.Response().BodyWriter())
}
