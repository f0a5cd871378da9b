package mirakl

// Sample buyers and products for the demo sandbox and tests: realistic orders of a
// European operator, with alpha-3 countries as Mirakl sends them.
var sampleBuyers = []struct {
	customer FakeCustomer
	address  FakeAddress
}{
	{FakeCustomer{FirstName: "Camille", LastName: "Martin", Civility: "Mme", Locale: "fr_FR"},
		FakeAddress{FirstName: "Camille", LastName: "Martin", Street1: "12 rue des Lilas", Street2: "Bâtiment B", ZipCode: "75011", City: "Paris", Country: "France", CountryISOCode: "FRA", Phone: "+33 6 12 34 56 78", AdditionalInfo: "Digicode 4521"}},
	{FakeCustomer{FirstName: "Lukas", LastName: "Schmidt", Civility: "M", Locale: "de_DE"},
		FakeAddress{FirstName: "Lukas", LastName: "Schmidt", Street1: "Hauptstraße 5", ZipCode: "10115", City: "Berlin", Country: "Deutschland", CountryISOCode: "DEU", Phone: "+49 151 2345678"}},
	{FakeCustomer{FirstName: "Sofia", LastName: "Rossi", Civility: "Mme", Locale: "it_IT"},
		FakeAddress{FirstName: "Sofia", LastName: "Rossi", Street1: "Via Roma 10", ZipCode: "20121", City: "Milano", State: "MI", Country: "Italia", CountryISOCode: "ITA", Phone: "+39 333 123 4567"}},
	{FakeCustomer{FirstName: "Lucía", LastName: "García", Civility: "Mme", Locale: "es_ES"},
		FakeAddress{FirstName: "Lucía", LastName: "García", Street1: "Calle Mayor 3", Street2: "2º izquierda", ZipCode: "28013", City: "Madrid", Country: "España", CountryISOCode: "ESP", Phone: "+34 612 345 678"}},
	{FakeCustomer{FirstName: "Emma", LastName: "Peeters", Civility: "Mme", Locale: "nl_BE"},
		FakeAddress{FirstName: "Emma", LastName: "Peeters", Company: "Peeters BV", Street1: "Rue Neuve 20", ZipCode: "1000", City: "Bruxelles", Country: "Belgique", CountryISOCode: "BEL", Phone: "+32 470 12 34 56"}},
}

var sampleProducts = []FakeLine{
	{SKU: "MUG-BLUE-350", Title: "Ceramic mug, blue, 350 ml", UnitPrice: "12.90", ShippingPrice: "3.99"},
	{SKU: "TSHIRT-ORG-M", Title: "Organic cotton T-shirt, size M", UnitPrice: "24.50", ShippingPrice: "4.50"},
	{SKU: "LAMP-DESK-01", Title: "LED desk lamp, dimmable", UnitPrice: "39.99", ShippingPrice: "5.90"},
	{SKU: "BOTTLE-SS-750", Title: "Stainless steel bottle, 750 ml", UnitPrice: "19.99", ShippingPrice: "2.99"},
}

// SampleOrder returns the n-th realistic order (n from 0): one buyer of five, one or two
// lines, waiting acceptance. Set ID, State or CreatedAt on it before AddOrder as needed.
func SampleOrder(n int) FakeOrder {
	buyer := sampleBuyers[n%len(sampleBuyers)]
	first := sampleProducts[n%len(sampleProducts)]
	lines := []FakeLine{first}
	if n%2 == 1 {
		second := sampleProducts[(n+1)%len(sampleProducts)]
		second.Quantity = 2
		lines = append(lines, second)
	}
	return FakeOrder{Customer: buyer.customer, Shipping: buyer.address, Lines: lines}
}
