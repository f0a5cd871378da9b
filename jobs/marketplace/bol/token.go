package bol

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// tokenSource holds one access token and fetches a new one (client-credentials grant) when
// it is missing or about to expire. bol asks clients to reuse a token for its lifetime
// (about five minutes) rather than fetch one per call.
type tokenSource struct {
	url, clientID, secret string
	http                  *http.Client
	now                   func() time.Time

	mu      sync.Mutex
	access  string
	expires time.Time
}

// refreshMargin renews a token this long before bol says it expires, so that a call in
// flight does not carry a token that dies on the way.
const refreshMargin = 20 * time.Second

// token returns a valid token, fetching one when needed.
func (s *tokenSource) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access != "" && s.now().Before(s.expires) {
		return s.access, nil
	}
	access, lifetime, err := s.fetch(ctx)
	if err != nil {
		return "", err
	}
	s.access = access
	s.expires = s.now().Add(lifetime - refreshMargin)
	return access, nil
}

// current is the token the last token call returned, for the Authorization header.
func (s *tokenSource) current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.access
}

// invalidate drops token if it is still the cached one, so the next call fetches another.
func (s *tokenSource) invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access == token {
		s.access, s.expires = "", time.Time{}
	}
}

// fetch asks the login server for a token: POST with Basic credentials and
// grant_type=client_credentials in a form body.
func (s *tokenSource) fetch(ctx context.Context) (string, time.Duration, error) {
	fail := func(status int, message string, err error) (string, time.Duration, error) {
		return "", 0, &apiclient.Error{Method: http.MethodPost, URL: s.url, Status: status, Message: message, Err: err}
	}
	form := url.Values{"grant_type": {"client_credentials"}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, strings.NewReader(form))
	if err != nil {
		return "", 0, fmt.Errorf("bol login URL %q: %w", s.url, err)
	}
	req.SetBasicAuth(s.clientID, s.secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	client := s.http
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	res, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		return fail(0, "no answer from the bol login server: "+strings.ReplaceAll(err.Error(), s.secret, "[redacted]"), err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fail(0, "the bol login answer was cut off", err)
	}
	if res.StatusCode != http.StatusOK {
		var answer tokenError
		_ = json.Unmarshal(body, &answer) // not JSON: the status says enough
		switch {
		case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusBadRequest || answer.Error == "invalid_client":
			return fail(http.StatusUnauthorized, "bol refused the client id and secret: check them in the seller dashboard (Settings > API settings)", nil)
		case res.StatusCode == http.StatusTooManyRequests:
			e := &apiclient.Error{Method: http.MethodPost, URL: s.url, Status: res.StatusCode, Message: "too many token requests"}
			e.RetryAfter = retryAfter(res.Header.Get("Retry-After"))
			return "", 0, e
		default:
			return fail(res.StatusCode, fmt.Sprintf("the bol login server answered %d %s", res.StatusCode, strings.TrimSpace(answer.ErrorDescription)), nil)
		}
	}
	var answer tokenResponse
	if err := json.Unmarshal(body, &answer); err != nil {
		// An expires_in that is not a number ("") counts as missing; anything else is not a token.
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) || typeErr.Field != "expires_in" {
			return fail(http.StatusBadGateway, "the bol login server sent an answer that is not a token", err)
		}
		answer.ExpiresIn = nil
	}
	if strings.TrimSpace(answer.AccessToken) == "" {
		return fail(http.StatusBadGateway, "the bol login server sent no access token", nil)
	}
	if !strings.EqualFold(answer.TokenType, "bearer") {
		return fail(http.StatusBadGateway, fmt.Sprintf("the bol login server sent a %q token, not a bearer token", answer.TokenType), nil)
	}
	// Without a lifetime the token is used for this call only and fetched again after.
	lifetime := refreshMargin
	if answer.ExpiresIn != nil && *answer.ExpiresIn > 0 {
		lifetime = time.Duration(*answer.ExpiresIn) * time.Second
		if lifetime < 2*refreshMargin {
			lifetime = refreshMargin + lifetime/2
		}
	}
	return answer.AccessToken, lifetime, nil
}
