package mirakl

import "strings"

// alpha3ToAlpha2 is ISO 3166-1 in full: Mirakl sends alpha-3, orderhub keeps alpha-2.
var alpha3ToAlpha2 = map[string]string{
	"ABW": "AW", "AFG": "AF", "AGO": "AO", "AIA": "AI", "ALA": "AX", "ALB": "AL", "AND": "AD",
	"ARE": "AE", "ARG": "AR", "ARM": "AM", "ASM": "AS", "ATA": "AQ", "ATF": "TF", "ATG": "AG",
	"AUS": "AU", "AUT": "AT", "AZE": "AZ", "BDI": "BI", "BEL": "BE", "BEN": "BJ", "BES": "BQ",
	"BFA": "BF", "BGD": "BD", "BGR": "BG", "BHR": "BH", "BHS": "BS", "BIH": "BA", "BLM": "BL",
	"BLR": "BY", "BLZ": "BZ", "BMU": "BM", "BOL": "BO", "BRA": "BR", "BRB": "BB", "BRN": "BN",
	"BTN": "BT", "BVT": "BV", "BWA": "BW", "CAF": "CF", "CAN": "CA", "CCK": "CC", "CHE": "CH",
	"CHL": "CL", "CHN": "CN", "CIV": "CI", "CMR": "CM", "COD": "CD", "COG": "CG", "COK": "CK",
	"COL": "CO", "COM": "KM", "CPV": "CV", "CRI": "CR", "CUB": "CU", "CUW": "CW", "CXR": "CX",
	"CYM": "KY", "CYP": "CY", "CZE": "CZ", "DEU": "DE", "DJI": "DJ", "DMA": "DM", "DNK": "DK",
	"DOM": "DO", "DZA": "DZ", "ECU": "EC", "EGY": "EG", "ERI": "ER", "ESH": "EH", "ESP": "ES",
	"EST": "EE", "ETH": "ET", "FIN": "FI", "FJI": "FJ", "FLK": "FK", "FRA": "FR", "FRO": "FO",
	"FSM": "FM", "GAB": "GA", "GBR": "GB", "GEO": "GE", "GGY": "GG", "GHA": "GH", "GIB": "GI",
	"GIN": "GN", "GLP": "GP", "GMB": "GM", "GNB": "GW", "GNQ": "GQ", "GRC": "GR", "GRD": "GD",
	"GRL": "GL", "GTM": "GT", "GUF": "GF", "GUM": "GU", "GUY": "GY", "HKG": "HK", "HMD": "HM",
	"HND": "HN", "HRV": "HR", "HTI": "HT", "HUN": "HU", "IDN": "ID", "IMN": "IM", "IND": "IN",
	"IOT": "IO", "IRL": "IE", "IRN": "IR", "IRQ": "IQ", "ISL": "IS", "ISR": "IL", "ITA": "IT",
	"JAM": "JM", "JEY": "JE", "JOR": "JO", "JPN": "JP", "KAZ": "KZ", "KEN": "KE", "KGZ": "KG",
	"KHM": "KH", "KIR": "KI", "KNA": "KN", "KOR": "KR", "KWT": "KW", "LAO": "LA", "LBN": "LB",
	"LBR": "LR", "LBY": "LY", "LCA": "LC", "LIE": "LI", "LKA": "LK", "LSO": "LS", "LTU": "LT",
	"LUX": "LU", "LVA": "LV", "MAC": "MO", "MAF": "MF", "MAR": "MA", "MCO": "MC", "MDA": "MD",
	"MDG": "MG", "MDV": "MV", "MEX": "MX", "MHL": "MH", "MKD": "MK", "MLI": "ML", "MLT": "MT",
	"MMR": "MM", "MNE": "ME", "MNG": "MN", "MNP": "MP", "MOZ": "MZ", "MRT": "MR", "MSR": "MS",
	"MTQ": "MQ", "MUS": "MU", "MWI": "MW", "MYS": "MY", "MYT": "YT", "NAM": "NA", "NCL": "NC",
	"NER": "NE", "NFK": "NF", "NGA": "NG", "NIC": "NI", "NIU": "NU", "NLD": "NL", "NOR": "NO",
	"NPL": "NP", "NRU": "NR", "NZL": "NZ", "OMN": "OM", "PAK": "PK", "PAN": "PA", "PCN": "PN",
	"PER": "PE", "PHL": "PH", "PLW": "PW", "PNG": "PG", "POL": "PL", "PRI": "PR", "PRK": "KP",
	"PRT": "PT", "PRY": "PY", "PSE": "PS", "PYF": "PF", "QAT": "QA", "REU": "RE", "ROU": "RO",
	"RUS": "RU", "RWA": "RW", "SAU": "SA", "SDN": "SD", "SEN": "SN", "SGP": "SG", "SGS": "GS",
	"SHN": "SH", "SJM": "SJ", "SLB": "SB", "SLE": "SL", "SLV": "SV", "SMR": "SM", "SOM": "SO",
	"SPM": "PM", "SRB": "RS", "SSD": "SS", "STP": "ST", "SUR": "SR", "SVK": "SK", "SVN": "SI",
	"SWE": "SE", "SWZ": "SZ", "SXM": "SX", "SYC": "SC", "SYR": "SY", "TCA": "TC", "TCD": "TD",
	"TGO": "TG", "THA": "TH", "TJK": "TJ", "TKL": "TK", "TKM": "TM", "TLS": "TL", "TON": "TO",
	"TTO": "TT", "TUN": "TN", "TUR": "TR", "TUV": "TV", "TWN": "TW", "TZA": "TZ", "UGA": "UG",
	"UKR": "UA", "UMI": "UM", "URY": "UY", "USA": "US", "UZB": "UZ", "VAT": "VA", "VCT": "VC",
	"VEN": "VE", "VGB": "VG", "VIR": "VI", "VNM": "VN", "VUT": "VU", "WLF": "WF", "WSM": "WS",
	"YEM": "YE", "ZAF": "ZA", "ZMB": "ZM", "ZWE": "ZW",
}

// alpha2Codes is the set of valid alpha-2 codes, for a free-text country that is one.
var alpha2Codes = func() map[string]bool {
	codes := make(map[string]bool, len(alpha3ToAlpha2))
	for _, alpha2 := range alpha3ToAlpha2 {
		codes[alpha2] = true
	}
	return codes
}()

// countryNames maps free-text country names (lower case, accents removed) to alpha-2, for
// operators that send country_iso_code null. It covers the EU/EEA, the UK, Switzerland and
// the US in English and in the languages of the main Mirakl operators' markets.
var countryNames = map[string]string{
	"austria": "AT", "autriche": "AT", "osterreich": "AT", "oesterreich": "AT",
	"belgium": "BE", "belgique": "BE", "belgien": "BE", "belgica": "BE", "belgio": "BE", "belgie": "BE",
	"bulgaria": "BG", "bulgarie": "BG", "bulgarien": "BG",
	"croatia": "HR", "croatie": "HR", "kroatien": "HR", "croacia": "HR", "croazia": "HR",
	"cyprus": "CY", "chypre": "CY", "zypern": "CY", "chipre": "CY", "cipro": "CY",
	"czechia": "CZ", "czech republic": "CZ", "republique tcheque": "CZ", "tchequie": "CZ", "tschechien": "CZ", "republica checa": "CZ", "repubblica ceca": "CZ",
	"denmark": "DK", "danemark": "DK", "dinamarca": "DK", "danimarca": "DK", "daenemark": "DK", "danmark": "DK",
	"estonia": "EE", "estonie": "EE", "estland": "EE",
	"finland": "FI", "finlande": "FI", "finnland": "FI", "finlandia": "FI",
	"france": "FR", "france metropolitaine": "FR", "frankreich": "FR", "francia": "FR", "frankrijk": "FR",
	"germany": "DE", "allemagne": "DE", "deutschland": "DE", "alemania": "DE", "germania": "DE", "duitsland": "DE",
	"greece": "GR", "grece": "GR", "griechenland": "GR", "grecia": "GR",
	"hungary": "HU", "hongrie": "HU", "ungarn": "HU", "hungria": "HU", "ungheria": "HU",
	"ireland": "IE", "irlande": "IE", "irland": "IE", "irlanda": "IE", "republic of ireland": "IE",
	"italy": "IT", "italie": "IT", "italien": "IT", "italia": "IT",
	"latvia": "LV", "lettonie": "LV", "lettland": "LV", "letonia": "LV", "lettonia": "LV",
	"lithuania": "LT", "lituanie": "LT", "litauen": "LT", "lituania": "LT",
	"luxembourg": "LU", "luxemburg": "LU", "luxemburgo": "LU", "lussemburgo": "LU",
	"malta": "MT", "malte": "MT",
	"netherlands": "NL", "the netherlands": "NL", "holland": "NL", "pays-bas": "NL", "pays bas": "NL", "niederlande": "NL", "paises bajos": "NL", "paesi bassi": "NL", "nederland": "NL",
	"poland": "PL", "pologne": "PL", "polen": "PL", "polonia": "PL",
	"portugal": "PT", "portogallo": "PT",
	"romania": "RO", "roumanie": "RO", "rumanien": "RO", "rumania": "RO",
	"slovakia": "SK", "slovaquie": "SK", "slowakei": "SK", "eslovaquia": "SK", "slovacchia": "SK",
	"slovenia": "SI", "slovenie": "SI", "slowenien": "SI", "eslovenia": "SI",
	"spain": "ES", "espagne": "ES", "spanien": "ES", "espana": "ES", "spagna": "ES", "spanje": "ES",
	"sweden": "SE", "suede": "SE", "schweden": "SE", "suecia": "SE", "svezia": "SE", "zweden": "SE",
	"iceland": "IS", "islande": "IS", "island": "IS", "islandia": "IS", "islanda": "IS",
	"liechtenstein": "LI",
	"norway":        "NO", "norvege": "NO", "norwegen": "NO", "noruega": "NO", "norvegia": "NO", "noorwegen": "NO",
	"switzerland": "CH", "suisse": "CH", "schweiz": "CH", "suiza": "CH", "svizzera": "CH", "zwitserland": "CH",
	"united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
	"royaume-uni": "GB", "royaume uni": "GB", "grande-bretagne": "GB", "vereinigtes konigreich": "GB", "grossbritannien": "GB", "reino unido": "GB", "regno unito": "GB", "verenigd koninkrijk": "GB",
	"united states": "US", "united states of america": "US", "america": "US", "etats-unis": "US", "etats unis": "US", "vereinigte staaten": "US", "estados unidos": "US", "stati uniti": "US", "verenigde staten": "US",
	"monaco": "MC", "andorra": "AD", "andorre": "AD", "san marino": "SM", "saint-marin": "SM", "vatican": "VA",
	"canada": "CA", "kanada": "CA",
}

// countryAlpha2 returns the alpha-2 code of an address: from the alpha-3 country_iso_code
// when there is one, else from the free-text country; "" when neither is recognised, so
// orderhub blocks the order for a missing field instead of guessing.
func countryAlpha2(isoCode *string, freeText string) string {
	if isoCode != nil {
		if alpha2, ok := alpha3ToAlpha2[strings.ToUpper(strings.TrimSpace(*isoCode))]; ok {
			return alpha2
		}
	}
	return countryFromText(freeText)
}

// countryFromText recognises an alpha-2 or alpha-3 code or a country name.
func countryFromText(text string) string {
	code := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(text), ".", ""))
	if alpha2, ok := alpha3ToAlpha2[code]; ok {
		return alpha2
	}
	if alpha2Codes[code] {
		return code
	}
	if code == "UK" {
		return "GB"
	}
	return countryNames[normalizeCountryName(text)]
}

// normalizeCountryName lower-cases, removes accents and a parenthesised qualifier such as
// "France (métropolitaine)", and collapses spaces.
func normalizeCountryName(text string) string {
	if i := strings.IndexByte(text, '('); i >= 0 {
		text = text[:i]
	}
	text = withoutAccents.Replace(strings.ToLower(text))
	return strings.Join(strings.Fields(strings.ReplaceAll(text, ".", "")), " ")
}

// withoutAccents folds the accented letters of European country names to plain ones.
var withoutAccents = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ä", "a", "å", "a", "ã", "a", "æ", "ae",
	"ç", "c", "č", "c", "è", "e", "é", "e", "ê", "e", "ë", "e", "ì", "i", "í", "i", "î", "i", "ï", "i",
	"ñ", "n", "ò", "o", "ó", "o", "ô", "o", "ö", "o", "õ", "o", "ø", "o", "ß", "ss",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ý", "y", "ž", "z", "š", "s",
)
