package models_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/models"
)

func TestPhoneNumbersAreNormalisedToE164WithTheAddressCountry(t *testing.T) {
	cases := []struct {
		phone, country, want string
	}{
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"+33 6 12 34 56 78", "FR", "+33612345678"},
		{"0033 6 12 34 56 78", "FR", "+33612345678"},
		{" +33612345678 ", "DE", "+33612345678"}, // a French number on a German address
		{"07400 123456", "GB", "+447400123456"},
		{"(202) 555-0100", "US", "+12025550100"},
		{"06 12345678", "NL", "+31612345678"},
		{"0151 23456789", "DE", "+4915123456789"},
		{"06 1234 5678", "IT", "+390612345678"},
		{"612 345 678", "ES", "+34612345678"},
		{"", "FR", ""},
		{"   ", "FR", ""},
	}
	for _, tc := range cases {
		got, err := models.NormalisePhone(tc.phone, tc.country)
		if err != nil || got != tc.want {
			t.Errorf("%q in %s: %q, %v; want %q", tc.phone, tc.country, got, err, tc.want)
		}
	}
}

func TestInvalidPhoneNumbersSayHowToTypeThem(t *testing.T) {
	cases := []struct {
		phone, country, example string
	}{
		{"12", "FR", "+33 6 12 34 56 78"},
		{"06 12 34 56 78", "GB", "+44 7400 123456"}, // a French number without its country code
		{"not a number", "DE", "+49 1512 3456789"},
		{"612345678", "ZZ", "+33 6 12 34 56 78"}, // no country to read it with
	}
	for _, tc := range cases {
		_, err := models.NormalisePhone(tc.phone, tc.country)
		var refusal *models.UserError
		if !errors.As(err, &refusal) {
			t.Fatalf("%q in %s: %v", tc.phone, tc.country, err)
		}
		want := "Enter the phone number with its country code, such as " + tc.example + "."
		if refusal.ID != "address.error.phone_invalid" || refusal.English != want || refusal.Data["Example"] != tc.example {
			t.Errorf("%q in %s: %+v", tc.phone, tc.country, refusal.Text)
		}
	}
}

func TestPostcodesAreNormalisedPerCountry(t *testing.T) {
	cases := []struct {
		postcode, country, want string
	}{
		{"75001", "FR", "75001"},
		{" 75 001 ", "FR", "75001"},
		{"F-75001", "FR", "75001"},
		{"D-10115", "DE", "10115"},
		{"1012ab", "NL", "1012 AB"},
		{"1012 ab", "NL", "1012 AB"},
		{"NL-1012AB", "NL", "1012 AB"},
		{"sw1a1aa", "GB", "SW1A 1AA"},
		{"M1 1AE", "GB", "M1 1AE"},
		{"ec1a 1bb", "GB", "EC1A 1BB"},
		{"1000001", "PT", "1000-001"},
		{"1000-001", "PT", "1000-001"},
		{"00950", "PL", "00-950"},
		{"00-950", "PL", "00-950"},
		{"d02x285", "IE", "D02 X285"},
		{"", "IE", ""}, // Eircodes are optional
		{"11000", "CZ", "110 00"},
		{"11122", "SE", "111 22"},
		{"1050", "LV", "LV-1050"},
		{"lv-1050", "LV", "LV-1050"},
		{"01100", "LT", "LT-01100"},
		{"vlt1117", "MT", "VLT 1117"},
		{"28001", "ES", "28001"},
		{"CH-8001", "CH", "8001"},
		{"0150", "NO", "0150"},
		{"10001", "US", "10001"},
		{"100011234", "US", "10001-1234"},
		{"10001-1234", "US", "10001-1234"},
		{"010011", "RO", "010011"},
		{"", "HK", ""}, // a country without postcodes
		{"k1a 0b1", "CA", "K1A 0B1"},
		{"100-0001", "JP", "100-0001"},
	}
	for _, tc := range cases {
		got, err := models.NormalisePostcode(tc.postcode, tc.country)
		if err != nil || got != tc.want {
			t.Errorf("%q in %s: %q, %v; want %q", tc.postcode, tc.country, got, err, tc.want)
		}
	}
}

func TestInvalidPostcodesShowTheCountrysForm(t *testing.T) {
	cases := []struct {
		postcode, country, id, english string
	}{
		{"7500", "FR", "address.error.postcode_invalid", "Enter the postcode the way FR writes it, such as 75001."},
		{"750011", "FR", "address.error.postcode_invalid", "Enter the postcode the way FR writes it, such as 75001."},
		{"1012", "NL", "address.error.postcode_invalid", "Enter the postcode the way NL writes it, such as 1012 AB."},
		{"0123 AB", "NL", "address.error.postcode_invalid", "Enter the postcode the way NL writes it, such as 1012 AB."},
		{"SW1A", "GB", "address.error.postcode_invalid", "Enter the postcode the way GB writes it, such as SW1A 1AA."},
		{"1000", "PT", "address.error.postcode_invalid", "Enter the postcode the way PT writes it, such as 1000-001."},
		{"99001", "ES", "address.error.postcode_invalid", "Enter the postcode the way ES writes it, such as 28001."},
		{"B12 3456", "IE", "address.error.postcode_invalid", "Enter the postcode the way IE writes it, such as D02 X285."},
		{"", "FR", "address.error.postcode_required", "Enter the postcode, such as 75001."},
		{"", "CA", "address.error.postcode_required", "Enter the postcode."},
		{"K", "CA", "address.error.postcode_characters", "Enter a postcode of 2 to 10 letters, digits, spaces or dashes."},
		{"12345678901", "CA", "address.error.postcode_characters", "Enter a postcode of 2 to 10 letters, digits, spaces or dashes."},
		{"K1A_0B1", "CA", "address.error.postcode_characters", "Enter a postcode of 2 to 10 letters, digits, spaces or dashes."},
		{"--", "CA", "address.error.postcode_characters", "Enter a postcode of 2 to 10 letters, digits, spaces or dashes."},
	}
	for _, tc := range cases {
		_, err := models.NormalisePostcode(tc.postcode, tc.country)
		var refusal *models.UserError
		if !errors.As(err, &refusal) || refusal.ID != tc.id || refusal.English != tc.english {
			t.Errorf("%q in %s: %v", tc.postcode, tc.country, err)
		}
	}
}

func TestCountriesAreTwoLetterISOCodes(t *testing.T) {
	for in, want := range map[string]string{"fr": "FR", " gb ": "GB", "De": "DE"} {
		if got, err := models.NormaliseCountry(in); err != nil || got != want {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "FRA", "France", "F", "UK", "ZZ", "EU", "1A"} {
		if got, err := models.NormaliseCountry(in); err == nil {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
}

func TestAddressIsNormalisedFieldByField(t *testing.T) {
	got, err := models.NormaliseAddress(models.Address{
		FirstName: "  Anna ", LastName: "de\tVries", Street1: "Damrak  1\n", Street2: " ",
		PostalCode: "1012lg", City: " Amsterdam", Country: "nl", Phone: "06 12345678", Email: " anna@example.test ",
	})
	want := models.Address{FirstName: "Anna", LastName: "de Vries", Street1: "Damrak 1",
		PostalCode: "1012 LG", City: "Amsterdam", Country: "NL", Phone: "+31612345678", Email: "anna@example.test"}
	if err != nil || got != want {
		t.Fatalf("%+v, %v", got, err)
	}
}

func TestAddressErrorsAreGivenPerField(t *testing.T) {
	_, err := models.NormaliseAddress(models.Address{Street1: " ", PostalCode: "7500", Country: "fr", Phone: "12", Email: "jeanne@"})
	var errs models.AddressErrors
	if !errors.As(err, &errs) {
		t.Fatalf("%T %v", err, err)
	}
	wantIDs := map[string]string{
		models.AddressFieldName:     "address.error.name_required",
		models.AddressFieldStreet:   "address.error.street_required",
		models.AddressFieldCity:     "address.error.city_required",
		models.AddressFieldPostcode: "address.error.postcode_invalid",
		models.AddressFieldPhone:    "address.error.phone_invalid",
		models.AddressFieldEmail:    "address.error.email_invalid",
	}
	if len(errs) != len(wantIDs) {
		t.Fatalf("%d errors: %v", len(errs), errs)
	}
	for field, id := range wantIDs {
		if errs[field] == nil || errs[field].ID != id || errs[field].English == "" {
			t.Errorf("%s: %+v", field, errs[field])
		}
	}
	if !strings.HasPrefix(err.Error(), "city: Enter the city.; email: ") {
		t.Errorf("message %q", err)
	}

	// A wrong country hides the postcode and phone rules until it is right.
	_, err = models.NormaliseAddress(models.Address{LastName: "Martin", Street1: "1 rue", City: "Lyon", PostalCode: "x", Phone: "12", Country: "France"})
	if !errors.As(err, &errs) || len(errs) != 1 || errs[models.AddressFieldCountry].ID != "address.error.country_invalid" {
		t.Fatalf("%v", err)
	}
}

func FuzzNormaliseAddress(f *testing.F) {
	f.Add("Jeanne", "Martin", "12 rue des Lilas", "69003", "Lyon", "FR", "06 12 34 56 78", "jeanne@example.test")
	f.Add(" anna ", "de  Vries", "Damrak 1", "1012lg", "Amsterdam", "nl", "+31 6 12345678", "")
	f.Add("", "Smith", "10 Downing St", "sw1a2aa", "London", "GB", "020 7946 0958", "")
	f.Add("Ana", "", "Rua Augusta 1", "1100048", "Lisboa", "pt", "912345678", "ana@example.test")
	f.Add("Seán", "", "Main St", "", "Dublin", "IE", "", "")
	f.Add("John", "Doe", "1 Main St", "100011234", "New York", "US", "(202) 555-0100", "")
	f.Add("Li", "", "1 Road", "k1a 0b1", "Ottawa", "ca", "+1 613 555 0100", "")
	f.Add("x", "y", "z", "LV-1050", "Riga", "LV", "+371 21 234 567", "a@b.c")
	f.Fuzz(func(t *testing.T, first, last, street, postcode, city, country, phone, email string) {
		in := models.Address{FirstName: first, LastName: last, Street1: street, PostalCode: postcode, City: city, Country: country, Phone: phone, Email: email}
		once, err := models.NormaliseAddress(in)
		if err != nil {
			var errs models.AddressErrors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("%+v: %T %v", in, err, err)
			}
			return
		}
		twice, err := models.NormaliseAddress(once)
		if err != nil || twice != once {
			t.Fatalf("not idempotent: %+v → %+v → %+v, %v", in, once, twice, err)
		}
	})
}
