package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

var day0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// activeConnection saves an active connection of a new merchant, activated at day0.
func activeConnection(t *testing.T, db *models.DB, merchantName string) *models.Connection {
	t.Helper()
	ctx := context.Background()
	merchant, _, err := models.SignUp(ctx, db.Gorm, merchantName, "", merchantName+"@example.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	c := models.NewConnection(merchant.ID, merchantName+" Mirakl", "mirakl")
	c.StoreKind, c.State = "woocommerce", models.ConnectionActive
	activation := day0
	c.ActivationDate = &activation
	if err := models.SaveConnection(ctx, db.Gorm, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// marketplaceOrder is an order as a connector returns it.
func marketplaceOrder(id, status string, updated time.Time) *models.Order {
	return &models.Order{
		MarketplaceOrderID: id, MarketplaceReference: id[:len(id)-2], Status: status, RawStatus: "RAW_" + status,
		PlacedAt: day0.Add(time.Hour), MarketplaceUpdatedAt: updated, Currency: "EUR", TotalAmount: 4598, ShippingAmount: 599,
		Shipping: models.Address{FirstName: "Jeanne", LastName: "Martin", Street1: "12 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR", Phone: "+33612345678"},
		Billing:  models.Address{FirstName: "Jeanne", LastName: "Martin", Street1: "12 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR", Email: "jeanne@example.test"},
		Lines: []models.OrderLine{
			{MarketplaceLineID: id + "-1", SKU: "TENT-2P", Title: "Tent 2 persons", Quantity: 1, UnitPrice: 3999},
		},
	}
}
