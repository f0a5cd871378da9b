package woocommerce

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// oauthWindow is how far an OAuth timestamp may be from the shop's clock.
const oauthWindow = 15 * time.Minute

var oauthRequired = []string{"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"}

// authenticate checks the credentials as WooCommerce does: over TLS, Basic auth or the
// consumer_key/consumer_secret query parameters; over plain HTTP, an OAuth 1.0a signature
// only. No credentials is not an error here (the route then refuses); wrong ones are.
func (f *Fake) authenticate(r *http.Request) (bool, *restError) {
	if r.TLS != nil {
		return f.authenticateBasic(r)
	}
	return f.authenticateOAuth(r)
}

func (f *Fake) authenticateBasic(r *http.Request) (bool, *restError) {
	key, secret, ok := r.BasicAuth()
	if !ok {
		query := r.URL.Query()
		key, secret = query.Get("consumer_key"), query.Get("consumer_secret")
	}
	if key == "" || secret == "" {
		return false, nil
	}
	if key != f.key {
		return false, authError("Consumer key is invalid.")
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(f.secret)) != 1 {
		return false, authError("Consumer secret is invalid.")
	}
	return true, nil
}

func (f *Fake) authenticateOAuth(r *http.Request) (bool, *restError) {
	params := phpParams(r.URL.RawQuery)
	for key, value := range oauthHeaderParams(r.Header.Get("Authorization")) {
		params[key] = phpParam{value: value}
	}
	var missing []string
	for _, name := range oauthRequired {
		if params[name].value == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) == len(oauthRequired) {
		return false, nil // not trying OAuth at all
	}
	if len(missing) == 1 {
		return false, authError("Missing OAuth parameter " + missing[0])
	} else if len(missing) > 1 {
		return false, authError("Missing OAuth parameters " + strings.Join(missing, ", "))
	}
	if params["oauth_consumer_key"].value != f.key {
		return false, authError("Consumer key is invalid.")
	}
	var newHash func() hash.Hash
	switch params["oauth_signature_method"].value {
	case "HMAC-SHA1":
		newHash = sha1.New
	case "HMAC-SHA256":
		newHash = sha256.New
	default:
		return false, authError("Signature method is invalid.")
	}
	// PHP decodes "+" in the query as a space; WooCommerce turns it back.
	given := strings.ReplaceAll(params["oauth_signature"].value, " ", "+")
	delete(params, "oauth_signature")
	mac := hmac.New(newHash, []byte(f.secret+"&"))
	mac.Write([]byte(phpSignatureBase(r.Method, "http://"+r.Host+r.URL.EscapedPath(), params)))
	if !hmac.Equal([]byte(given), []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))) {
		return false, authError("Invalid signature - provided signature does not match.")
	}
	timestamp, err := strconv.ParseInt(params["oauth_timestamp"].value, 10, 64)
	now := f.now()
	if err != nil || time.Unix(timestamp, 0).Before(now.Add(-oauthWindow)) || time.Unix(timestamp, 0).After(now.Add(oauthWindow)) {
		return false, authError("Invalid timestamp.")
	}
	for nonce, at := range f.nonces {
		if at.Before(now.Add(-oauthWindow)) {
			delete(f.nonces, nonce)
		}
	}
	nonce := params["oauth_nonce"].value
	if _, used := f.nonces[nonce]; used {
		return false, authError("Invalid nonce - nonce has already been used.")
	}
	f.nonces[nonce] = time.Unix(timestamp, 0)
	return true, nil
}

func authError(message string) *restError {
	return &restError{Code: "woocommerce_rest_authentication_error", Message: message, Data: map[string]any{"status": http.StatusUnauthorized}}
}

// phpParam is one request parameter as PHP's $_GET holds it: a value, or a list for "name[]".
type phpParam struct {
	value string
	list  []string
}

// phpParams parses a query string the way PHP does: a repeated name keeps its last value,
// and "name[]" collects a list.
func phpParams(rawQuery string) map[string]phpParam {
	params := map[string]phpParam{}
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		rawKey, rawValue, _ := strings.Cut(part, "=")
		key, errKey := url.QueryUnescape(rawKey)
		value, errValue := url.QueryUnescape(rawValue)
		if errKey != nil || errValue != nil {
			continue
		}
		if name, isList := strings.CutSuffix(key, "[]"); isList {
			param := params[name]
			param.list = append(param.list, value)
			params[name] = param
			continue
		}
		params[key] = phpParam{value: value}
	}
	return params
}

// oauthHeaderParams reads `Authorization: OAuth name="value", ...`.
func oauthHeaderParams(header string) map[string]string {
	rest, ok := strings.CutPrefix(header, "OAuth ")
	if !ok {
		return nil
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		name, value, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found || !strings.HasPrefix(name, "oauth_") {
			continue
		}
		if decoded, err := url.PathUnescape(strings.Trim(value, `"`)); err == nil {
			params[name] = decoded
		}
	}
	return params
}

// phpSignatureBase follows WooCommerce's own steps: sort the parameters by name, encode each
// name and value, join each pair with "=" and encode it again, join the pairs with "%26".
// Lists become name%5B0%5D pairs.
func phpSignatureBase(method, requestURL string, params map[string]phpParam) string {
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	var pairs []string
	for _, name := range names {
		param := params[name]
		if param.list == nil {
			pairs = append(pairs, rfc3986Escape(rfc3986Escape(name)+"="+rfc3986Escape(param.value)))
			continue
		}
		for i, item := range param.list {
			pairs = append(pairs, rfc3986Escape(rfc3986Escape(name)+"%5B"+strconv.Itoa(i)+"%5D="+rfc3986Escape(item)))
		}
	}
	return method + "&" + rfc3986Escape(requestURL) + "&" + strings.Join(pairs, "%26")
}
