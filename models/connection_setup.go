package models

import (
	"encoding/json"
	"strings"
)

// The steps that set a new connection up, in order. Each is one screen of the wizard.
const (
	StepMarketplace = "marketplace"
	StepCredentials = "credentials"
	StepStore       = "store"
	StepCarriers    = "carriers"
	StepTestOrder   = "test-order"
	StepActivate    = "activate"
)

// SetupStep is one step of the wizard.
type SetupStep struct {
	Key      string
	Label    string
	Optional bool // the wizard does not stop there when resuming
}

// SetupSteps lists the wizard's steps.
var SetupSteps = []SetupStep{
	{StepMarketplace, "Marketplace", false},
	{StepCredentials, "Marketplace access", false},
	{StepStore, "Store", false},
	{StepCarriers, "Carriers", false},
	{StepTestOrder, "Test order", true},
	{StepActivate, "Activate", false},
}

// StepDone reports whether a step's part of the connection is filled in.
func (c *Connection) StepDone(step string) bool {
	switch step {
	case StepMarketplace:
		return c.Name != "" && c.MarketplaceKind != "" && c.Country != ""
	case StepCredentials:
		return c.MarketplaceCredentials != ""
	case StepStore:
		return c.StoreKind == StoreKindAPI || (c.StoreKind != "" && c.StoreCredentials != "")
	case StepCarriers:
		return c.DefaultCarrierName != ""
	case StepActivate:
		return c.State != ConnectionDraft
	}
	return false
}

// NextSetupStep is the first step still to do: where the wizard resumes.
func (c *Connection) NextSetupStep() string {
	for _, s := range SetupSteps {
		if !s.Optional && !c.StepDone(s.Key) {
			return s.Key
		}
	}
	return StepActivate
}

// Settings reads a settings JSON object (marketplace or store side) as text values.
func Settings(raw string) map[string]string {
	out := map[string]string{}
	var m map[string]any
	if json.Unmarshal([]byte(raw), &m) != nil {
		return out
	}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// EncodeSettings writes settings as the JSON object a connection keeps, leaving out empty
// values.
func EncodeSettings(settings map[string]string) string {
	m := map[string]string{}
	for k, v := range settings {
		if v = strings.TrimSpace(v); v != "" {
			m[k] = v
		}
	}
	raw, _ := json.Marshal(m)
	return string(raw)
}
