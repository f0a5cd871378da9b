package woocommerce

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// authorize adds the credentials the way WooCommerce documents them: HTTP Basic where TLS
// protects them, OAuth 1.0a one-legged signing where it does not (the secret never travels).
func (c *Client) authorize(req *http.Request) {
	if req.URL.Scheme == "https" {
		req.SetBasicAuth(c.cfg.ConsumerKey, c.cfg.ConsumerSecret)
		return
	}
	c.signOAuth(req)
}

// signOAuth adds the oauth_* parameters to the query string, which WooCommerce reads more
// reliably than an Authorization header. oauth_version is left out, as the docs ask, and the
// body is not signed.
func (c *Client) signOAuth(req *http.Request) {
	params := req.URL.Query()
	params.Set("oauth_consumer_key", c.cfg.ConsumerKey)
	params.Set("oauth_nonce", newNonce())
	params.Set("oauth_signature_method", "HMAC-SHA256")
	params.Set("oauth_timestamp", strconv.FormatInt(c.now().Unix(), 10))
	base := signatureBase(req.Method, signatureURL(req.URL), params)
	params.Set("oauth_signature", hmacSHA256Base64(c.cfg.ConsumerSecret+"&", base))
	req.URL.RawQuery = params.Encode()
}

// signatureBase builds the OAuth signature base string: method, URL and every parameter,
// each encoded, sorted by encoded name then value.
func signatureBase(method, baseURL string, params url.Values) string {
	type pair struct{ name, value string }
	var pairs []pair
	for name, values := range params {
		for _, value := range values {
			pairs = append(pairs, pair{rfc3986Escape(name), rfc3986Escape(value)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].name != pairs[j].name {
			return pairs[i].name < pairs[j].name
		}
		return pairs[i].value < pairs[j].value
	})
	joined := make([]string, len(pairs))
	for i, p := range pairs {
		joined[i] = p.name + "=" + p.value
	}
	return strings.ToUpper(method) + "&" + rfc3986Escape(baseURL) + "&" + rfc3986Escape(strings.Join(joined, "&"))
}

// signatureURL is the request URL without its query, scheme and host in lower case and the
// default port dropped, as the shop names itself.
func signatureURL(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if scheme == "http" {
		host = strings.TrimSuffix(host, ":80")
	} else if scheme == "https" {
		host = strings.TrimSuffix(host, ":443")
	}
	return scheme + "://" + host + u.EscapedPath()
}

func hmacSHA256Base64(key, message string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(message))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// newNonce returns 32 random alphanumeric characters, the length the docs recommend.
func newNonce() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	random := make([]byte, 32)
	rand.Read(random)
	for i, b := range random {
		random[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(random)
}

// rfc3986Escape percent-encodes everything but the unreserved characters, as OAuth and PHP's
// rawurlencode do (url.QueryEscape would write spaces as "+").
func rfc3986Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' ||
			ch == '-' || ch == '.' || ch == '_' || ch == '~' {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}
