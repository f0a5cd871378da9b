package models

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Behaviour is how an active connection treats orders, editable on its settings page.
type Behaviour struct {
	AutoAccept          bool
	PollIntervalSeconds int
	BlockOutOfStock     bool
	ActiveCountries     []string // ISO alpha-2; empty: every country
	RequiredFields      []string // of BuyerFields
	TrackingWaitHours   int
}

// PollIntervals are the poll intervals offered, in seconds.
var PollIntervals = []int{30, 60, 120, 300, 600, 900, 1800}

// MaxTrackingWaitHours bounds the wait for a tracking number.
const MaxTrackingWaitHours = 72

// Behaviour returns the connection's current behaviour.
func (c *Connection) Behaviour() Behaviour {
	return Behaviour{
		AutoAccept: c.AutoAccept, PollIntervalSeconds: c.PollIntervalSeconds, BlockOutOfStock: c.BlockOutOfStock,
		ActiveCountries: c.Countries(), RequiredFields: splitList(strings.ToLower(c.RequiredFields)),
		TrackingWaitHours: c.TrackingWaitSeconds / 3600,
	}
}

// SetBehaviour checks and applies a behaviour; it returns a problem per field (each a
// *UserError), and changes nothing when there is one.
func (c *Connection) SetBehaviour(b Behaviour) map[string]error {
	problems := map[string]error{}
	if !slices.Contains(PollIntervals, b.PollIntervalSeconds) {
		problems["poll_interval"] = NewUserError("settings.error.poll_interval", nil, "Choose one of the intervals offered.")
	}
	if b.TrackingWaitHours < 0 || b.TrackingWaitHours > MaxTrackingWaitHours {
		problems["tracking_wait"] = NewUserError("settings.error.tracking_wait", map[string]any{"Max": MaxTrackingWaitHours},
			fmt.Sprintf("Wait from 0 to %d hours for a tracking number.", MaxTrackingWaitHours))
	}
	var countries []string
	for _, code := range b.ActiveCountries {
		code = strings.ToUpper(strings.TrimSpace(code))
		if code == "" {
			continue
		}
		if len(code) != 2 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			problems["active_countries"] = NewUserError("settings.error.country", map[string]any{"Code": strconv.Quote(code)},
				fmt.Sprintf("%q is not a country code: use two letters, such as FR, BE, NL.", code))
			break
		}
		if !slices.Contains(countries, code) {
			countries = append(countries, code)
		}
	}
	for _, f := range b.RequiredFields {
		if !slices.Contains(BuyerFields, f) {
			problems["required_fields"] = NewUserError("settings.error.buyer_field", map[string]any{"Field": strconv.Quote(f)},
				fmt.Sprintf("Unknown buyer field %q.", f))
		}
	}
	if len(problems) > 0 {
		return problems
	}
	c.AutoAccept, c.PollIntervalSeconds, c.BlockOutOfStock = b.AutoAccept, b.PollIntervalSeconds, b.BlockOutOfStock
	c.ActiveCountries = strings.Join(countries, ",")
	c.RequiredFields = strings.Join(b.RequiredFields, ",")
	c.TrackingWaitSeconds = b.TrackingWaitHours * 3600
	return nil
}

// PollIntervalLabel says an interval in words.
func PollIntervalLabel(seconds int) string {
	d := time.Duration(seconds) * time.Second
	if d < time.Minute {
		return fmt.Sprintf("every %d seconds", seconds)
	}
	if d == time.Minute {
		return "every minute"
	}
	return fmt.Sprintf("every %d minutes", int(d.Minutes()))
}
