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
			v.CarrierListError = tr(c, "setup.carriers.list_error", map[string]any{"Detail": checkMessage(c, err)})
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
		errs["carrier_code"] = tr(c, "setup.error.default_carrier")
	}
	if err := models.ValidateTrackingTemplate(urlTemplate); err != nil {
		errs["carrier_url"] = errorSentence(c, err)
	}
	if len(errs) > 0 {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepCarriers, errs, "")
	}
	conn.DefaultCarrierCode, conn.DefaultCarrierName, conn.DefaultCarrierURL = code, name, urlTemplate
	if err := models.SaveConnection(c.UserContext(), s.db.Gorm, conn); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.default_carrier_saved", map[string]any{"Name": name}))
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
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepCarriers, views.FieldErrors{"rule": errorSentence(c, err)}, "")
	}
	setFlash(c, "success", tr(c, "flash.rule_added"))
	return redirect(c, setupURL(conn, models.StepCarriers))
}

// carrierRuleDelete is POST /connections/{id}/carriers/rules/{rule}/delete.
func (s *Server) carrierRuleDelete(c *fiber.Ctx) error {
	return s.carrierRuleChange(c, func(conn *models.Connection, id int64) error {
		return models.DeleteCarrierRule(c.UserContext(), s.db.Gorm, conn, id)
	}, "flash.rule_deleted")
}

// carrierRuleMove is POST /connections/{id}/carriers/rules/{rule}/move (direction up or down).
func (s *Server) carrierRuleMove(c *fiber.Ctx) error {
	return s.carrierRuleChange(c, func(conn *models.Connection, id int64) error {
		return models.MoveCarrierRule(c.UserContext(), s.db.Gorm, conn, id, c.FormValue("direction") == "up")
	}, "flash.rule_moved")
}

// carrierRuleChange applies a change to a rule; done is the id of the text that says it is done.
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
		setFlash(c, "error", errorSentence(c, err))
	default:
		setFlash(c, "success", tr(c, done))
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
		suggestion, err := models.SuggestCarrier(conn, rules, tracking)
		if err != nil {
			result.Error = tr(c, "setup.try.no_carrier")
		} else {
			decision := suggestion.CarrierDecision
			decision.Why = carrierWhy(c, rules, suggestion.Rule)
			result.Decision = &decision
		}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.CarrierTestBox(result).Render(c.UserContext(), c.Response().BodyWriter())
}

// The carrier rules in words of the page's language. Their English is the one
// models.MapCarrier and models.SuggestCarrier write.

// matchWords is a rule's kind of match: "starts with", "regex"...
func matchWords(c *fiber.Ctx, kind string) string {
	fallback := strings.ReplaceAll(kind, "_", " ")
	switch kind {
	case models.MatchStartsWith, models.MatchEndsWith, models.MatchContains:
		return trOr(c, "setup.match."+kind, fallback)
	}
	return trOr(c, "setup.rule.short."+kind, fallback)
}

// ruleWords is what a rule matches: its text, or its length range.
func ruleWords(c *fiber.Ctx, r models.CarrierRule) string {
	if r.MatchKind != models.MatchLength {
		return r.Pattern
	}
	if r.MaxLength == 0 {
		return tr(c, "setup.rule.short.length_min", map[string]any{"Min": r.MinLength})
	}
	return tr(c, "setup.rule.short.length_range", map[string]any{"Min": r.MinLength, "Max": r.MaxLength})
}

// carrierWhy says why the carrier was chosen: rule is the position (from 1) of the rule that
// matched, 0 for the connection's default carrier.
func carrierWhy(c *fiber.Ctx, rules []models.CarrierRule, rule int) string {
	if rule < 1 || rule > len(rules) {
		return tr(c, "setup.try.why_default")
	}
	r := rules[rule-1]
	return tr(c, "setup.try.why_rule", map[string]any{"Number": rule, "Match": matchWords(c, r.MatchKind), "Pattern": strconv.Quote(ruleWords(c, r))})
}

// ruleSummary is the carrier suggested for a tracking number, in words: "Rule 2: starts with
// 6A → Colissimo"; empty when no tracking number was typed.
func ruleSummary(c *fiber.Ctx, rules []models.CarrierRule, tracking string, s models.CarrierSuggestion) string {
	tracking = strings.TrimSpace(tracking)
	if tracking == "" {
		return ""
	}
	summary := tr(c, "order.action.rule_default", map[string]any{"Carrier": s.CarrierName})
	if s.Rule >= 1 && s.Rule <= len(rules) {
		r := rules[s.Rule-1]
		summary = tr(c, "order.action.rule_summary", map[string]any{"Number": s.Rule, "Match": matchWords(c, r.MatchKind),
			"Pattern": ruleWords(c, r), "Carrier": r.CarrierName})
	}
	if s.TrackingNumber != tracking {
		summary = tr(c, "order.action.rule_sent_as", map[string]any{"Summary": summary, "Tracking": s.TrackingNumber})
	}
	return summary
}
