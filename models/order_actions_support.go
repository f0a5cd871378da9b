package models

import (
	"fmt"
	"strconv"
	"strings"
)

// UserActor names a logged-in person in the timeline.
func UserActor(userID int64) string {
	return "user:" + strconv.FormatInt(userID, 10)
}

// ConnectionCarriers are the carriers a person can pick when shipping an order by hand: the
// connection's default carrier, then the carriers its rules name, each once.
func ConnectionCarriers(c *Connection, rules []CarrierRule) []Carrier {
	var list []Carrier
	seen := map[string]bool{}
	add := func(code, name, template string) {
		key := carrierKey(name)
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		list = append(list, Carrier{Code: code, Name: name, TrackingURLTemplate: template})
	}
	add(c.DefaultCarrierCode, c.DefaultCarrierName, c.DefaultCarrierURL)
	for _, r := range rules {
		add(r.CarrierCode, r.CarrierName, r.TrackingURLTemplate)
	}
	return list
}

// CarrierSuggestion is what the carrier mapping would send for a tracking number typed by
// hand, and why, in words.
type CarrierSuggestion struct {
	CarrierDecision
	Rule    int    // position (from 1) of the rule that matched; 0 for the default carrier
	Summary string // "Rule 2: starts with 6A → Colissimo"
}

// SuggestCarrier runs the connection's carrier mapping on a tracking number alone. With no
// match and no default carrier it returns ErrCarrierUnmapped.
func SuggestCarrier(c *Connection, rules []CarrierRule, tracking string) (CarrierSuggestion, error) {
	tracking = strings.TrimSpace(tracking)
	decision, err := MapCarrier(CarrierInput{TrackingNumber: tracking, Rules: rules,
		DefaultCode: c.DefaultCarrierCode, DefaultName: c.DefaultCarrierName, DefaultURL: c.DefaultCarrierURL})
	if err != nil {
		return CarrierSuggestion{}, err
	}
	s := CarrierSuggestion{CarrierDecision: decision,
		Summary: fmt.Sprintf("No rule matches: the connection's default carrier, %s.", decision.CarrierName)}
	if tracking == "" {
		s.Summary = ""
		return s, nil
	}
	// MapCarrier takes the first rule that matches; find it again to name it.
	for i, r := range rules {
		if ok, _ := r.Match(tracking); ok {
			s.Rule = i + 1
			s.Summary = fmt.Sprintf("Rule %d: %s %s → %s", i+1, strings.ReplaceAll(r.MatchKind, "_", " "), ruleText(r), r.CarrierName)
			break
		}
	}
	if decision.TrackingNumber != tracking {
		s.Summary += fmt.Sprintf(" (sent as %s)", decision.TrackingNumber)
	}
	return s, nil
}
