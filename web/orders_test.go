package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// importedOrder stores an order on a new connection of the merchant.
func (a *testApp) importedOrder(merchantID int64, marketplaceID string) *models.Order {
	a.t.Helper()
	ctx := context.Background()
	c := models.NewConnection(merchantID, "Fnac", "mirakl")
	if err := models.SaveConnection(ctx, a.db.Gorm, c); err != nil {
		a.t.Fatal(err)
	}
	in := &models.Order{MarketplaceOrderID: marketplaceID, Status: models.StatusWaitingShipment, Currency: "EUR", TotalAmount: 1990,
		PlacedAt: time.Now(), MarketplaceUpdatedAt: time.Now(),
		Shipping: models.Address{FirstName: "Ada", LastName: "Lovelace", Street1: "1 Main St", City: "London", Country: "GB"},
		Lines:    []models.OrderLine{{MarketplaceLineID: marketplaceID + "-1", SKU: "SKU-1", Title: "Thing", Quantity: 1, UnitPrice: 1990}}}
	var o *models.Order
	err := a.db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		o, _, err = models.ImportOrder(ctx, tx, c, in, time.Now())
		return err
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return o
}

func TestOrdersPagesShowOnlyTheMerchantsOrders(t *testing.T) {
	app := newTestApp(t)
	a, _ := app.signUp("A", "admin@a.test")
	b, _ := app.signUp("B", "admin@b.test")
	mine := app.importedOrder(a.ID, "MINE-1-A")
	theirs := app.importedOrder(b.ID, "THEIRS-1-A")

	c := app.client()
	c.login("admin@a.test", testPassword)
	list := c.get("/orders")
	expectStatus(t, list, http.StatusOK)
	if !strings.Contains(list.body, "MINE-1-A") || strings.Contains(list.body, "THEIRS-1-A") || !strings.Contains(list.text("table"), "19.90 EUR") {
		t.Fatalf("order list: %s", list.text("table"))
	}
	rows := c.get("/orders/rows", "HX-Request", "true")
	if strings.Contains(rows.body, "<html") || !strings.Contains(rows.body, "MINE-1-A") {
		t.Fatalf("rows fragment: %s", rows.body)
	}
	page := c.get(fmt.Sprintf("/orders/%d", mine.ID))
	expectStatus(t, page, http.StatusOK)
	if !strings.Contains(page.text(".timeline"), "Imported from the marketplace") {
		t.Fatalf("timeline: %q", page.text(".timeline"))
	}
	expectStatus(t, c.get(fmt.Sprintf("/orders/%d", theirs.ID)), http.StatusNotFound)
}
