package mirakl

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// listCarriers is SH21, sorted by label as Mirakl sorts it.
func (f *Fake) listCarriers(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["SH21"]++
	carriers := slices.Clone(f.carriers)
	slices.SortFunc(carriers, func(a, b FakeCarrier) int { return strings.Compare(a.Label, b.Label) })
	answer := fakeCarriersJSON{Carriers: make([]fakeCarrierJSON, 0, len(carriers))}
	for _, carrier := range carriers {
		answer.Carriers = append(answer.Carriers, fakeCarrierJSON{
			Code: carrier.Code, Label: carrier.Label,
			StandardCode: orNull(carrier.StandardCode), TrackingURL: orNull(carrier.TrackingURL),
		})
	}
	writeFakeJSON(w, http.StatusOK, answer)
}

// account is A01: the shop behind the key.
func (f *Fake) account(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls["A01"]++
	answer := fakeAccountJSON{
		Channels:         []string{"INIT"},
		CurrencyISOCode:  "EUR",
		DateCreated:      "2023-01-09T10:12:31Z",
		Domains:          []string{"PRODUCT"},
		IsProfessional:   true,
		LastUpdatedDate:  "2024-03-28T09:28:59Z",
		OrdersCount:      len(f.orders),
		PaymentMandatory: true,
		ShopAdditional:   []json.RawMessage{},
		ShopID:           f.shopID,
		ShopName:         f.shopName,
		ShopState:        "OPEN",
	}
	answer.ContactInformation.City = "Lyon"
	answer.ContactInformation.Country = "FRA"
	answer.ContactInformation.Email = "shop@example.com"
	answer.ContactInformation.FirstName = "Claire"
	answer.ContactInformation.LastName = "Dubois"
	answer.ContactInformation.Street1 = "8 quai Saint-Vincent"
	answer.ContactInformation.ZipCode = "69001"
	writeFakeJSON(w, http.StatusOK, answer)
}
