package woocommerce

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/jobs/apiclient"
)

func TestOAuthSignedRequestsAreAcceptedOverHTTP(t *testing.T) {
	b := setup(t)
	if err := b.client.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("CheckCredentials over http: %v", err)
	}
	// Query parameters are signed too: a filtered list with dates and commas passes.
	_, apiErr := b.call(t, apiclient.Request{Method: http.MethodGet, Path: "/orders", Query: url.Values{
		"modified_after": {"2025-03-14T09:00:00"}, "status": {"processing,completed"}, "dates_are_gmt": {"true"},
	}})
	if apiErr != nil {
		t.Fatalf("signed list with query: %v", apiErr)
	}
}

func TestWrongSecretIsRefusedPermanentlyWithClearMessage(t *testing.T) {
	b := setup(t)
	client := b.newClient(Config{BaseURL: b.server.URL, ConsumerKey: testKey, ConsumerSecret: "cs_not_the_right_one"})
	err := client.CheckCredentials(context.Background())
	if err == nil {
		t.Fatal("a wrong secret was accepted")
	}
	if !apiclient.IsPermanent(err) || apiclient.StatusOf(err) != http.StatusUnauthorized {
		t.Fatalf("want a permanent 401, got %v", err)
	}
	for _, want := range []string{"the consumer key or secret was refused", "Invalid signature"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if len(b.sleeps.all()) != 0 {
		t.Errorf("a refused key was retried: %v", b.sleeps.all())
	}
}

func TestUnknownConsumerKeyIsRefused(t *testing.T) {
	b := setup(t)
	client := b.newClient(Config{BaseURL: b.server.URL, ConsumerKey: "ck_someone_else", ConsumerSecret: testSecret})
	err := client.CheckCredentials(context.Background())
	if apiclient.StatusOf(err) != http.StatusUnauthorized || !strings.Contains(err.Error(), "Consumer key is invalid") {
		t.Fatalf("want 401 Consumer key is invalid, got %v", err)
	}
}

func TestOldOAuthTimestampIsRefused(t *testing.T) {
	b := setup(t)
	late := func() time.Time { return b.clock.Now().Add(-16 * time.Minute) }
	client := b.newClient(Config{BaseURL: b.server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret}, WithClock(late))
	err := client.CheckCredentials(context.Background())
	if apiclient.StatusOf(err) != http.StatusUnauthorized || !strings.Contains(err.Error(), "Invalid timestamp") {
		t.Fatalf("want 401 Invalid timestamp, got %v", err)
	}
	// Within the 15-minute window the same skew is fine.
	near := func() time.Time { return b.clock.Now().Add(-14 * time.Minute) }
	client = b.newClient(Config{BaseURL: b.server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret}, WithClock(near))
	if err := client.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("a 14-minute skew was refused: %v", err)
	}
}

func TestReusedNonceIsRefused(t *testing.T) {
	b := setup(t)
	req, _ := http.NewRequest(http.MethodGet, b.server.URL+"/wp-json/wc/v3/products?per_page=1", nil)
	b.client.signOAuth(req)
	signed := req.URL.String()
	for attempt, want := range []int{http.StatusOK, http.StatusUnauthorized} {
		res, err := http.Get(signed)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("attempt %d: status %d, want %d: %s", attempt+1, res.StatusCode, want, body)
		}
		if want == http.StatusUnauthorized && !strings.Contains(string(body), "nonce has already been used") {
			t.Fatalf("replay refused for another reason: %s", body)
		}
	}
}

func TestOAuthWithHMACSHA1InAuthorizationHeaderIsAccepted(t *testing.T) {
	b := setup(t)
	u, _ := url.Parse(b.server.URL + "/wp-json/wc/v3/orders?per_page=5")
	params := u.Query()
	oauth := map[string]string{
		"oauth_consumer_key": testKey, "oauth_nonce": "n0nce4sha1", "oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp": strconv.FormatInt(b.clock.Now().Unix(), 10),
	}
	for name, value := range oauth {
		params.Set(name, value)
	}
	mac := hmac.New(sha1.New, []byte(testSecret+"&"))
	mac.Write([]byte(signatureBase(http.MethodGet, signatureURL(u), params)))
	oauth["oauth_signature"] = base64.StdEncoding.EncodeToString(mac.Sum(nil))
	var header []string
	for name, value := range oauth {
		header = append(header, name+`="`+rfc3986Escape(value)+`"`)
	}
	req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
	req.Header.Set("Authorization", "OAuth "+strings.Join(header, ", "))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if body, _ := io.ReadAll(res.Body); res.StatusCode != http.StatusOK {
		t.Fatalf("HMAC-SHA1 in the header: status %d: %s", res.StatusCode, body)
	}
}

func TestBasicAuthOverTLS(t *testing.T) {
	fake := NewFake(testKey, testSecret)
	server := httptest.NewTLSServer(fake.Handler())
	defer server.Close()
	b := &testBundle{fake: fake, clock: newTestClock(), sleeps: &sleepLog{}}
	fake.SetClock(b.clock.Now)
	fake.AddProduct(ProductSpec{Name: "Mug", SKU: "MUG-1", RegularPrice: "20.00"})
	fake.AddProduct(ProductSpec{Name: "Poster", SKU: "POSTER-1", RegularPrice: "9.90"})

	client := b.newClient(Config{BaseURL: server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret}, WithHTTPClient(server.Client()))
	if err := client.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("Basic auth over TLS: %v", err)
	}
	if _, err := client.CreateOrder(context.Background(), marketplaceOrder(1)); err != nil {
		t.Fatalf("create over TLS: %v", err)
	}

	wrong := b.newClient(Config{BaseURL: server.URL, ConsumerKey: testKey, ConsumerSecret: "cs_wrong"}, WithHTTPClient(server.Client()))
	err := wrong.CheckCredentials(context.Background())
	if !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "Consumer secret is invalid") {
		t.Fatalf("want a permanent Consumer secret is invalid, got %v", err)
	}
}

func TestQueryStringKeysAreAcceptedOverTLSOnly(t *testing.T) {
	fake := NewFake(testKey, testSecret)
	tlsServer := httptest.NewTLSServer(fake.Handler())
	defer tlsServer.Close()
	plainServer := httptest.NewServer(fake.Handler())
	defer plainServer.Close()
	query := "?consumer_key=" + testKey + "&consumer_secret=" + testSecret

	res, err := tlsServer.Client().Get(tlsServer.URL + "/wp-json/wc/v3/products" + query)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("query-string keys over TLS: status %d", res.StatusCode)
	}
	// Over plain HTTP the keys would travel in clear: WooCommerce ignores them.
	res, err = http.Get(plainServer.URL + "/wp-json/wc/v3/products" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body wireError
	json.NewDecoder(res.Body).Decode(&body)
	if res.StatusCode != http.StatusUnauthorized || body.Code != "woocommerce_rest_cannot_view" {
		t.Fatalf("query-string keys over http: status %d code %q, want 401 woocommerce_rest_cannot_view", res.StatusCode, body.Code)
	}
}

func TestBasicAuthOverPlainHTTPIsIgnored(t *testing.T) {
	b := setup(t)
	req, _ := http.NewRequest(http.MethodGet, b.server.URL+"/wp-json/wc/v3/orders", nil)
	req.SetBasicAuth(testKey, testSecret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body wireError
	json.NewDecoder(res.Body).Decode(&body)
	if res.StatusCode != http.StatusUnauthorized || body.Code != "woocommerce_rest_cannot_view" || body.Data.Status != 401 {
		t.Fatalf("Basic over http: status %d body %+v, want 401 woocommerce_rest_cannot_view", res.StatusCode, body)
	}
}

func TestSignatureBaseMatchesTheDocsExample(t *testing.T) {
	const want = "GET&http%3A%2F%2Fwww.example.com%2Fwp-json%2Fwc%2Fv3%2Forders&oauth_consumer_key%3Dabc123%26oauth_signature_method%3DHMAC-SHA1"
	params := url.Values{"oauth_consumer_key": {"abc123"}, "oauth_signature_method": {"HMAC-SHA1"}}
	if got := signatureBase("GET", "http://www.example.com/wp-json/wc/v3/orders", params); got != want {
		t.Errorf("client base string\n got %s\nwant %s", got, want)
	}
	phpParams := map[string]phpParam{"oauth_consumer_key": {value: "abc123"}, "oauth_signature_method": {value: "HMAC-SHA1"}}
	if got := phpSignatureBase("GET", "http://www.example.com/wp-json/wc/v3/orders", phpParams); got != want {
		t.Errorf("fake base string\n got %s\nwant %s", got, want)
	}
}

func TestSignatureBaseSortsByNameThenValue(t *testing.T) {
	// "a1" sorts after "a" even though "1" sorts before "=": names are compared alone.
	params := url.Values{"a1": {"x"}, "a": {"y"}, "b": {"2", "1"}}
	got := signatureBase("get", "http://shop.example/x", params)
	want := "GET&http%3A%2F%2Fshop.example%2Fx&a%3Dy%26a1%3Dx%26b%3D1%26b%3D2"
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestRFC3986Escape(t *testing.T) {
	for in, want := range map[string]string{
		"abc-._~XYZ019":       "abc-._~XYZ019",
		"a b":                 "a%20b",
		"a+b":                 "a%2Bb",
		"2025-03-14T09:00:00": "2025-03-14T09%3A00%3A00",
		"é":                   "%C3%A9",
		"*\n":                 "%2A%0A",
	} {
		if got := rfc3986Escape(in); got != want {
			t.Errorf("rfc3986Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSignatureURLNormalizesSchemeHostAndPort(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Shop.Example:80/wp-json/wc/v3/orders?x=1": "http://shop.example/wp-json/wc/v3/orders",
		"http://127.0.0.1:8080/shop/wp-json/wc/v3/orders": "http://127.0.0.1:8080/shop/wp-json/wc/v3/orders",
	} {
		u, _ := url.Parse(in)
		if got := signatureURL(u); got != want {
			t.Errorf("signatureURL(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string // "" = valid
	}{
		{"valid https", Config{BaseURL: "https://shop.example", ConsumerKey: "ck_a", ConsumerSecret: "cs_b"}, ""},
		{"valid with spaces and api path", Config{BaseURL: " https://shop.example/wp-json/wc/v3/ ", ConsumerKey: " ck_a", ConsumerSecret: "cs_b "}, ""},
		{"no address", Config{ConsumerKey: "ck_a", ConsumerSecret: "cs_b"}, "store address is missing"},
		{"not a url", Config{BaseURL: "shop.example", ConsumerKey: "ck_a", ConsumerSecret: "cs_b"}, "is not a web address"},
		{"ftp", Config{BaseURL: "ftp://shop.example", ConsumerKey: "ck_a", ConsumerSecret: "cs_b"}, "is not a web address"},
		{"query", Config{BaseURL: "https://shop.example/?p=1", ConsumerKey: "ck_a", ConsumerSecret: "cs_b"}, "query or fragment"},
		{"no key", Config{BaseURL: "https://shop.example", ConsumerSecret: "cs_b"}, "consumer key is missing"},
		{"no secret", Config{BaseURL: "https://shop.example", ConsumerKey: "ck_a"}, "consumer secret is missing"},
		{"swapped", Config{BaseURL: "https://shop.example", ConsumerKey: "cs_b", ConsumerSecret: "ck_a"}, "swapped"},
		{"bad key", Config{BaseURL: "https://shop.example", ConsumerKey: "a", ConsumerSecret: "cs_b"}, "should start with ck_"},
		{"bad secret", Config{BaseURL: "https://shop.example", ConsumerKey: "ck_a", ConsumerSecret: "b"}, "should start with cs_"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("valid config refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func TestInvalidConfigIsReportedByEveryCall(t *testing.T) {
	client := New(Config{BaseURL: "https://shop.example", ConsumerKey: "ck_a"})
	err := client.CheckCredentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "consumer secret is missing") {
		t.Fatalf("got %v", err)
	}
	if _, err := client.Products(context.Background(), ""); err == nil {
		t.Fatal("Products ran with an invalid config")
	}
	if client.cfg.BaseURL != "https://shop.example" {
		t.Errorf("base URL %q", client.cfg.BaseURL)
	}
	if normalized, _ := (Config{BaseURL: "https://shop.example/blog/wp-json/", ConsumerKey: "ck_a", ConsumerSecret: "cs_b"}).normalized(); normalized.BaseURL != "https://shop.example/blog" {
		t.Errorf("API path not trimmed: %q", normalized.BaseURL)
	}
}

func TestMissingAPIIsExplained(t *testing.T) {
	server := httptest.NewServer(http.NotFoundHandler())
	defer server.Close()
	b := &testBundle{clock: newTestClock(), sleeps: &sleepLog{}}
	client := b.newClient(Config{BaseURL: server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret})
	err := client.CheckCredentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "pretty permalinks") {
		t.Fatalf("got %v", err)
	}
	var apiErr *apiclient.Error
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
		t.Fatalf("the API error is not kept: %v", err)
	}
}

func TestStrippedAuthorizationHeaderIsExplained(t *testing.T) {
	fake := NewFake(testKey, testSecret)
	stripping := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Authorization") // as some Apache/CGI setups do
		fake.Handler().ServeHTTP(w, r)
	})
	server := httptest.NewTLSServer(stripping)
	defer server.Close()
	b := &testBundle{clock: newTestClock(), sleeps: &sleepLog{}}
	client := b.newClient(Config{BaseURL: server.URL, ConsumerKey: testKey, ConsumerSecret: testSecret}, WithHTTPClient(server.Client()))
	err := client.CheckCredentials(context.Background())
	if !apiclient.IsPermanent(err) || !strings.Contains(err.Error(), "no credentials reached WooCommerce") {
		t.Fatalf("got %v", err)
	}
}
