package bol

import (
	"encoding/json"
	"fmt"
	"time"
)

// cursor is where ChangedOrders resumes. The first window reads every open order; each
// later window reads the items changed since Since, by change-interval-minute when Since
// is less than an hour ago, else day by day with latest-change-date up to today. Page is
// the next page of the current window (0: a new window starts); Started is when the
// window began, and becomes Since when it ends. Minutes and Day fix the window's filter
// for all its pages.
type cursor struct {
	Since   time.Time `json:"since,omitzero"`
	Started time.Time `json:"started,omitzero"`
	Page    int       `json:"page,omitempty"`
	Minutes int       `json:"minutes,omitempty"`
	Day     string    `json:"day,omitempty"`
}

func parseCursor(text string) (cursor, error) {
	var c cursor
	if text == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(text), &c); err != nil || c.Page < 0 || c.Minutes < 0 || c.Minutes > maxIntervalMinutes {
		return cursor{}, fmt.Errorf("bol: the order cursor %q is not one this connector wrote", text)
	}
	if c.Day != "" {
		if _, err := time.Parse(time.DateOnly, c.Day); err != nil {
			return cursor{}, fmt.Errorf("bol: the order cursor %q is not one this connector wrote", text)
		}
	}
	return c, nil
}

func (c cursor) String() string {
	text, _ := json.Marshal(c) // times, ints and a string always encode
	return string(text)
}

// maxIntervalMinutes is the largest change-interval-minute bol accepts.
const maxIntervalMinutes = 60

// intervalMargin widens a change-interval-minute window: bol counts whole minutes, and the
// spec asks to poll at least a minute more often than the interval.
const intervalMargin = 2 * time.Minute

// dutchTime is the zone bol's dates are in.
var dutchTime = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}()

// start opens a new window at now.
func (c cursor) start(now time.Time) cursor {
	next := cursor{Since: c.Since, Started: now, Page: 1}
	switch {
	case c.Since.IsZero():
		// The first window: every open order, whatever its age.
	case now.Sub(c.Since)+intervalMargin <= maxIntervalMinutes*time.Minute:
		minutes := int((now.Sub(c.Since) + intervalMargin + time.Minute - 1) / time.Minute)
		next.Minutes = max(minutes, 1)
	default:
		next.Day = c.Since.In(dutchTime).Format(time.DateOnly)
	}
	return next
}

// next returns where to resume after a page of n orders, and whether more follows now.
func (c cursor) next(n int, now time.Time) (cursor, bool) {
	if n >= pageSize {
		c.Page++
		return c, true
	}
	if c.Day != "" && c.Day < now.In(dutchTime).Format(time.DateOnly) {
		day, _ := time.Parse(time.DateOnly, c.Day) // checked by parseCursor or written by start
		c.Day, c.Page = day.AddDate(0, 0, 1).Format(time.DateOnly), 1
		return c, true
	}
	return cursor{Since: c.Started}, false
}

// pageSize is bol's fixed page size for the order list.
const pageSize = 50
