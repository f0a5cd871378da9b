// Package apiclient is the HTTP client every connector uses: timeouts, retries with backoff
// on 429/5xx honouring Retry-After, a rate limiter per connection, typed errors, and each
// exchange recorded for the order timeline with secrets removed.
package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Client calls one API account. The zero value of each optional field has a sensible default.
type Client struct {
	BaseURL string
	HTTP    *http.Client  // default: 30 s timeout
	Limiter *rate.Limiter // nil: no limit
	// Retries is how many times a transient failure is retried (default 3; -1 for none).
	Retries int
	// MaxWait is the longest the client waits before a retry. A Retry-After beyond it is
	// returned as an error carrying RetryAfter, so the job reschedules instead of blocking.
	MaxWait time.Duration // default 30 s
	// Authorize adds credentials to each request.
	Authorize func(req *http.Request)
	// Headers are sent on every request.
	Headers http.Header
	// Secrets are values removed from recorded exchanges wherever they appear.
	Secrets []string
	// DecodeError reads an API's error body into a code and a message.
	DecodeError func(status int, body []byte) (code, message string)
	// Sleep waits between attempts; tests replace it to run instantly.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Request is one API call.
type Request struct {
	Method string
	Path   string // appended to BaseURL
	Query  url.Values
	Body   any // JSON-encoded when not nil
	Out    any // JSON-decoded from a successful response when not nil
	// Retry allows retries after the server may have acted (5xx, timeouts). GET, PUT and
	// DELETE retry by default; POST only when set, because a lost response may hide a create
	// that succeeded: the caller looks the result up instead.
	Retry *bool
}

// Response is a successful answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends the request, retrying transient failures, and decodes the answer into r.Out.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = json.Marshal(r.Body); err != nil {
			return nil, fmt.Errorf("encoding %s %s: %w", r.Method, r.Path, err)
		}
	}
	retries := c.Retries
	if retries == 0 {
		retries = 3
	}
	if retries < 0 {
		retries = 0
	}
	for attempt := 0; ; attempt++ {
		res, err := c.once(ctx, r, body)
		if err == nil {
			if r.Out != nil && len(res.Body) > 0 {
				if err := json.Unmarshal(res.Body, r.Out); err != nil {
					return res, &Error{Method: r.Method, URL: c.redactURL(r), Status: res.Status, Message: "the answer could not be read: " + err.Error(), permanent: true}
				}
			}
			return res, nil
		}
		var apiErr *Error
		if !errors.As(err, &apiErr) || !apiErr.Temporary() || attempt >= retries || !c.mayRetry(r, apiErr) {
			return nil, err
		}
		wait := c.backoff(attempt, apiErr.RetryAfter)
		if wait > c.maxWait() {
			return nil, err // the caller reschedules after RetryAfter
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (c *Client) once(ctx context.Context, r Request, body []byte) (*Response, error) {
	if c.Limiter != nil {
		if err := c.Limiter.Wait(ctx); err != nil {
			return nil, err
		}
	}
	u := strings.TrimRight(c.BaseURL, "/") + r.Path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, vs := range c.Headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if c.Authorize != nil {
		c.Authorize(req)
	}

	start := time.Now()
	res, err := c.httpClient().Do(req)
	exchange := c.newExchange(r, body, start)
	if err != nil {
		exchange.Error = c.redact(err.Error())
		record(ctx, exchange)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{Method: r.Method, URL: exchange.URL, Message: "no answer: " + exchange.Error, Err: err, sent: true}
	}
	defer res.Body.Close()
	resBody, err := io.ReadAll(io.LimitReader(res.Body, 32<<20))
	exchange.Status = res.StatusCode
	exchange.ResponseBody = c.redact(clip(string(resBody)))
	exchange.DurationMS = time.Since(start).Milliseconds()
	if err != nil {
		exchange.Error = c.redact(err.Error())
		record(ctx, exchange)
		return nil, &Error{Method: r.Method, URL: exchange.URL, Status: res.StatusCode, Message: "the answer was cut off: " + exchange.Error, Err: err, sent: true}
	}
	record(ctx, exchange)
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return &Response{Status: res.StatusCode, Header: res.Header, Body: resBody}, nil
	}
	apiErr := &Error{Method: r.Method, URL: exchange.URL, Status: res.StatusCode, RetryAfter: parseRetryAfter(res.Header.Get("Retry-After"), time.Now()), sent: true}
	if c.DecodeError != nil {
		apiErr.Code, apiErr.Message = c.DecodeError(res.StatusCode, resBody)
	}
	if apiErr.Message == "" {
		apiErr.Message = strings.TrimSpace(clip(string(resBody)))
	}
	apiErr.Code, apiErr.Message = c.redact(apiErr.Code), c.redact(apiErr.Message)
	return nil, apiErr
}

// mayRetry: a 429 was not acted on, so it is always retried; anything else only for requests
// that are safe to repeat.
func (c *Client) mayRetry(r Request, err *Error) bool {
	if err.Status == http.StatusTooManyRequests {
		return true
	}
	if r.Retry != nil {
		return *r.Retry
	}
	return r.Method != http.MethodPost && r.Method != http.MethodPatch
}

func (c *Client) backoff(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	base := 500 * time.Millisecond << attempt
	return base/2 + rand.N(base/2+1)
}

func (c *Client) maxWait() time.Duration {
	if c.MaxWait > 0 {
		return c.MaxWait
	}
	return 30 * time.Second
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
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

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date.
func parseRetryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	var seconds int
	if _, err := fmt.Sscanf(value, "%d", &seconds); err == nil && seconds >= 0 {
		return time.Duration(seconds) * time.Second
	}
	if at, err := http.ParseTime(value); err == nil && at.After(now) {
		return at.Sub(now)
	}
	return 0
}

// Bool is a helper for Request.Retry.
func Bool(v bool) *bool { return &v }
