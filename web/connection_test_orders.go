package web

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// testOrdersShown bounds the test orders listed on the step.
const testOrdersShown = 10

// testOrderCreate is POST /connections/{id}/test-orders: a test order through the real path
// to the store.
func (s *Server) testOrderCreate(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	req := models.TestOrderRequest{SKU: c.FormValue("sku"), Country: c.FormValue("country"),
		FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), Street: c.FormValue("street"),
		Postcode: c.FormValue("postcode"), City: c.FormValue("city"), Phone: c.FormValue("phone"), Email: c.FormValue("email")}
	errs := views.FieldErrors{}
	if q := c.FormValue("quantity"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > 4 {
			errs["quantity"] = tr(c, "testorder.error.quantity")
		}
		req.Quantity = n
	}
	if conn.StoreKind == "" {
		errs["sku"] = tr(c, "testorder.error.no_store")
	}
	if len(errs) > 0 {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepTestOrder, errs, "")
	}
	order, err := models.NewTestOrder(c.UserContext(), s.db.Gorm, conn, req, time.Now())
	if err != nil {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepTestOrder, views.FieldErrors{"sku": errorSentence(c, err)}, "")
	}
	if err := s.jobs.CreateTestOrder(c.UserContext(), s.db.Gorm, conn, order, userActor(c)); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.test_order_sent", map[string]any{"Order": order.MarketplaceOrderID}))
	return redirect(c, setupURL(conn, models.StepTestOrder))
}

// testOrderCancel is POST /connections/{id}/test-orders/{order}/cancel: one click cancels it
// in the store.
func (s *Server) testOrderCancel(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("order")
	if err != nil {
		return fiber.ErrNotFound
	}
	err = s.jobs.CancelTestOrder(c.UserContext(), s.db.Gorm, conn.MerchantID, int64(id), userActor(c))
	switch {
	case errors.Is(err, models.ErrNotFound):
		return err
	case err != nil:
		setFlash(c, "error", tr(c, "flash.test_order_not_cancelled", map[string]any{"Reason": errorText(c, err)}))
	default:
		setFlash(c, "success", tr(c, "flash.test_order_cancelling"))
	}
	return redirect(c, setupURL(conn, models.StepTestOrder))
}

// testOrdersList is GET /connections/{id}/test-orders: the list the step refreshes.
func (s *Server) testOrdersList(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	orders, err := models.TestOrders(c.UserContext(), s.db.Gorm, conn, testOrdersShown)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.TestOrderList(conn, orders, csrfToken(c)).Render(c.UserContext(), c.Response().BodyWriter())
}

// productSearch is GET /connections/{id}/products?q=…: products to pick for a test order.
func (s *Server) productSearch(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	products, err := models.SearchProducts(c.UserContext(), s.db.Gorm, conn, c.Query("q"), 10)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.ProductChoices(products, "").Render(c.UserContext(), c.Response().BodyWriter())
}
