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
	if err := json.Unmarshal([]byte(`{"carrier_id":"seven"}`), &cfg); err == nil || err.Error() != `the carrier id "seven" is not a number` {
		t.Fatalf("a carrier id in words: %v", err)
	}
}
