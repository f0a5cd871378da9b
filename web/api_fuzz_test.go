package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// checkRefusal holds what every refused Store API body gets: a problem with a 4xx status
// and a detail that says what to send instead.
func checkRefusal(t *testing.T, body []byte, err error) {
	t.Helper()
	var p *problem
	if !errors.As(err, &p) {
		t.Fatalf("%q refused with %v (%T), want a problem", body, err, err)
	}
	if (p.Status != http.StatusBadRequest && p.Status != http.StatusRequestEntityTooLarge) || p.Detail == "" || p.Type == "" {
		t.Fatalf("%q refused with the problem %+v", body, p)
	}
}

// checkRoundTrip holds that an accepted request, written again as JSON, reads the same:
// the strict decoding keeps every field it accepts.
func checkRoundTrip[T any](t *testing.T, req T, parse func([]byte) (T, error)) {
	t.Helper()
	encoded, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := parse(encoded)
	if err != nil || !reflect.DeepEqual(again, req) {
		t.Fatalf("%s read back as %+v, %v", encoded, again, err)
	}
}

func FuzzShipRequest(f *testing.F) {
	f.Add([]byte(`{"orders":[{"id":12,"carrier":"UPS","tracking_number":"1Z999AA10123456784","tracking_url":"https://www.ups.com/track?tracknum=1Z999AA10123456784"}]}`))
	f.Add([]byte(`{"orders":[{"id":12,"carrier":"Colissimo","tracking_number":"6A12345678901","lines":[{"id":31,"quantity":2},{"id":32}]}]}`))
	f.Add([]byte(`{"orders":[{"id":12,"tracking_url":"javascript:alert(1)"}]}`))
	f.Add([]byte(`{"orders":[{"id":12,"tracking_url":"http://[::1"}]}`))
	f.Add([]byte(`{"orders":[]}`))
	f.Add([]byte(`{"orders":[{"id":"12"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseShipRequest(body)
		if err != nil {
			checkRefusal(t, body, err)
			return
		}
		if n := len(req.Orders); n == 0 || n > apiBatchMax {
			t.Fatalf("a batch of %d orders was accepted", n)
		}
		for _, entry := range req.Orders {
			if entry.TrackingURL == "" {
				continue
			}
			u, err := url.Parse(entry.TrackingURL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				t.Fatalf("the tracking URL %q was accepted", entry.TrackingURL)
			}
		}
		checkRoundTrip(t, req, parseShipRequest)
	})
}

func FuzzAcknowledgeRequest(f *testing.F) {
	f.Add([]byte(`{"orders":[{"id":12,"status":"success","store_reference":"SO-1001"},{"id":13,"status":"error","message":"SKU MUG-RED is unknown"}]}`))
	f.Add([]byte(`{"orders":[{"id":12,"status":"success","store_reference":"   "}]}`))
	f.Add([]byte(`{"orders":[{"id":12,"status":"done"}]}`))
	f.Add([]byte(`{"orders":[{"id":12,"store_ref":"R","status":"success"}]}`))
	f.Add([]byte(`{"orders":[]} {}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseAcknowledgeRequest(body)
		if err != nil {
			checkRefusal(t, body, err)
			return
		}
		if n := len(req.Orders); n == 0 || n > apiBatchMax {
			t.Fatalf("a batch of %d orders was accepted", n)
		}
		for _, entry := range req.Orders {
			switch {
			case entry.Status == "error":
			case entry.Status == "success" && strings.TrimSpace(entry.StoreReference) != "":
			default:
				t.Fatalf("the acknowledgement %+v was accepted", entry)
			}
		}
		checkRoundTrip(t, req, parseAcknowledgeRequest)
	})
}

func FuzzDecideRequest(f *testing.F) {
	f.Add([]byte(`{"orders":[{"id":12},{"id":13,"reason":"out of stock"}]}`))
	f.Add([]byte(`{"orders":[{"id":-1,"reason":""}]}`))
	f.Add([]byte(`{"orders":null}`))
	f.Add([]byte(`{"orders":[{"id":1e3}]}`))
	f.Add([]byte(`[{"id":12}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseDecideRequest(body)
		if err != nil {
			checkRefusal(t, body, err)
			return
		}
		if n := len(req.Orders); n == 0 || n > apiBatchMax {
			t.Fatalf("a batch of %d orders was accepted", n)
		}
		checkRoundTrip(t, req, parseDecideRequest)
	})
}

func FuzzProductsRequest(f *testing.F) {
	f.Add([]byte(`{"connection_id":3,"products":[{"sku":"MUG-RED","ean":"4006381333931","name":"Red mug","stock":12,"active":true},{"sku":"TEA-GREEN","name":"Green tea"}]}`))
	f.Add([]byte(`{"connection_id":3,"products":[{"sku":"MUG-RED"},{"sku":" MUG-RED "}]}`))
	f.Add([]byte(`{"connection_id":3,"products":[{"sku":"MUG-RED","stock":-1}]}`))
	f.Add([]byte(`{"connection_id":3,"products":[{"sku":"   "}]}`))
	f.Add([]byte(`{"connection_id":3,"products":[{"sku":"A","stock":1.5}]}`))
	f.Add([]byte(`{"products":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseProductsRequest(body)
		if err != nil {
			checkRefusal(t, body, err)
			return
		}
		if n := len(req.Products); n == 0 || n > apiProductsMax {
			t.Fatalf("a batch of %d products was accepted", n)
		}
		checkRoundTrip(t, req, parseProductsRequest)
		products, err := shopProducts(req)
		if err != nil {
			checkRefusal(t, body, err)
			return
		}
		seen := map[string]bool{}
		for _, p := range products {
			if p.SKU == "" || p.SKU != strings.TrimSpace(p.SKU) || len(p.SKU) > 255 || seen[p.SKU] || p.Stock < 0 {
				t.Fatalf("the product %+v was accepted", p)
			}
			seen[p.SKU] = true
		}
		if len(products) != len(req.Products) {
			t.Fatalf("%d products sent, %d kept", len(req.Products), len(products))
		}
	})
}
