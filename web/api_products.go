package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
)

const (
	apiProductsMax       = 1000
	apiUnknownDefault    = 100
	apiUnknownMax        = 500
	apiUnknownSinceDays  = 30
	apiUnknownSinceLimit = 90
)

type productsRequest struct {
	ConnectionID int64 `json:"connection_id"`
	Products     []struct {
		SKU    string `json:"sku"`
		EAN    string `json:"ean"`
		Name   string `json:"name"`
		Stock  *int   `json:"stock"`
		Active *bool  `json:"active"`
	} `json:"products"`
}

// apiProductsSave is POST /api/v1/products: a shop that pulls its orders tells orderhub its
// products, so that orderhub can say which marketplace SKUs match none of them.
func (s *Server) apiProductsSave(c *fiber.Ctx) error {
	req, err := parseProductsRequest(c.Body())
	if err != nil {
		return err
	}
	conn, err := s.apiConnection(c, req.ConnectionID)
	if err != nil {
		return err
	}
	if conn.StoreKind != models.StoreKindAPI {
		return newProblem(http.StatusConflict, "connection-not-api", "The store's catalogue is read by orderhub",
			"Connection "+strconv.FormatInt(conn.ID, 10)+" has a "+conn.StoreKind+" store: orderhub reads its products from the store by itself.")
	}
	products, err := shopProducts(req)
	if err != nil {
		return err
	}
	if err := models.SaveShopProducts(c.UserContext(), s.db.Gorm, conn, products, time.Now()); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"saved": len(products)})
}

// parseProductsRequest reads a catalogue batch and checks its size.
func parseProductsRequest(body []byte) (productsRequest, error) {
	var req productsRequest
	if err := decodeJSON(body, &req); err != nil {
		return req, err
	}
	if len(req.Products) == 0 {
		return req, newProblem(http.StatusBadRequest, "empty-batch", "Empty batch", "Send at least one product in \"products\".")
	}
	if len(req.Products) > apiProductsMax {
		return req, newProblem(http.StatusRequestEntityTooLarge, "batch-too-large", "Batch too large",
			fmt.Sprintf("Send at most %d products per request; split the catalogue.", apiProductsMax))
	}
	return req, nil
}

// shopProducts checks each product of a batch and returns them as orderhub stores them.
func shopProducts(req productsRequest) ([]models.Product, error) {
	seen := map[string]bool{}
	products := make([]models.Product, 0, len(req.Products))
	for i, p := range req.Products {
		sku := strings.TrimSpace(p.SKU)
		switch {
		case sku == "" || len(sku) > 255:
			return nil, newProblem(http.StatusBadRequest, "invalid-field", "Invalid field", fmt.Sprintf("products[%d].sku must be 1 to 255 characters.", i))
		case seen[sku]:
			return nil, newProblem(http.StatusBadRequest, "invalid-field", "Invalid field", fmt.Sprintf("SKU %q appears twice; send each product once.", sku))
		case p.Stock != nil && *p.Stock < 0:
			return nil, newProblem(http.StatusBadRequest, "invalid-field", "Invalid field", fmt.Sprintf("products[%d].stock cannot be negative; send 0 when out of stock.", i))
		}
		seen[sku] = true
		product := models.Product{SKU: sku, EAN: strings.TrimSpace(p.EAN), Name: strings.TrimSpace(p.Name), Active: p.Active == nil || *p.Active}
		if p.Stock != nil {
			product.Stock, product.ManageStock = *p.Stock, true
		}
		products = append(products, product)
	}
	return products, nil
}

// apiConnection loads a connection the token may use.
func (s *Server) apiConnection(c *fiber.Ctx, id int64) (*models.Connection, error) {
	token := currentToken(c)
	if id == 0 {
		return nil, newProblem(http.StatusBadRequest, "invalid-field", "Invalid field", "connection_id is required: the connection whose store the products are in.")
	}
	if !token.Allows(id) {
		return nil, models.ErrNotFound
	}
	return models.MerchantConnection(c.UserContext(), s.db.Gorm, token.MerchantID, id)
}

type apiUnknownSKU struct {
	ConnectionID  int64  `json:"connection_id"`
	SKU           string `json:"sku"`
	Title         string `json:"title"`
	Orders        int    `json:"orders"`
	LatestOrderID int64  `json:"latest_order_id"`
}

// apiProductsUnknown is GET /api/v1/products/unknown: the marketplace SKUs in recent orders
// that match no product of the connection's catalogue, so the shop can fix its catalogue (or
// the merchant add a SKU alias).
func (s *Server) apiProductsUnknown(c *fiber.Ctx) error {
	token := currentToken(c)
	bad := func(detail string) error {
		return newProblem(http.StatusBadRequest, "invalid-parameter", "Invalid query parameter", detail)
	}
	connectionIDs := token.ConnectionIDList()
	if v := c.Query("connection_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !token.Allows(id) {
			return newProblem(http.StatusNotFound, "not-found", "Not found", "This token has no connection "+v+".")
		}
		connectionIDs = []int64{id}
	}
	days := apiUnknownSinceDays
	if v := c.Query("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiUnknownSinceLimit {
			return bad(fmt.Sprintf("days must be a number from 1 to %d.", apiUnknownSinceLimit))
		}
		days = n
	}
	limit := apiUnknownDefault
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiUnknownMax {
			return bad(fmt.Sprintf("limit must be a number from 1 to %d.", apiUnknownMax))
		}
		limit = n
	}
	ctx := c.UserContext()
	since := time.Now().AddDate(0, 0, -days)
	skus, err := models.UnknownSKUs(ctx, s.db.Gorm, token.MerchantID, connectionIDs, since, limit)
	if err != nil {
		return err
	}
	out := struct {
		SKUs                        []apiUnknownSKU `json:"skus"`
		ConnectionsWithoutCatalogue []int64         `json:"connections_without_catalogue"`
	}{SKUs: []apiUnknownSKU{}, ConnectionsWithoutCatalogue: []int64{}}
	for _, u := range skus {
		out.SKUs = append(out.SKUs, apiUnknownSKU(u))
	}
	sizes, err := models.CatalogueSizes(ctx, s.db.Gorm, token.MerchantID, connectionIDs)
	if err != nil {
		return err
	}
	connections, err := models.MerchantConnections(ctx, s.db.Gorm, token.MerchantID)
	if err != nil {
		return err
	}
	for _, conn := range connections {
		if sizes[conn.ID] == 0 && token.Allows(conn.ID) && (len(connectionIDs) == 0 || slices.Contains(connectionIDs, conn.ID)) {
			out.ConnectionsWithoutCatalogue = append(out.ConnectionsWithoutCatalogue, conn.ID)
		}
	}
	return c.JSON(out)
}
