package apiclient

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Error is a failed API call.
type Error struct {
	Method     string
	URL        string // secrets removed
	Status     int    // 0 when no answer came
	Code       string // the API's error code, when its body names one
	Message    string
	RetryAfter time.Duration
	Err        error // the network error, if any

	permanent bool
	sent      bool
}

func (e *Error) Error() string {
	where := e.Method + " " + e.URL
	switch {
	case e.Status == 0:
		return fmt.Sprintf("%s: %s", where, e.Message)
	case e.Code != "":
		return fmt.Sprintf("%s: %d %s: %s", where, e.Status, e.Code, e.Message)
	default:
		return fmt.Sprintf("%s: %d: %s", where, e.Status, e.Message)
	}
}

func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether trying again later may succeed: no answer, a timeout, throttling,
// or a server error.
func (e *Error) Temporary() bool {
	if e.permanent {
		return false
	}
	switch {
	case e.Status == 0:
		return true
	case e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooEarly, e.Status == http.StatusTooManyRequests:
		return true
	case e.Status >= 500:
		return true
	}
	return false
}

// IsPermanent reports whether err is an API answer that will not change by retrying (a 4xx
// other than throttling): the order is blocked with its message instead.
func IsPermanent(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && !apiErr.Temporary()
}

// StatusOf returns the HTTP status of an API error, or 0.
func StatusOf(err error) int {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return 0
}
