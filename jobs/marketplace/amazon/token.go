package amazon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

// tokenSource exchanges the refresh token for an access token with Login with Amazon and
// keeps it until shortly before it expires.
type tokenSource struct {
	url, clientID, clientSecret, refreshToken string
	client                                    *Client

	mu        sync.Mutex
	access    string
	expires   time.Time
	exchanged int // how many exchanges succeeded
}

func (t *tokenSource) exchanges() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.exchanged
}

// tokenAnswer is LWA's answer to grant_type=refresh_token.
type tokenAnswer struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int    `json:"expires_in"`
	RefreshToken     string `json:"refresh_token"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// expiryMargin renews a token this long before LWA says it expires, so a call never leaves
// with a token that runs out on the way.
const expiryMargin = time.Minute

func (t *tokenSource) current() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.access
}

func (t *tokenSource) forget() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.access, t.expires = "", time.Time{}
}

// token returns a valid access token, exchanging the refresh token when none is cached.
func (t *tokenSource) token(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.client.now()
	if t.access != "" && now.Before(t.expires.Add(-expiryMargin)) {
		return t.access, nil
	}
	answer, err := t.exchange(ctx)
	if err != nil {
		return "", err
	}
	lifetime := time.Duration(answer.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	t.access, t.expires = answer.AccessToken, now.Add(lifetime)
	t.exchanged++
	return t.access, nil
}

// exchange posts the form LWA expects. It goes around apiclient, which sends JSON bodies.
func (t *tokenSource) exchange(ctx context.Context) (*tokenAnswer, error) {
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {t.refreshToken},
		"client_id":     {t.clientID},
		"client_secret": {t.clientSecret},
	}
	fail := func(status int, code, message string, err error) error {
		return &apiclient.Error{Method: http.MethodPost, URL: t.url, Status: status, Code: code, Message: message, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	req.Header.Set("Accept", "application/json")
	hc := t.client.api.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fail(0, "", "no answer from Login with Amazon", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	var answer tokenAnswer
	decodeErr := json.Unmarshal(body, &answer)
	if res.StatusCode != http.StatusOK {
		message := answer.ErrorDescription
		if message == "" {
			message = strings.TrimSpace(string(body))
		}
		if res.StatusCode == http.StatusBadRequest || res.StatusCode == http.StatusUnauthorized {
			message = "Login with Amazon refused the credentials (check the client id, client secret and refresh token): " + message
		}
		return nil, fail(res.StatusCode, answer.Error, t.redact(message), nil)
	}
	if decodeErr != nil || answer.AccessToken == "" {
		return nil, fail(res.StatusCode, "", fmt.Sprintf("Login with Amazon answered without an access token: %v", decodeErr), nil)
	}
	return &answer, nil
}

func (t *tokenSource) redact(text string) string {
	for _, secret := range []string{t.refreshToken, t.clientSecret} {
		if secret != "" {
			text = strings.ReplaceAll(text, secret, "[redacted]")
		}
	}
	return text
}
