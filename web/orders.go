package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// ordersPerPage is the length of one page of the order list.
const ordersPerPage = 50

// orderListQuery reads the list's tab, filters and page from the query string.
func orderListQuery(c *fiber.Ctx) views.OrderListQuery {
	q := views.OrderListQuery{Tab: models.OrderTabByKey(c.Query("tab")).Key, Search: strings.TrimSpace(c.Query("q"))}
	q.ConnectionID, _ = strconv.ParseInt(c.Query("connection"), 10, 64)
	q.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	switch c.Query("test") {
	case "yes", "no":
		q.Test = c.Query("test")
	}
	return q
}

func listFilter(q views.OrderListQuery) models.OrderListFilter {
	f := models.OrderListFilter{ConnectionID: q.ConnectionID, Search: q.Search, BeforeID: q.BeforeID, Limit: ordersPerPage}
	if q.Test != "" {
		test := q.Test == "yes"
		f.Test = &test
	}
	return f
}

// ordersList is GET /orders: one tab of the merchant's orders, filtered and searched, newest
// first, with the count of every tab.
func (s *Server) ordersList(c *fiber.Ctx) error {
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	query := orderListQuery(c)
	filter := listFilter(query)
	orders, more, err := models.OrderList(ctx, s.db.Gorm, merchantID, models.OrderTabByKey(query.Tab), filter)
	if err != nil {
		return err
	}
	counts, err := models.OrderTabCounts(ctx, s.db.Gorm, merchantID, filter)
	if err != nil {
		return err
	}
	connections, err := models.MerchantConnections(ctx, s.db.Gorm, merchantID)
	if err != nil {
		return err
	}
	view := views.OrderListView{Query: query, Orders: orders, More: more, Counts: counts, Connections: connections}
	return s.render(c, fiber.StatusOK, "Orders", views.OrdersPage(view))
}

// ordersRows is the part of the list the page refreshes by itself.
func (s *Server) ordersRows(c *fiber.Ctx) error {
	query := orderListQuery(c)
	orders, _, err := models.OrderList(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, models.OrderTabByKey(query.Tab), listFilter(query))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.OrderRows(orders).Render(c.UserContext(), c.Response().BodyWriter())
}

func (s *Server) orderShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	order, err := models.MerchantOrder(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, int64(id))
	if err != nil {
		return err
	}
	return s.renderOrder(c, fiber.StatusOK, order, views.OrderActions{})
}
