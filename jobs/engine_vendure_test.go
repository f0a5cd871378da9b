package jobs_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/jobs/store/vendure/vendureserver"
	"github.com/orderhub/orderhub/models"
)

// openRealVendure starts a real Vendure 3.7 (Node.js, sql.js in memory) selling in euros, as
// a shop the engine creates orders in.
func openRealVendure(t *testing.T) (*shop, *vendureserver.Server) {
	server := vendureserver.Start(t)
	server.Seed(t, nil)
	updated := server.Query(t, `mutation($i:UpdateChannelInput!){ updateChannel(input:$i){ ... on Channel{ id } ... on ErrorResult{ errorCode message } } }`,
		map[string]any{"i": map[string]any{"id": "1", "defaultCurrencyCode": "EUR", "availableCurrencyCodes": []string{"EUR"}}})
	vendureserver.CheckResult(t, "updateChannel", updated["updateChannel"])
	settings, _ := json.Marshal(map[string]any{"base_url": server.AdminURL, "marketplace_prices": true})
	s := &shop{
		kind: "vendure", settings: string(settings),
		credentials: models.Credentials{"username": server.Username, "password": server.Password},
		addProduct: func(sku, name, price string, stock int) {
			var gross int
			fmt.Sscanf(strings.Replace(price, ".", "", 1), "%d", &gross)
			// Vendure's prices here are before its 20% tax.
			server.Seed(t, []vendureserver.Product{{SKU: sku, Name: name, Price: (gross*100 + 60) / 120, Stock: stock}})
		},
		stock: func(sku string) int { return server.Saleable(t, sku) },
	}
	return s, server
}

// Against a real Vendure: an order from the marketplace arrives with its lines, the
// marketplace's prices, the buyer's address and the stock taken; a fulfilment with a tracking
// code added in Vendure reaches the marketplace with the mapped carrier.
func TestOrdersFlowThroughARealVendure(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Node.js Vendure server")
	}
	s, server := openRealVendure(t)
	f := newFlowBetween(t, openMirakl(t), s)
	f.start()

	id := f.market.addOrder(newOrder{n: 0, sku: "MUG-BLUE-350", qty: 2})
	o := f.waitForOrder(id, "in Vendure", imported)
	vo := server.OrderByExternalID(t, id)
	if vo == nil {
		t.Fatalf("no order %s in Vendure", id)
	}
	lines, _ := vo["lines"].([]any)
	if len(lines) != 1 {
		t.Fatalf("Vendure order lines %v", vo["lines"])
	}
	line := lines[0].(map[string]any)
	if line["sku"] != "MUG-BLUE-350" || fmt.Sprint(line["quantity"]) != "2" || fmt.Sprint(line["unitPriceWithTax"]) != fmt.Sprint(o.Lines[0].UnitPrice) {
		t.Errorf("Vendure line %v, want 2 × MUG-BLUE-350 at %d", line, o.Lines[0].UnitPrice)
	}
	address, _ := vo["shippingAddress"].(map[string]any)
	if address["city"] != o.Shipping.City || address["postalCode"] != o.Shipping.PostalCode || address["countryCode"] != o.Shipping.Country {
		t.Errorf("Vendure shipping address %v, order's %+v", address, o.Shipping)
	}
	if fmt.Sprint(vo["state"]) != "PaymentSettled" {
		t.Errorf("Vendure order state %v, want PaymentSettled", vo["state"])
	}
	if stock := server.Saleable(t, "MUG-BLUE-350"); stock != 18 {
		t.Errorf("Vendure saleable stock %d after selling 2 of 20", stock)
	}

	server.Ship(t, id, "Colissimo", "6A12345678901")
	f.waitForOrder(id, "confirmed on the marketplace", confirmed)
	f.expectShipped(id, "COLISSIMO", "6A12345678901")
}
