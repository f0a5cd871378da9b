package bol

import "strings"

// transporter is one transporterCode bol accepts on a shipment. Standard is the carrier's
// common name where the code differs from it, so that a store's carrier name finds the code
// (a store says "PostNL", bol says TNT).
type transporter struct {
	Code, Name, Standard, TrackingURL string
}

// transporters is the transporterCode enum of the v10 specification (August 2023 edition;
// later editions leave the field a free string but bol still checks it against this list).
// PostNL parcels go as TNT, the carrier's former name.
var transporters = []transporter{
	{"AMPERE", "Ampere", "", ""},
	{"BPOST_BE", "bpost", "BPOST", "https://track.bpost.cloud/btr/web/#/search?itemCode={tracking}"},
	{"BPOST_BRIEF", "bpost letter", "", ""},
	{"BRIEFPOST", "Briefpost", "", ""},
	{"BUDBEE", "Budbee", "", ""},
	{"COURIER", "Courier", "", ""},
	{"CYCLOON", "Cycloon", "", ""},
	{"DHL", "DHL", "", "https://www.dhl.com/nl-en/home/tracking.html?tracking-id={tracking}"},
	{"DHL-GLOBAL-MAIL", "DHL Global Mail", "", ""},
	{"DHL-SD", "DHL Same Day", "", ""},
	{"DHLFORYOU", "DHL For You", "", ""},
	{"DHL_DE", "DHL Germany", "", ""},
	{"DPD-BE", "DPD Belgium", "", ""},
	{"DPD-NL", "DPD Netherlands", "DPD", "https://tracking.dpd.de/status/nl_NL/parcel/{tracking}"},
	{"DYL", "DYL", "", ""},
	{"FEDEX_BE", "FedEx Belgium", "", ""},
	{"FEDEX_NL", "FedEx Netherlands", "FEDEX", ""},
	{"GLS", "GLS", "", "https://gls-group.com/NL/en/parcel-tracking?match={tracking}"},
	{"OTHER", "Other", "", ""},
	{"PACKS", "Packs", "", ""},
	{"PARCEL-NL", "Parcel.nl", "", ""},
	{"PES", "PES", "", ""},
	{"TNT", "PostNL", "POSTNL", "https://jouw.postnl.nl/track-and-trace/{tracking}"},
	{"TNT-EXPRESS", "TNT Express", "", ""},
	{"TNT-EXTRA", "PostNL Extra@Home", "", ""},
	{"TNT_BRIEF", "PostNL letter", "", ""},
	{"TRANSMISSION", "Transmission", "", ""},
	{"TRUNKRS", "Trunkrs", "", ""},
	{"TSN", "TSN", "", ""},
	{"UPS", "UPS", "", "https://www.ups.com/track?tracknum={tracking}"},
}

// transporterCode returns the code to send for a shipment: its carrier code when bol lists
// it, else the code whose name or common name matches the carrier's name, else OTHER.
func transporterCode(code, name string) string {
	for _, t := range transporters {
		if strings.EqualFold(t.Code, strings.TrimSpace(code)) {
			return t.Code
		}
	}
	for _, candidate := range []string{code, name} {
		key := carrierKey(candidate)
		if key == "" {
			continue
		}
		for _, t := range transporters {
			if key == carrierKey(t.Code) || key == carrierKey(t.Name) || (t.Standard != "" && key == carrierKey(t.Standard)) {
				return t.Code
			}
		}
	}
	return "OTHER"
}

func carrierKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
