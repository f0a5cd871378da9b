package woocommerce

import (
	"encoding/json"
	"testing"
	"time"
)

func TestStockMapping(t *testing.T) {
	for _, tc := range []struct {
		name        string
		product     string
		stock       int
		manageStock bool
	}{
		{"counted", `{"manage_stock":true,"stock_quantity":4,"stock_status":"instock"}`, 4, true},
		{"counted, none left", `{"manage_stock":true,"stock_quantity":0,"stock_status":"outofstock"}`, 0, true},
		{"counted, null quantity", `{"manage_stock":true,"stock_quantity":null,"stock_status":"outofstock"}`, 0, true},
		{"counted by the parent", `{"manage_stock":"parent","stock_quantity":6,"stock_status":"instock"}`, 6, true},
		{"not counted, in stock", `{"manage_stock":false,"stock_quantity":null,"stock_status":"instock"}`, 0, false},
		{"not counted, marked out", `{"manage_stock":false,"stock_quantity":null,"stock_status":"outofstock"}`, 0, true},
		{"backorders allowed", `{"manage_stock":true,"stock_quantity":-2,"stock_status":"onbackorder","backorders_allowed":true}`, -2, false},
		{"quantity as a string", `{"manage_stock":true,"stock_quantity":"3","stock_status":"instock"}`, 3, true},
	} {
		var p wireProduct
		if err := json.Unmarshal([]byte(tc.product), &p); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		stock, managed := stockFromWire(p.ManageStock, p.StockQuantity, p.StockStatus, p.BackordersAllowed)
		if stock != tc.stock || managed != tc.manageStock {
			t.Errorf("%s: stock %d managed %v, want %d %v", tc.name, stock, managed, tc.stock, tc.manageStock)
		}
	}
}

func TestTrackingMetaIsReadInItsStoredShapes(t *testing.T) {
	for _, tc := range []struct {
		name, value      string
		number, provider string
		shipped          int64
	}{
		{"array, number date", `[{"tracking_provider":"ups","tracking_number":"1Z1","date_shipped":1741910400,"tracking_id":"a"}]`, "1Z1", "ups", 1741910400},
		{"array, string date, last wins", `[{"tracking_provider":"ups","tracking_number":"OLD","date_shipped":"1"},{"tracking_provider":"","custom_tracking_provider":"GLS","tracking_number":"NEW","date_shipped":"1741910400"}]`, "NEW", "GLS", 1741910400},
		{"object after a deletion", `{"0":{"tracking_number":"A","tracking_provider":"dhl-us"},"10":{"tracking_number":"C","tracking_provider":"fedex"},"2":{"tracking_number":"B","tracking_provider":"ups"}}`, "C", "fedex", 0},
	} {
		meta := []wireMeta{{Key: "_other", Value: json.RawMessage(`"x"`)}, {Key: metaTrackingItems, Value: json.RawMessage(tc.value)}}
		item, ok := lastTrackingItem(meta)
		if !ok || item.TrackingNumber != tc.number || firstNonEmpty(item.TrackingProvider, item.CustomTrackingProvider) != tc.provider || item.DateShipped.Value != tc.shipped {
			t.Errorf("%s: got %+v, %v", tc.name, item, ok)
		}
	}
	if _, ok := lastTrackingItem([]wireMeta{{Key: metaTrackingItems, Value: json.RawMessage(`[]`)}}); ok {
		t.Error("an empty list gave a tracking")
	}
}

func TestTrackingLinkFillsNumberAndPostcode(t *testing.T) {
	var order wireOrder
	json.Unmarshal([]byte(`{"id":5,"status":"completed","shipping":{"postcode":"1011AB"},"meta_data":[
		{"id":1,"key":"_orderhub_order_id","value":"9"},
		{"id":2,"key":"_wc_shipment_tracking_items","value":[{"custom_tracking_provider":"PostNL","custom_tracking_link":"https://postnl.nl/tt?B=%1$s&P=%2$s","tracking_number":"3SABC"}]}]}`), &order)
	shipment, ok := shipmentFromWire(order)
	if !ok || shipment.TrackingURL != "https://postnl.nl/tt?B=3SABC&P=1011AB" {
		t.Errorf("got %+v, %v", shipment, ok)
	}
}

func TestMetaValuesAreReadAsText(t *testing.T) {
	meta := []wireMeta{
		{Key: "_orderhub_order_id", Value: json.RawMessage(`42`)},
		{Key: "_orderhub_connection_id", Value: json.RawMessage(`"7"`)},
		{Key: "_wc_shipment_tracking_items", Value: json.RawMessage(`[]`)},
	}
	if got := metaString(meta, "_orderhub_order_id"); got != "42" {
		t.Errorf("number meta = %q", got)
	}
	if got := metaString(meta, "_orderhub_connection_id"); got != "7" {
		t.Errorf("string meta = %q", got)
	}
	if got := metaString(meta, "_wc_shipment_tracking_items"); got != "" {
		t.Errorf("array meta = %q, want \"\"", got)
	}
}

func TestWooDatesAreUTCWithoutZone(t *testing.T) {
	var order wireOrder
	if err := json.Unmarshal([]byte(`{"date_modified_gmt":"2017-03-22T19:28:08","date_completed_gmt":null}`), &order); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2017, 3, 22, 19, 28, 8, 0, time.UTC); !order.DateModifiedGMT.Equal(want) || order.DateModifiedGMT.Location() != time.UTC {
		t.Errorf("date_modified_gmt = %v", order.DateModifiedGMT)
	}
	if !order.DateCompletedGMT.IsZero() {
		t.Errorf("null date = %v", order.DateCompletedGMT)
	}
	if err := json.Unmarshal([]byte(`{"date_modified_gmt":"2017-03-22T22:28:08+03:00"}`), &order); err != nil || !order.DateModifiedGMT.Equal(time.Date(2017, 3, 22, 19, 28, 8, 0, time.UTC)) {
		t.Errorf("a date with a zone: %v, %v", order.DateModifiedGMT, err)
	}
	if err := json.Unmarshal([]byte(`{"date_modified_gmt":"22/03/2017"}`), &order); err == nil {
		t.Error("a malformed date was accepted")
	}
}
