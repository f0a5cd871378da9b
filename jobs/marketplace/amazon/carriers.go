package amazon

import (
	"strings"

	"github.com/orderhub/orderhub/models"
)

// carrierOther is the carrierCode for a carrier Amazon does not list; carrierName then names it.
const carrierOther = "Other"

// carriers are carrier codes Amazon takes in confirmShipment's carrierCode. The models declare
// carrierCode as a free string without an enum; these are the values their examples use
// (FedEx, UPS, DPD, Royal Mail) and the other common names of Amazon's carrier list.
var carriers = []models.Carrier{
	{Code: "Amazon Shipping", Name: "Amazon Shipping"},
	{Code: "Australia Post", Name: "Australia Post"},
	{Code: "Blue Dart", Name: "Blue Dart"},
	{Code: "BRT", Name: "BRT"},
	{Code: "Canada Post", Name: "Canada Post"},
	{Code: "Chronopost", Name: "Chronopost"},
	{Code: "Colissimo", Name: "Colissimo"},
	{Code: "Correos", Name: "Correos"},
	{Code: "Deutsche Post", Name: "Deutsche Post"},
	{Code: "DHL", Name: "DHL"},
	{Code: "DHL eCommerce", Name: "DHL eCommerce"},
	{Code: "DPD", Name: "DPD"},
	{Code: "FedEx", Name: "FedEx"},
	{Code: "GLS", Name: "GLS"},
	{Code: "Hermes", Name: "Hermes"},
	{Code: "Japan Post", Name: "Japan Post"},
	{Code: "La Poste", Name: "La Poste"},
	{Code: "OnTrac", Name: "OnTrac"},
	{Code: "Parcelforce", Name: "Parcelforce"},
	{Code: "Poste Italiane", Name: "Poste Italiane"},
	{Code: "PostNL", Name: "PostNL"},
	{Code: "Royal Mail", Name: "Royal Mail"},
	{Code: "SEUR", Name: "SEUR"},
	{Code: "TNT", Name: "TNT"},
	{Code: "UPS", Name: "UPS"},
	{Code: "USPS", Name: "USPS"},
	{Code: "Yamato Transport", Name: "Yamato Transport"},
	{Code: carrierOther, Name: "Other (named carrier)"},
}

// carrierCode returns Amazon's code for a carrier, matched without regard to case, or "".
func carrierCode(code string) string {
	code = strings.TrimSpace(code)
	for _, c := range carriers {
		if strings.EqualFold(c.Code, code) {
			return c.Code
		}
	}
	return ""
}
