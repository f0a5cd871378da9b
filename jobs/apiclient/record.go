package apiclient

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/models"
)

// Recorder collects the exchanges made with a context, for the order timeline.
type Recorder struct {
	mu        sync.Mutex
	exchanges []models.Exchange
}

type recorderKey struct{}

// WithRecorder returns a context whose API calls are recorded into r.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, recorderKey{}, r)
}

// Exchanges returns what was recorded so far.
func (r *Recorder) Exchanges() []models.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]models.Exchange(nil), r.exchanges...)
}

func record(ctx context.Context, e models.Exchange) {
	if r, ok := ctx.Value(recorderKey{}).(*Recorder); ok {
		r.mu.Lock()
		r.exchanges = append(r.exchanges, e)
		r.mu.Unlock()
	}
}

// secretParams are query parameters never shown, whatever the API.
var secretParams = []string{"consumer_key", "consumer_secret", "api_key", "apikey", "key", "token", "access_token", "password", "secret"}

const redacted = "[redacted]"

func (c *Client) newExchange(r Request, body []byte, start time.Time) models.Exchange {
	return models.Exchange{
		Method:      r.Method,
		URL:         c.redactURL(r),
		RequestBody: c.redact(clip(string(body))),
		At:          start.UTC(),
	}
}

func (c *Client) redactURL(r Request) string {
	u := strings.TrimRight(c.BaseURL, "/") + r.Path
	if len(r.Query) > 0 {
		q := url.Values{}
		for k, vs := range r.Query {
			q[k] = vs
			for _, secret := range secretParams {
				if strings.EqualFold(k, secret) {
					q[k] = []string{redacted}
				}
			}
		}
		u += "?" + q.Encode()
	}
	return c.redact(u)
}

// redact replaces every known secret value in s.
func (c *Client) redact(s string) string {
	for _, secret := range c.Secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, redacted)
			s = strings.ReplaceAll(s, url.QueryEscape(secret), redacted)
		}
	}
	return s
}

// clip keeps timeline entries readable and the database small.
func clip(s string) string {
	const max = 8 << 10
	if len(s) > max {
		return s[:max] + "… (cut)"
	}
	return s
}
