package amazon

import (
	"encoding/json"
	"fmt"
	"time"
)

// cursor is where ChangedOrders resumes. A window lists the orders updated since Since, page
// by page with Token (searchOrders' pagination.nextToken); Before is the window's end as
// the first page's lastUpdatedBefore gave it, and becomes the next window's Since. MaxSeen is
// the latest lastUpdatedTime met, used when an answer gives no lastUpdatedBefore.
type cursor struct {
	Since   time.Time `json:"since,omitzero"`
	Token   string    `json:"token,omitempty"`
	Before  time.Time `json:"before,omitzero"`
	MaxSeen time.Time `json:"max_seen,omitzero"`
}

func parseCursor(text string) (cursor, error) {
	var c cursor
	if text == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		return cursor{}, fmt.Errorf("amazon: the order cursor %q is not one this connector wrote", text)
	}
	return c, nil
}

func (c cursor) String() string {
	text, _ := json.Marshal(c) // times and strings always encode
	return string(text)
}

// settleLag keeps a window's start this far behind now: Amazon may still be writing the
// latest changes, and lastUpdatedBefore must be at least this old.
const settleLag = 2 * time.Minute

// next returns where to resume after a page. With a next token the window goes on; at its end
// the next window starts at the window's end, never later than settleLag before now and
// never before this window's start. Windows may overlap; orderhub de-duplicates by id.
func (c cursor) next(nextToken string, now time.Time) (cursor, bool) {
	if nextToken != "" {
		return cursor{Since: c.Since, Token: nextToken, Before: c.Before, MaxSeen: c.MaxSeen}, true
	}
	end := c.Before
	if end.IsZero() {
		end = c.MaxSeen
	}
	if limit := now.Add(-settleLag); end.After(limit) {
		end = limit
	}
	if end.Before(c.Since) {
		end = c.Since
	}
	return cursor{Since: end}, false
}
