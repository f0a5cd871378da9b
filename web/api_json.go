package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
)

// decodeStrict reads a JSON body, refusing unknown fields and trailing data, so that a typo
// in a field name is an error rather than a silently ignored value.
func decodeStrict(c *fiber.Ctx, into any) error { return decodeJSON(c.Body(), into) }

// decodeJSON is decodeStrict on a body already read.
func decodeJSON(body []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return newProblem(http.StatusBadRequest, "invalid-json", "Invalid JSON body", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return newProblem(http.StatusBadRequest, "invalid-json", "Invalid JSON body", "Send one JSON object, nothing after it.")
	}
	return nil
}

func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.As(err, &typeErr):
		return fmt.Sprintf("Field %q must be a %s.", typeErr.Field, typeErr.Type)
	case errors.Is(err, io.EOF):
		return "The body is empty; send a JSON object."
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The body ends before the JSON is complete."
	}
	return err.Error() // e.g. `json: unknown field "x"`
}

// apiOrder is an order as the Store API shows it. Amounts are integers in minor units of the
// currency (1999 = 19.99 EUR).
type apiOrder struct {
	ID                   int64  `json:"id"`
	ConnectionID         int64  `json:"connection_id"`
	MarketplaceOrderID   string `json:"marketplace_order_id"`
	MarketplaceReference string `json:"marketplace_reference"`
	Status               string `json:"status"`
	StoreState           string `json:"store_state"`
	Acknowledged         bool   `json:"acknowledged"`
	StoreReference       string `json:"store_reference,omitempty"`
	ShipmentState        string `json:"shipment_state"`
	// FulfilledByMarketplace: the marketplace shipped it from its own warehouse; the shop
	// records it as completed and sends no shipment.
	FulfilledByMarketplace bool           `json:"fulfilled_by_marketplace"`
	PlacedAt               time.Time      `json:"placed_at"`
	UpdatedAt              time.Time      `json:"updated_at"`
	ShipBy                 *time.Time     `json:"ship_by,omitempty"`
	ShippingMethod         string         `json:"shipping_method,omitempty"`
	Currency               string         `json:"currency"`
	TotalAmount            int64          `json:"total_amount"`
	ShippingAmount         int64          `json:"shipping_amount"`
	Billing                apiAddress     `json:"billing_address"`
	Shipping               apiAddress     `json:"shipping_address"`
	Lines                  []apiOrderLine `json:"lines"`
	Test                   bool           `json:"test"`
}

type apiAddress struct {
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	Company    string `json:"company"`
	Street1    string `json:"street1"`
	Street2    string `json:"street2"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	State      string `json:"state"`
	Country    string `json:"country"`
	Phone      string `json:"phone"`
	Email      string `json:"email"`
}

type apiOrderLine struct {
	ID             int64  `json:"id"`
	SKU            string `json:"sku"`
	Title          string `json:"title"`
	Quantity       int    `json:"quantity"`
	UnitPrice      int64  `json:"unit_price"`
	ShippingAmount int64  `json:"shipping_amount"`
}

func toAPIOrder(o *models.Order) apiOrder {
	out := apiOrder{
		ID: o.ID, ConnectionID: o.ConnectionID, MarketplaceOrderID: o.MarketplaceOrderID, MarketplaceReference: o.MarketplaceReference,
		Status: o.Status, StoreState: o.StoreState, Acknowledged: o.AcknowledgedAt != nil, ShipmentState: o.ShipmentState,
		PlacedAt: o.PlacedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(), ShipBy: o.ShipBy, ShippingMethod: o.ShippingMethod,
		Currency: o.Currency, TotalAmount: o.TotalAmount, ShippingAmount: o.ShippingAmount,
		Billing: apiAddress(o.Billing), Shipping: apiAddress(o.Shipping), Lines: []apiOrderLine{}, Test: o.Test,
		FulfilledByMarketplace: o.FulfilledByMarketplace,
	}
	if out.Acknowledged {
		out.StoreReference = o.StoreOrderID
	}
	for _, l := range o.Lines {
		out.Lines = append(out.Lines, apiOrderLine{ID: l.ID, SKU: l.SKU, Title: l.Title, Quantity: l.Quantity, UnitPrice: l.UnitPrice, ShippingAmount: l.ShippingAmount})
	}
	return out
}
