package models

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A test order goes through the real path to the store, flagged as test everywhere; it never
// reaches the marketplace (there is no such order there).

// MinTestStock is the stock a product needs for a test order: a test must not sell the last
// units of a product.
const MinTestStock = 4

// TestOrderRequest is what the merchant chose for a test order; empty fields are filled with
// realistic random data.
type TestOrderRequest struct {
	SKU       string
	Country   string
	Quantity  int // 0: random, 1 to 4
	FirstName string
	LastName  string
	Street    string
	Postcode  string
	City      string
	Phone     string
	Email     string
}

// ErrTestStock: the product has too little stock for a test order.
var ErrTestStock error = NewUserError("testorder.error.stock", map[string]any{"Min": MinTestStock},
	fmt.Sprintf("this product has less than %d in stock: choose another one, so that the test does not sell real stock", MinTestStock))

// SearchProducts finds a connection's products by SKU or name, for pickers.
func SearchProducts(ctx context.Context, db *gorm.DB, c *Connection, query string, limit int) ([]Product, error) {
	q := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).Where("connection_id = ? AND active", c.ID)
	if s := strings.ToLower(strings.TrimSpace(query)); s != "" {
		like := "%" + escapeLike(s) + "%"
		q = q.Where(`lower(sku) LIKE ? ESCAPE '\' OR lower(name) LIKE ? ESCAPE '\'`, like, like)
	}
	var products []Product
	err := q.Order("name, sku").Limit(limit).Find(&products).Error
	return products, err
}

// NewTestOrder builds a test order for the connection. A shop that pulls through the Store
// API may have no catalogue in orderhub: then any SKU is taken as typed.
func NewTestOrder(ctx context.Context, db *gorm.DB, c *Connection, req TestOrderRequest, now time.Time) (*Order, error) {
	sku := strings.TrimSpace(req.SKU)
	if sku == "" {
		return nil, NewUserError("testorder.error.sku", nil, "choose the product to order")
	}
	title, price := sku, int64(1990)
	var product Product
	err := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).Where("connection_id = ? AND sku = ? AND active", c.ID, sku).First(&product).Error
	switch {
	case err == nil:
		title = product.Name
		if product.ManageStock && product.Stock < MinTestStock {
			return nil, ErrTestStock
		}
	case errors.Is(err, gorm.ErrRecordNotFound) && c.StoreKind == StoreKindAPI:
	case errors.Is(err, gorm.ErrRecordNotFound):
		return nil, NewUserError("testorder.error.unknown_sku", map[string]any{"SKU": strconv.Quote(sku)},
			fmt.Sprintf("no active product has SKU %q in the store's catalogue: pick one from the list", sku))
	default:
		return nil, err
	}
	quantity := req.Quantity
	if quantity == 0 {
		quantity = 1 + randomInt(4)
	}
	if quantity < 1 || quantity > 4 {
		return nil, NewUserError("testorder.error.units", nil, "order 1 to 4 units")
	}
	country := strings.ToUpper(strings.TrimSpace(req.Country))
	if country == "" {
		country = c.Country
	}
	if len(country) != 2 {
		return nil, NewUserError("testorder.error.country", nil, "choose the shipping country")
	}
	buyer := randomBuyer(country)
	fill := func(v *string, typed string) {
		if s := strings.TrimSpace(typed); s != "" {
			*v = s
		}
	}
	fill(&buyer.FirstName, req.FirstName)
	fill(&buyer.LastName, req.LastName)
	fill(&buyer.Street1, req.Street)
	fill(&buyer.PostalCode, req.Postcode)
	fill(&buyer.City, req.City)
	fill(&buyer.Phone, req.Phone)
	fill(&buyer.Email, req.Email)
	ref := fmt.Sprintf("TEST-%s-%04d", now.UTC().Format("20060102-150405"), randomInt(10000))
	shipping := int64(490)
	return &Order{
		MarketplaceOrderID: ref, MarketplaceReference: ref, Status: StatusWaitingShipment, RawStatus: "TEST",
		PlacedAt: now.UTC(), MarketplaceUpdatedAt: now.UTC(), Currency: "EUR",
		TotalAmount: price*int64(quantity) + shipping, ShippingAmount: shipping, ShippingMethod: c.ShippingMethod,
		Billing: buyer, Shipping: buyer, Test: true,
		Lines: []OrderLine{{MarketplaceLineID: ref + "-1", SKU: sku, Title: title, Quantity: quantity, UnitPrice: price}},
	}, nil
}

// CreateTestOrder stores a test order on the connection, ready to go to the store.
func CreateTestOrder(ctx context.Context, tx *gorm.DB, c *Connection, o *Order, actor string, now time.Time) error {
	o.ID, o.MerchantID, o.ConnectionID = 0, c.MerchantID, c.ID
	o.StoreState, o.ShipmentState = StorePending, ShipmentNone
	for i := range o.Lines {
		o.Lines[i].MerchantID = c.MerchantID
	}
	if err := tx.WithContext(ctx).Create(o).Error; err != nil {
		return err
	}
	return AddOrderEvent(ctx, tx, o, actor, "test.created",
		"Test order made in orderhub: it goes to the store like a marketplace order, and never to the marketplace.", nil, now)
}

// CancelTestOrder marks a test order cancelled; the order job then cancels it in the store.
func CancelTestOrder(ctx context.Context, tx *gorm.DB, o *Order, actor string, now time.Time) error {
	if !o.Test {
		return NewUserError("testorder.error.not_test", nil, "only a test order is cancelled this way")
	}
	return o.Transition(ctx, tx, Transition{Field: FieldStatus, To: StatusCancelled, Actor: actor,
		Message: "Test order cancelled; orderhub cancels it in the store."}, now)
}

// TestOrders lists a connection's test orders, newest first.
func TestOrders(ctx context.Context, db *gorm.DB, c *Connection, limit int) ([]Order, error) {
	var orders []Order
	err := db.WithContext(ctx).Scopes(ForMerchant(c.MerchantID)).Where("connection_id = ? AND test", c.ID).
		Order("id DESC").Limit(limit).Find(&orders).Error
	return orders, err
}

var testBuyers = map[string][]Address{
	"FR": {
		{FirstName: "Camille", LastName: "Moreau", Street1: "14 rue des Tanneurs", PostalCode: "69002", City: "Lyon", Phone: "+33 6 12 34 56 78"},
		{FirstName: "Julien", LastName: "Lefèvre", Street1: "3 avenue Jean Jaurès", PostalCode: "31000", City: "Toulouse", Phone: "+33 6 98 76 54 32"},
	},
	"BE": {{FirstName: "Lotte", LastName: "Peeters", Street1: "Meir 21", PostalCode: "2000", City: "Antwerpen", Phone: "+32 470 12 34 56"}},
	"NL": {{FirstName: "Daan", LastName: "de Vries", Street1: "Prinsengracht 100", PostalCode: "1015 EA", City: "Amsterdam", Phone: "+31 6 12345678"}},
	"DE": {{FirstName: "Lena", LastName: "Schneider", Street1: "Karl-Marx-Allee 5", PostalCode: "10178", City: "Berlin", Phone: "+49 151 23456789"}},
	"ES": {{FirstName: "Lucía", LastName: "García", Street1: "Calle de Alcalá 45", PostalCode: "28014", City: "Madrid", Phone: "+34 612 34 56 78"}},
	"IT": {{FirstName: "Giulia", LastName: "Romano", Street1: "Via Roma 12", PostalCode: "20121", City: "Milano", Phone: "+39 312 345 6789"}},
	"GB": {{FirstName: "Oliver", LastName: "Smith", Street1: "221 Baker Street", PostalCode: "NW1 6XE", City: "London", Phone: "+44 7700 900123"}},
}

// randomBuyer picks a realistic buyer in the country (a French one where none is known).
func randomBuyer(country string) Address {
	list, ok := testBuyers[country]
	if !ok {
		list = testBuyers["FR"]
	}
	a := list[randomInt(len(list))]
	if !ok {
		a.Phone = ""
	}
	a.Country = country
	a.Email = asciiLetters(strings.ToLower(a.FirstName+"."+a.LastName)) + "@example.com"
	return a
}

func asciiLetters(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || r == '.' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func randomInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0
	}
	return int(v.Int64())
}
