package bol

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// decodeError reads bol's Problem body ({"title","status","detail","violations"}): the title
// becomes the code, the detail and each violation the message. Bodies that are not JSON (bol
// sends HTML on some 5xx) are left to apiclient, which shows them as they are.
func decodeError(_ int, body []byte) (code, message string) {
	var answer problem
	if json.Unmarshal(body, &answer) != nil || (answer.Title == "" && answer.Detail == "") {
		return "", ""
	}
	parts := []string{}
	if detail := strings.TrimSpace(answer.Detail); detail != "" {
		parts = append(parts, detail)
	}
	for _, v := range answer.Violations {
		parts = append(parts, strings.TrimSpace(v.Name+": "+v.Reason))
	}
	message = strings.Join(parts, "; ")
	if message == "" {
		message = answer.Title
	}
	return strings.TrimSpace(answer.Title), message
}

// isExpiredToken is bol's 401 for a token past its lifetime ("Expired JWT").
func isExpiredToken(err error) bool {
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized {
		return false
	}
	text := strings.ToLower(apiErr.Code + " " + apiErr.Message)
	return strings.Contains(text, "jwt") || strings.Contains(text, "expired") || strings.Contains(text, "token")
}

// explain rewrites the messages of refusals a merchant has to act on.
func explain(err error) {
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) {
		return
	}
	switch apiErr.Status {
	case http.StatusUnauthorized:
		if !strings.Contains(apiErr.Message, "client id") {
			apiErr.Message = "bol refused the access token: check the client id and secret (seller dashboard, Settings > API settings): " + apiErr.Message
		}
	case http.StatusForbidden:
		apiErr.Message = "bol does not let this account do this (an inactive account, or credentials without Retailer API access): " + apiErr.Message
	case http.StatusTooManyRequests:
		if apiErr.RetryAfter == 0 {
			// bol sometimes omits Retry-After; its rate windows are at most a minute long.
			apiErr.RetryAfter = 5 * time.Second
		}
	}
}

// rateLimitWatch sees every answer before apiclient does: it notes the X-RateLimit-*
// headers, and gives a 429 without Retry-After the window's reset as its Retry-After, so
// that apiclient waits for the window instead of guessing.
type rateLimitWatch struct {
	base   http.RoundTripper
	client *Client
}

func (w *rateLimitWatch) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := w.base.RoundTrip(req)
	if err != nil {
		return res, err
	}
	if res.StatusCode == http.StatusTooManyRequests {
		if res.Header.Get("Retry-After") == "" {
			if reset, err := strconv.Atoi(strings.TrimSpace(res.Header.Get("X-RateLimit-Reset"))); err == nil && reset > 0 && reset < 1_000_000_000 {
				res.Header.Set("Retry-After", strconv.Itoa(reset))
			}
		}
		return res, nil
	}
	w.client.noteRateLimit(res.Header)
	return res, nil
}

// watchRateLimits returns a copy of hc whose transport goes through a rateLimitWatch.
func (c *Client) watchRateLimits(hc *http.Client) *http.Client {
	watched := &http.Client{Timeout: 30 * time.Second}
	if hc != nil {
		copied := *hc
		watched = &copied
	}
	base := watched.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	watched.Transport = &rateLimitWatch{base: base, client: c}
	return watched
}

// noteRateLimit reads X-RateLimit-Remaining and X-RateLimit-Reset from an answer: with
// nothing left, the next call waits for the reset. Reset is seconds from now, or an epoch
// timestamp in some answers.
func (c *Client) noteRateLimit(h http.Header) {
	remaining, err := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
	if err != nil || remaining > 0 {
		return
	}
	reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil || reset < 0 {
		return
	}
	now := c.now()
	until := now.Add(time.Duration(reset) * time.Second)
	if reset > 1_000_000_000 {
		until = time.Unix(reset, 0)
	}
	if max := now.Add(time.Minute); until.After(max) {
		until = max
	}
	c.mu.Lock()
	if until.After(c.pauseUntil) {
		c.pauseUntil = until
	}
	c.mu.Unlock()
}

// waitRateLimit waits until the rate-limit window noted last has reset.
func (c *Client) waitRateLimit(ctx context.Context) error {
	c.mu.Lock()
	wait := c.pauseUntil.Sub(c.now())
	c.pauseUntil = time.Time{}
	c.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	return c.sleep(ctx, wait)
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.api.Sleep != nil {
		return c.api.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryAfter reads a Retry-After header in seconds.
func retryAfter(value string) time.Duration {
	seconds, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil || seconds < 0 {
		return 0
	}
	return time.Duration(seconds) * time.Second
}

// processFailed is the permanent error for a write bol processed and refused (process status
// FAILURE or TIMEOUT). The call itself succeeded, so it carries 422: the request could not
// be carried out and sending it again unchanged will not help, which is what
// apiclient.IsPermanent reports to the engine.
func processFailed(url string, status processStatus) error {
	message := strings.TrimSpace(status.ErrorMessage)
	if message == "" {
		message = "bol ended " + status.EventType + " with " + status.Status + " and gave no reason"
	}
	return &apiclient.Error{Method: http.MethodGet, URL: url, Status: http.StatusUnprocessableEntity, Code: status.Status, Message: message}
}

// refused is a permanent error for an order bol's state does not allow the action on.
func refused(url, message string) error {
	return &apiclient.Error{Method: http.MethodGet, URL: url, Status: http.StatusConflict, Message: message}
}

// stillPending is a temporary error: bol has not finished processing a write yet. The next
// attempt finds the process by its order item and follows it instead of writing again.
func stillPending(url string, status processStatus) error {
	return &apiclient.Error{Method: http.MethodGet, URL: url, Message: "bol is still processing " + status.EventType + " (process status " + status.id() + ")"}
}

// IsNotFound reports whether err says the order does not exist on bol.
func IsNotFound(err error) bool {
	return apiclient.StatusOf(err) == http.StatusNotFound
}
