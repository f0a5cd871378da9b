package web

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// ordersPerPage is the length of one page of the order list.
const ordersPerPage = 50

// dateLayout is how an <input type="date"> sends a day.
const dateLayout = "2006-01-02"

// orderListQuery reads the list's tab, filters and page from the query string. A filter it
// does not understand is left out, and a note says which, for the page to show: a hand-edited
// or outdated address still lists orders.
func orderListQuery(c *fiber.Ctx) (views.OrderListQuery, []string) {
	q := views.OrderListQuery{Tab: models.OrderTabByKey(c.Query("tab")).Key, Search: strings.TrimSpace(c.Query("q"))}
	var notes []string
	if raw := c.Query("connection"); raw != "" {
		var err error
		if q.ConnectionID, err = strconv.ParseInt(raw, 10, 64); err != nil {
			notes = append(notes, tr(c, "orders.note.connection", map[string]any{"Filter": tr(c, "orders.connection"), "Value": strconv.Quote(raw)}))
		}
	}
	q.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	switch test := c.Query("test"); test {
	case "", "yes", "no":
		q.Test = test
	default:
		notes = append(notes, tr(c, "orders.note.test", map[string]any{"Filter": tr(c, "orders.filter.test"), "Value": strconv.Quote(test)}))
	}
	// label is the id of the filter's name.
	state := func(key, label string, known []string) string {
		value := c.Query(key)
		if value == "" || slices.Contains(known, value) {
			return value
		}
		notes = append(notes, tr(c, "orders.note.state", map[string]any{"Filter": tr(c, label), "Value": strconv.Quote(value)}))
		return ""
	}
	q.Status = state("status", "orders.filter.status", models.OrderStatuses)
	q.StoreState = state("store", "orders.note.store_state", models.StoreStates)
	q.ShipmentState = state("shipment", "orders.note.shipment_state", models.ShipmentStates)
	day := func(key, label string) string {
		value := strings.TrimSpace(c.Query(key))
		if value == "" {
			return ""
		}
		if _, err := time.Parse(dateLayout, value); err != nil {
			notes = append(notes, tr(c, "orders.note.date", map[string]any{"Filter": tr(c, label), "Value": strconv.Quote(value)}))
			return ""
		}
		return value
	}
	q.From, q.To = day("from", "orders.filter.from"), day("to", "orders.filter.to")
	// Days written YYYY-MM-DD compare as text.
	if q.From != "" && q.To != "" && q.From > q.To {
		notes = append(notes, tr(c, "orders.note.range", map[string]any{"From": q.From, "To": q.To}))
		q.From, q.To = "", ""
	}
	return q, notes
}

// listFilter is the models' filter for a list query read by orderListQuery. The days are
// whole UTC days, both included.
func listFilter(q views.OrderListQuery) models.OrderListFilter {
	f := models.OrderListFilter{ConnectionID: q.ConnectionID, Search: q.Search, BeforeID: q.BeforeID, Limit: ordersPerPage,
		Status: q.Status, StoreState: q.StoreState, ShipmentState: q.ShipmentState}
	if q.Test != "" {
		test := q.Test == "yes"
		f.Test = &test
	}
	if from, err := time.Parse(dateLayout, q.From); err == nil {
		f.PlacedFrom = from
	}
	if to, err := time.Parse(dateLayout, q.To); err == nil {
		f.PlacedBefore = to.AddDate(0, 0, 1)
	}
	return f
}

// ordersList is GET /orders: one tab of the merchant's orders, filtered and searched, newest
// first, with the count of every tab.
func (s *Server) ordersList(c *fiber.Ctx) error {
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	query, notes := orderListQuery(c)
	filter := listFilter(query)
	renderedAt := time.Now()
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
	view := views.OrderListView{Query: query, Notes: notes, Orders: orders, More: more, Counts: counts,
		Connections: connections, RenderedAt: renderedAt}
	return s.render(c, fiber.StatusOK, tr(c, "orders.title"), views.OrdersPage(view))
}

// ordersRows is GET /orders/rows: the first page's rows, which the list fetches again every
// few seconds. since is the previous render's time (unix ms): rows changed after it flash.
func (s *Server) ordersRows(c *fiber.Ctx) error {
	query, _ := orderListQuery(c)
	query.BeforeID = 0 // only the first page refreshes itself
	since, _ := strconv.ParseInt(c.Query("since"), 10, 64)
	// Read before the query, so that a change made meanwhile flashes in the next render too
	// rather than in none.
	renderedAt := time.Now()
	orders, _, err := models.OrderList(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, models.OrderTabByKey(query.Tab), listFilter(query))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	rows := views.LiveRows{Query: query, Orders: orders, Since: since, RenderedAt: renderedAt}
	return views.LiveOrderRows(rows).Render(c.UserContext(), c.Response().BodyWriter())
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
