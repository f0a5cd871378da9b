package models

import (
	"errors"
	"net/mail"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
)

// Address fields that an edit reports errors on. They are the words a missing-field block
// names in its cause, so a page can point at the fields an order is blocked on.
const (
	AddressFieldName     = "name" // first name, last name or company
	AddressFieldStreet   = "street"
	AddressFieldPostcode = "postcode"
	AddressFieldCity     = "city"
	AddressFieldCountry  = "country"
	AddressFieldPhone    = "phone"
	AddressFieldEmail    = "email"
)

// AddressErrors is what is wrong with an address, one refusal per field (AddressFieldName...),
// so that a form can show each next to its field.
type AddressErrors map[string]*UserError

// Error lists the refusals in the order of the fields' names.
func (e AddressErrors) Error() string {
	fields := make([]string, 0, len(e))
	for field := range e {
		fields = append(fields, field)
	}
	sort.Strings(fields)
	parts := make([]string, len(fields))
	for i, field := range fields {
		parts[i] = field + ": " + e[field].English
	}
	return strings.Join(parts, "; ")
}

// add records err, when there is one, as field's refusal.
func (e AddressErrors) add(field string, err error) {
	if err == nil {
		return
	}
	var refusal *UserError
	if !errors.As(err, &refusal) {
		refusal = NewUserError("address.error.invalid", nil, err.Error())
	}
	e[field] = refusal
}

// NormaliseAddress checks an address typed by a person and returns it as it should be
// stored: every field on one line without surrounding spaces, the country upper-cased, the
// postcode in its country's form, the phone number in E.164. A name (first, last or
// company), the street, the city and the country are required; the phone number and the
// email are optional. It returns AddressErrors when something is wrong.
func NormaliseAddress(a Address) (Address, error) {
	out := Address{
		FirstName: oneLine(a.FirstName),
		LastName:  oneLine(a.LastName),
		Company:   oneLine(a.Company),
		Street1:   oneLine(a.Street1),
		Street2:   oneLine(a.Street2),
		City:      oneLine(a.City),
		State:     oneLine(a.State),
	}
	errs := AddressErrors{}
	if out.FirstName == "" && out.LastName == "" && out.Company == "" {
		errs[AddressFieldName] = NewUserError("address.error.name_required", nil, "Enter the buyer's name, or a company name.")
	}
	if out.Street1 == "" {
		errs[AddressFieldStreet] = NewUserError("address.error.street_required", nil, "Enter the street and house number.")
	}
	if out.City == "" {
		errs[AddressFieldCity] = NewUserError("address.error.city_required", nil, "Enter the city.")
	}
	var err error
	out.Country, err = NormaliseCountry(a.Country)
	if err != nil {
		errs.add(AddressFieldCountry, err)
		// Postcode and phone rules depend on the country: they are checked once it is right.
		out.PostalCode, out.Phone = oneLine(a.PostalCode), oneLine(a.Phone)
	} else {
		out.PostalCode, err = NormalisePostcode(a.PostalCode, out.Country)
		errs.add(AddressFieldPostcode, err)
		out.Phone, err = NormalisePhone(a.Phone, out.Country)
		errs.add(AddressFieldPhone, err)
	}
	out.Email, err = NormaliseEmail(a.Email)
	errs.add(AddressFieldEmail, err)
	if len(errs) > 0 {
		return out, errs
	}
	return out, nil
}

// NormaliseCountry returns a country as its upper-case ISO 3166-1 alpha-2 code, or a
// *UserError when it is not one.
func NormaliseCountry(country string) (string, error) {
	code := strings.ToUpper(oneLine(country))
	if code == "" {
		return "", NewUserError("address.error.country_required", nil, "Enter the country as its two-letter code, such as FR, DE or GB.")
	}
	if !isCountryCode(code) {
		return code, NewUserError("address.error.country_invalid", map[string]any{"Country": code},
			code+" is not a country code: enter the two-letter ISO code, such as FR, DE or GB.")
	}
	return code, nil
}

func isCountryCode(code string) bool {
	if len(code) != 2 || !isUpperASCII(code[0]) || !isUpperASCII(code[1]) {
		return false
	}
	// UK is reserved by ISO but is not the United Kingdom's code: stores and carriers
	// expect GB.
	if code == "UK" {
		return false
	}
	region, err := language.ParseRegion(code)
	return err == nil && region.String() == code && region.IsCountry()
}

// defaultPhoneExample is the example of a phone number for a country without one of its own.
const defaultPhoneExample = "+33 6 12 34 56 78"

// NormalisePhone returns a phone number in E.164 (+33612345678), reading a number typed
// without its country code as one of country. An empty number stays empty. A number that is
// not valid gives a *UserError that shows how to type it.
func NormalisePhone(phone, country string) (string, error) {
	phone = oneLine(phone)
	if phone == "" {
		return "", nil
	}
	region := country
	if !isCountryCode(region) {
		region = ""
	}
	number, err := phonenumbers.Parse(phone, region)
	if err != nil || !phonenumbers.IsValidNumber(number) {
		example := phoneExample(region)
		return phone, NewUserError("address.error.phone_invalid", map[string]any{"Example": example},
			"Enter the phone number with its country code, such as "+example+".")
	}
	return phonenumbers.Format(number, phonenumbers.E164), nil
}

// phoneExample is a mobile number of the country as people write it, for error messages.
func phoneExample(region string) string {
	if region == "" {
		return defaultPhoneExample
	}
	example := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE)
	if example == nil {
		return defaultPhoneExample
	}
	return phonenumbers.Format(example, phonenumbers.INTERNATIONAL)
}

// NormaliseEmail returns an email address without surrounding spaces. An empty one stays
// empty; one that is not a plain address (name@example.com) gives a *UserError.
func NormaliseEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", nil
	}
	parsed, err := mail.ParseAddress(email)
	if err != nil || parsed.Address != email || parsed.Name != "" || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return email, NewUserError("address.error.email_invalid", nil, "Enter an email address such as name@example.com, or leave the field empty.")
	}
	return email, nil
}

// postcodeRule is how one country writes its postcodes.
type postcodeRule struct {
	compact  *regexp.Regexp // the postcode in upper case without spaces, dashes or country prefix
	format   func(compact string) string
	prefixes []string // what people put before it: "D-10115", "NL-1012 AB"
	example  string
}

// digits is a postcode of n digits.
func digits(n int) *regexp.Regexp { return regexp.MustCompile(`^[0-9]{` + strconv.Itoa(n) + `}$`) }

// asIs writes a postcode in its compact form.
func asIs(compact string) string { return compact }

// splitAt writes a postcode with a space (or a dash) after its first n characters.
func splitAt(n int, separator string) func(string) string {
	return func(compact string) string { return compact[:n] + separator + compact[n:] }
}

// inwardSplit writes a postcode with a space before its last three characters (GB's
// outward and inward codes).
func inwardSplit(compact string) string {
	return compact[:len(compact)-3] + " " + compact[len(compact)-3:]
}

func prefixed(prefix string) func(string) string {
	return func(compact string) string { return prefix + compact }
}

// postcodeRules covers the EU countries, GB, CH, NO and US. Other countries get the loose
// rule of otherPostcode.
var postcodeRules = map[string]postcodeRule{
	"AT": {digits(4), asIs, []string{"AT", "A"}, "1010"},
	"BE": {digits(4), asIs, []string{"BE", "B"}, "1000"},
	"BG": {digits(4), asIs, []string{"BG"}, "1000"},
	"CH": {digits(4), asIs, []string{"CH"}, "8001"},
	"CY": {digits(4), asIs, []string{"CY"}, "1010"},
	"CZ": {digits(5), splitAt(3, " "), []string{"CZ"}, "110 00"},
	"DE": {digits(5), asIs, []string{"DE", "D"}, "10115"},
	"DK": {digits(4), asIs, []string{"DK"}, "1050"},
	"EE": {digits(5), asIs, []string{"EE"}, "10111"},
	"ES": {regexp.MustCompile(`^(0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}$`), asIs, []string{"ES", "E"}, "28001"},
	"FI": {digits(5), asIs, []string{"FI"}, "00100"},
	"FR": {digits(5), asIs, []string{"FR", "F"}, "75001"},
	"GB": {regexp.MustCompile(`^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$`), inwardSplit, nil, "SW1A 1AA"},
	"GR": {digits(5), splitAt(3, " "), []string{"GR"}, "105 57"},
	"HR": {digits(5), asIs, []string{"HR"}, "10000"},
	"HU": {digits(4), asIs, []string{"HU", "H"}, "1051"},
	"IE": {regexp.MustCompile(`^([AC-FHKNPRTV-Y][0-9]{2}|D6W)[0-9AC-FHKNPRTV-Y]{4}$`), splitAt(3, " "), nil, "D02 X285"},
	"IT": {digits(5), asIs, []string{"IT", "I"}, "00184"},
	"LT": {digits(5), prefixed("LT-"), []string{"LT"}, "LT-01100"},
	"LU": {digits(4), asIs, []string{"LU", "L"}, "1009"},
	"LV": {digits(4), prefixed("LV-"), []string{"LV"}, "LV-1050"},
	"MT": {regexp.MustCompile(`^[A-Z]{3}[0-9]{4}$`), splitAt(3, " "), nil, "VLT 1117"},
	"NL": {regexp.MustCompile(`^[1-9][0-9]{3}[A-Z]{2}$`), splitAt(4, " "), []string{"NL"}, "1012 AB"},
	"NO": {digits(4), asIs, []string{"NO", "N"}, "0150"},
	"PL": {digits(5), splitAt(2, "-"), []string{"PL"}, "00-950"},
	"PT": {digits(7), splitAt(4, "-"), []string{"PT"}, "1000-001"},
	"RO": {digits(6), asIs, []string{"RO"}, "010011"},
	"SE": {digits(5), splitAt(3, " "), []string{"SE", "S"}, "111 22"},
	"SI": {digits(4), asIs, []string{"SI"}, "1000"},
	"SK": {digits(5), splitAt(3, " "), []string{"SK"}, "811 01"},
	"US": {regexp.MustCompile(`^[0-9]{5}([0-9]{4})?$`), usZIP, nil, "10001"},
}

// usZIP writes a ZIP code, or a ZIP+4 code with its dash.
func usZIP(compact string) string {
	if len(compact) == 9 {
		return compact[:5] + "-" + compact[5:]
	}
	return compact
}

// NormalisePostcode returns a postcode as country writes it (FR 75001, NL 1012 AB, GB SW1A
// 1AA, PT 1000-001...), or a *UserError that shows the expected form. country is an
// upper-case ISO code. An empty postcode is accepted only for countries without postcodes.
func NormalisePostcode(postcode, country string) (string, error) {
	postcode = strings.ToUpper(oneLine(postcode))
	rule, known := postcodeRules[country]
	if postcode == "" {
		if slices.Contains(countriesWithoutPostcodes, country) {
			return "", nil
		}
		data := map[string]any{"Country": country}
		english := "Enter the postcode."
		if known {
			data["Example"] = rule.example
			english = "Enter the postcode, such as " + rule.example + "."
		}
		return "", NewUserError("address.error.postcode_required", data, english)
	}
	if !known {
		return otherPostcode(postcode)
	}
	compact := strings.NewReplacer(" ", "", "-", "").Replace(postcode)
	if !rule.compact.MatchString(compact) {
		for _, prefix := range rule.prefixes {
			if rest, ok := strings.CutPrefix(compact, prefix); ok && rule.compact.MatchString(rest) {
				compact = rest
				break
			}
		}
	}
	if !rule.compact.MatchString(compact) {
		return postcode, NewUserError("address.error.postcode_invalid", map[string]any{"Country": country, "Example": rule.example},
			"Enter the postcode the way "+country+" writes it, such as "+rule.example+".")
	}
	return rule.format(compact), nil
}

// otherPostcode accepts the postcode of a country without a rule when it looks like one:
// 2 to 10 letters, digits, spaces and dashes, with at least one letter or digit.
func otherPostcode(postcode string) (string, error) {
	alphanumeric := false
	valid := len(postcode) >= 2 && len(postcode) <= 10
	for i := 0; valid && i < len(postcode); i++ {
		switch c := postcode[i]; {
		case isUpperASCII(c) || c >= '0' && c <= '9':
			alphanumeric = true
		case c != ' ' && c != '-':
			valid = false
		}
	}
	if !valid || !alphanumeric {
		return postcode, NewUserError("address.error.postcode_characters", nil,
			"Enter a postcode of 2 to 10 letters, digits, spaces or dashes.")
	}
	return postcode, nil
}

// oneLine puts a typed value on one line: no surrounding spaces, and a single space wherever
// there were spaces, tabs or line breaks.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }
