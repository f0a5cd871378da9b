package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

func TestChecksBeforeTheStore(t *testing.T) {
	db := testdb.Open(t)
	ctx := context.Background()
	c := activeConnection(t, db, "acme")
	c.ActiveCountries = "FR,DE"
	err := models.SaveProducts(ctx, db.Gorm, c, []models.Product{
		{StoreProductID: "10", SKU: "TENT-2P", Name: "Tent", Stock: 5, ManageStock: true, Active: true},
		{StoreProductID: "11", SKU: "LAMP", Name: "Lamp", Stock: 1, ManageStock: true, Active: true},
		{StoreProductID: "12", SKU: "OLD", Name: "Old", Stock: 9, ManageStock: true, Active: false},
		{StoreProductID: "13", SKU: "EBOOK", Name: "E-book", ManageStock: false, Active: true},
	}, day0)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SaveSKUAlias(ctx, db.Gorm, c, "MP-LAMP", "LAMP"); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		edit     func(o *models.Order, c *models.Connection)
		reason   string
		contains string
	}{
		{"passes", func(o *models.Order, c *models.Connection) {}, "", ""},
		{"country inactive", func(o *models.Order, c *models.Connection) { o.Shipping.Country = "BE" }, models.BlockedCountryInactive, "BE is not active"},
		{"missing postcode and city", func(o *models.Order, c *models.Connection) { o.Shipping.PostalCode, o.Shipping.City = "", "" }, models.BlockedMissingField, "postcode and city are missing"},
		{"phone only when required", func(o *models.Order, c *models.Connection) { o.Shipping.Phone = "" }, "", ""},
		{"phone required", func(o *models.Order, c *models.Connection) { o.Shipping.Phone = ""; c.RequiredFields += ",phone" }, models.BlockedMissingField, "phone number is missing"},
		{"no postcode in Ireland", func(o *models.Order, c *models.Connection) {
			o.Shipping.PostalCode, o.Shipping.Country = "", "IE"
			c.ActiveCountries = ""
		}, "", ""},
		{"unknown SKU", func(o *models.Order, c *models.Connection) { o.Lines[0].SKU = "NOPE" }, models.BlockedUnknownProduct, "SKU NOPE matches no active product"},
		{"inactive product is unknown", func(o *models.Order, c *models.Connection) { o.Lines[0].SKU = "OLD" }, models.BlockedUnknownProduct, "OLD"},
		{"alias resolves", func(o *models.Order, c *models.Connection) { o.Lines[0].SKU = "MP-LAMP" }, "", ""},
		{"out of stock across lines", func(o *models.Order, c *models.Connection) {
			o.Lines = append(o.Lines, models.OrderLine{MarketplaceLineID: "x-2", SKU: "MP-LAMP", Quantity: 1}, models.OrderLine{MarketplaceLineID: "x-3", SKU: "LAMP", Quantity: 1})
		}, models.BlockedOutOfStock, "has 1 of SKU LAMP and the order needs 2"},
		{"out of stock passes when not blocking", func(o *models.Order, c *models.Connection) {
			o.Lines[0].Quantity = 6
			c.BlockOutOfStock = false
		}, "", ""},
		{"unmanaged stock never runs out", func(o *models.Order, c *models.Connection) { o.Lines[0].SKU, o.Lines[0].Quantity = "EBOOK", 50 }, "", ""},
		{"a shop pulling through the API checks its own products", func(o *models.Order, c *models.Connection) {
			o.Lines[0].SKU = "NOPE"
			c.StoreKind = models.StoreKindAPI
		}, "", ""},
		{"but the buyer fields are still checked for it", func(o *models.Order, c *models.Connection) {
			o.Shipping.City = ""
			c.StoreKind = models.StoreKindAPI
		}, models.BlockedMissingField, "city is missing"},
		// The marketplace shipped it from its own warehouse: the store only records the sale.
		{"marketplace-fulfilled ignores the country", func(o *models.Order, c *models.Connection) {
			o.FulfilledByMarketplace, o.Shipping.Country = true, "BE"
		}, "", ""},
		{"marketplace-fulfilled ignores the stock", func(o *models.Order, c *models.Connection) {
			o.FulfilledByMarketplace = true
			o.Lines = append(o.Lines, models.OrderLine{MarketplaceLineID: "x-2", SKU: "LAMP", Quantity: 3})
		}, "", ""},
		{"marketplace-fulfilled still needs known products", func(o *models.Order, c *models.Connection) {
			o.FulfilledByMarketplace, o.Lines[0].SKU = true, "NOPE"
		}, models.BlockedUnknownProduct, "SKU NOPE"},
		{"marketplace-fulfilled still needs the buyer fields", func(o *models.Order, c *models.Connection) {
			o.FulfilledByMarketplace, o.Shipping.City = true, ""
		}, models.BlockedMissingField, "city is missing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := marketplaceOrder("C-1-A", models.StatusWaitingShipment, day0.Add(time.Hour))
			conn := *c
			tc.edit(o, &conn)
			view, err := models.LoadCatalogueView(ctx, db.Gorm, &conn, o)
			if err != nil {
				t.Fatal(err)
			}
			block := models.CheckOrder(o, &conn, view)
			switch {
			case tc.reason == "" && block != nil:
				t.Fatalf("blocked: %+v", block)
			case tc.reason != "" && block == nil:
				t.Fatalf("passed, want %s", tc.reason)
			case tc.reason != "" && (block.Reason != tc.reason || !strings.Contains(block.Message, tc.contains)):
				t.Fatalf("block %+v, want %s containing %q", block, tc.reason, tc.contains)
			}
		})
	}
}
