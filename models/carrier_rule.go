package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Carrier rule match kinds.
const (
	MatchStartsWith = "starts_with"
	MatchEndsWith   = "ends_with"
	MatchContains   = "contains"
	MatchRegex      = "regex"
	MatchLength     = "length"
)

// CarrierRule maps tracking numbers that match it to a marketplace carrier.
type CarrierRule struct {
	ID                  int64
	MerchantID          int64
	ConnectionID        int64
	Position            int
	MatchKind           string
	Pattern             string
	MinLength           int
	MaxLength           int  // 0: no upper bound
	StripMatch          bool // remove the matched text from the tracking number sent
	CarrierCode         string
	CarrierName         string
	TrackingURLTemplate string // {tracking} is replaced by the tracking number
}

// Validate checks a rule as a person typed it, with messages that say what to change.
func (r *CarrierRule) Validate() error {
	switch r.MatchKind {
	case MatchStartsWith, MatchEndsWith, MatchContains:
		if strings.TrimSpace(r.Pattern) == "" {
			return NewUserError("setup.error.rule_pattern", nil, "enter the text the tracking number must contain")
		}
	case MatchRegex:
		if r.Pattern == "" {
			return NewUserError("setup.error.rule_regex", nil, "enter a regular expression")
		}
		if _, err := regexp.Compile(r.Pattern); err != nil {
			return NewUserError("setup.error.rule_regex_invalid", map[string]any{"Detail": err.Error()},
				"the regular expression is not valid: "+err.Error())
		}
	case MatchLength:
		if r.MinLength < 0 || r.MaxLength < 0 || (r.MaxLength > 0 && r.MaxLength < r.MinLength) || (r.MinLength == 0 && r.MaxLength == 0) {
			return NewUserError("setup.error.rule_length", nil, "give a length range, such as 10 to 14 characters")
		}
	default:
		return NewUserError("setup.error.rule_kind", map[string]any{"Kind": strconv.Quote(r.MatchKind)}, fmt.Sprintf("unknown match kind %q", r.MatchKind))
	}
	if strings.TrimSpace(r.CarrierName) == "" {
		return NewUserError("setup.error.rule_carrier", nil, "choose the carrier this rule maps to")
	}
	return ValidateTrackingTemplate(r.TrackingURLTemplate)
}

// ValidateTrackingTemplate checks a tracking URL template ({tracking} stands for the number);
// empty is allowed.
func ValidateTrackingTemplate(template string) error {
	if template == "" {
		return nil
	}
	u, err := url.Parse(strings.ReplaceAll(template, "{tracking}", "X"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return NewUserError("setup.error.tracking_url", nil, "the tracking URL must be a web address such as https://carrier.example/track?n={tracking}")
	}
	return nil
}

// Match reports whether the tracking number matches, and the number to send (the matched text
// removed when the rule strips it).
func (r *CarrierRule) Match(tracking string) (bool, string) {
	tracking = strings.TrimSpace(tracking)
	pattern := strings.TrimSpace(r.Pattern)
	switch r.MatchKind {
	case MatchStartsWith:
		if pattern != "" && len(tracking) >= len(pattern) && strings.EqualFold(tracking[:len(pattern)], pattern) {
			return true, r.strip(tracking, 0, len(pattern))
		}
	case MatchEndsWith:
		if from := len(tracking) - len(pattern); pattern != "" && from >= 0 && strings.EqualFold(tracking[from:], pattern) {
			return true, r.strip(tracking, from, len(tracking))
		}
	case MatchContains:
		if i := indexFold(tracking, pattern); pattern != "" && i >= 0 {
			return true, r.strip(tracking, i, i+len(pattern))
		}
	case MatchRegex:
		re, err := regexp.Compile(r.Pattern)
		if err != nil {
			return false, tracking
		}
		if loc := re.FindStringIndex(tracking); loc != nil {
			return true, r.strip(tracking, loc[0], loc[1])
		}
	case MatchLength:
		n := utf8.RuneCountInString(tracking)
		if n >= r.MinLength && (r.MaxLength == 0 || n <= r.MaxLength) {
			return true, tracking
		}
	}
	return false, tracking
}

// indexFold is strings.Index ignoring case, in byte offsets of s.
func indexFold(s, sub string) int {
	for i := range s {
		if i+len(sub) <= len(s) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func (r *CarrierRule) strip(tracking string, from, to int) string {
	if !r.StripMatch {
		return tracking
	}
	return strings.TrimSpace(tracking[:from] + tracking[to:])
}

// CarrierDecision is the carrier sent to the marketplace and why it was chosen.
type CarrierDecision struct {
	CarrierCode    string
	CarrierName    string
	TrackingNumber string
	TrackingURL    string
	Why            string
}

// ErrCarrierUnmapped: no store carrier match, no rule match, and no default carrier.
var ErrCarrierUnmapped = errors.New("no carrier matches: the store's carrier is not one the marketplace knows, no rule matches the tracking number, and the connection has no default carrier")

// CarrierInput is what the mapping decides from.
type CarrierInput struct {
	StoreCarrier   string // the carrier as the store names it
	TrackingNumber string
	TrackingURL    string // the store's tracking URL, kept when nothing better is known
	Catalogue      []Carrier
	Rules          []CarrierRule // in position order
	DefaultCode    string
	DefaultName    string
	DefaultURL     string
}

// MapCarrier decides the carrier: the store's own carrier when the marketplace knows it, else
// the first matching rule, else the default carrier.
func MapCarrier(in CarrierInput) (CarrierDecision, error) {
	tracking := strings.TrimSpace(in.TrackingNumber)
	if in.StoreCarrier != "" {
		if carrier, ok := findCarrier(in.Catalogue, in.StoreCarrier); ok {
			return decide(carrier.Code, carrier.Name, tracking, carrier.TrackingURLTemplate, in.TrackingURL,
				fmt.Sprintf("the store's carrier %q is the marketplace's %s", in.StoreCarrier, carrier.Name)), nil
		}
	}
	if tracking != "" {
		for i, rule := range in.Rules {
			if ok, cleaned := rule.Match(tracking); ok {
				return decide(rule.CarrierCode, rule.CarrierName, cleaned, rule.TrackingURLTemplate, in.TrackingURL,
					fmt.Sprintf("rule %d (%s %q) matches the tracking number", i+1, strings.ReplaceAll(rule.MatchKind, "_", " "), ruleText(rule))), nil
			}
		}
	}
	if in.DefaultName != "" {
		return decide(in.DefaultCode, in.DefaultName, tracking, in.DefaultURL, in.TrackingURL, "the connection's default carrier"), nil
	}
	return CarrierDecision{}, ErrCarrierUnmapped
}

func ruleText(r CarrierRule) string {
	if r.MatchKind == MatchLength {
		if r.MaxLength == 0 {
			return fmt.Sprintf("%d+ characters", r.MinLength)
		}
		return fmt.Sprintf("%d-%d characters", r.MinLength, r.MaxLength)
	}
	return r.Pattern
}

func decide(code, name, tracking, template, storeURL, why string) CarrierDecision {
	d := CarrierDecision{CarrierCode: code, CarrierName: name, TrackingNumber: tracking, Why: why, TrackingURL: storeURL}
	if template != "" && tracking != "" {
		d.TrackingURL = strings.ReplaceAll(template, "{tracking}", url.PathEscape(tracking))
	}
	if tracking == "" {
		d.TrackingURL = ""
	}
	return d
}

// findCarrier matches a store's carrier name against the marketplace's catalogue by code,
// standard code or name, ignoring case, spaces and punctuation.
func findCarrier(catalogue []Carrier, storeCarrier string) (Carrier, bool) {
	want := carrierKey(storeCarrier)
	if want == "" {
		return Carrier{}, false
	}
	for _, c := range catalogue {
		if want == carrierKey(c.Code) || want == carrierKey(c.StandardCode) || want == carrierKey(c.Name) {
			return c, true
		}
	}
	return Carrier{}, false
}

func carrierKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ConnectionCarrierRules lists a connection's rules in the order they are tried.
func ConnectionCarrierRules(ctx context.Context, db *gorm.DB, merchantID, connectionID int64) ([]CarrierRule, error) {
	var rules []CarrierRule
	err := db.WithContext(ctx).Scopes(ForMerchant(merchantID)).
		Where("connection_id = ?", connectionID).Order("position, id").Find(&rules).Error
	return rules, err
}
