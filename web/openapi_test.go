package web_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/orderhub/orderhub/web"
)

var spec struct {
	once      sync.Once
	validator validator.Validator
	err       error
}

func specValidator(t *testing.T) validator.Validator {
	t.Helper()
	spec.once.Do(func() {
		doc, err := libopenapi.NewDocument(web.OpenAPI)
		if err != nil {
			spec.err = err
			return
		}
		v, errs := validator.NewValidator(doc)
		if len(errs) > 0 {
			spec.err = errs[0]
			return
		}
		spec.validator = v
	})
	if spec.err != nil {
		t.Fatalf("loading the OpenAPI file: %v", spec.err)
	}
	return spec.validator
}

// matchesSpec checks one Store API response against the OpenAPI file.
func matchesSpec(t *testing.T, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	res := &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Request: req}
	if ok, errs := specValidator(t).ValidateHttpResponse(req, res); !ok {
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, e.Message+": "+e.Reason)
			for _, se := range e.SchemaValidationErrors {
				msgs = append(msgs, "  "+se.FieldPath+": "+se.Reason)
			}
		}
		t.Errorf("%s %s → %d does not match the OpenAPI file:\n%s\nbody: %s", req.Method, req.URL.Path, status, strings.Join(msgs, "\n"), body)
	}
}

func TestOpenAPIFileIsValidAndServed(t *testing.T) {
	if ok, errs := specValidator(t).ValidateDocument(); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s", e.Message, e.Reason)
		}
	}
	app := newTestApp(t)
	res, err := http.Get(app.base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	served, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !bytes.Equal(served, web.OpenAPI) {
		t.Fatalf("/api/v1/openapi.json: %d, %d bytes", res.StatusCode, len(served))
	}
}
