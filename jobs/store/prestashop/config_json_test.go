package prestashop

import (
	"encoding/json"
	"testing"
)

func TestConfigReadsNumbersSavedAsText(t *testing.T) {
	var cfg Config
	if err := json.Unmarshal([]byte(`{"base_url":"https://shop.example","carrier_id":" 7 ","language_id":"","shipped_states":[4,5]}`), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.CarrierID != 7 || cfg.LanguageID != 0 || len(cfg.ShippedStates) != 2 || cfg.BaseURL != "https://shop.example" {
		t.Fatalf("read %+v", cfg)
	}
	var typed Config
	if err := json.Unmarshal([]byte(`{"shipped_states":"4, 5,12","cancelled_states":""}`), &typed); err != nil {
		t.Fatal(err)
	}
	if len(typed.ShippedStates) != 3 || typed.ShippedStates[2] != 12 || typed.CancelledStates != nil {
		t.Fatalf("states read %+v %+v", typed.ShippedStates, typed.CancelledStates)
	}
	if err := json.Unmarshal([]byte(`{"shipped_states":"shipped"}`), &typed); err == nil {
		t.Fatal("state names were taken as ids")
	}
	if err := json.Unmarshal([]byte(`{"carrier_id":"seven"}`), &cfg); err == nil || err.Error() != `the carrier id "seven" is not a number` {
		t.Fatalf("a carrier id in words: %v", err)
	}
}
