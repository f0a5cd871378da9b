package mirakl

import (
	"encoding/json"
	"fmt"
	"time"
)

// cursor is where ChangedOrders resumes. One window lists the orders updated since Since
// (all orders when Since is zero), page by page by Offset; MaxSeen is the latest
// last_updated_date met in the window, and becomes the next window's Since.
type cursor struct {
	Since   time.Time `json:"since,omitzero"`
	Offset  int       `json:"offset,omitempty"`
	MaxSeen time.Time `json:"max_seen,omitzero"`
}

func parseCursor(text string) (cursor, error) {
	var c cursor
	if text == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(text), &c); err != nil || c.Offset < 0 {
		return cursor{}, fmt.Errorf("mirakl: the order cursor %q is not one this connector wrote", text)
	}
	return c, nil
}

func (c cursor) String() string {
	text, _ := json.Marshal(c) // a struct of times and an int always encodes
	return string(text)
}

// next returns where to resume after a page of n orders out of total. Within a window the
// offset moves on; at its end the next window starts at the latest update seen. Mirakl
// subtracts a delta from start_update_date, so windows overlap and orderhub de-duplicates.
func (c cursor) next(n, total int) (cursor, bool) {
	if n > 0 && c.Offset+n < total {
		return cursor{Since: c.Since, Offset: c.Offset + n, MaxSeen: c.MaxSeen}, true
	}
	since := c.Since
	if c.MaxSeen.After(since) {
		since = c.MaxSeen
	}
	return cursor{Since: since, MaxSeen: since}, false
}
