package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
)

// exportBatchSize is how many orders the CSV export reads at a time: memory stays flat
// whatever the number of orders.
const exportBatchSize = 1000

var orderCSVHeader = []string{
	"id", "marketplace_order_id", "marketplace_reference", "connection", "placed_at", "status",
	"store_state", "store_order_id", "shipment_state", "carrier", "tracking_number", "buyer_name",
	"buyer_email", "shipping_country", "total", "currency", "test",
}

// ordersExport is GET /orders/export.csv: every order of the list's tab and filters, not
// only one page, newest first, streamed batch by batch (keyset on id, like the list's pages).
func (s *Server) ordersExport(c *fiber.Ctx) error {
	// The stream is written after this handler returns: keep nothing of Fiber's context.
	ctx, merchantID := context.WithoutCancel(c.UserContext()), currentMerchant(c).ID
	query, _ := orderListQuery(c)
	tab := models.OrderTabByKey(query.Tab)
	filter := listFilter(query)
	filter.BeforeID, filter.Limit = 0, exportBatchSize

	connections, err := models.MerchantConnections(ctx, s.db.Gorm, merchantID)
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(connections))
	for _, conn := range connections {
		names[conn.ID] = conn.Name
	}
	// The first batch is read before answering, so that a failing database gets the error
	// page rather than a file cut short.
	orders, more, err := models.OrderList(ctx, s.db.Gorm, merchantID, tab, filter)
	if err != nil {
		return err
	}

	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="orders-%s.csv"`, time.Now().UTC().Format("20060102")))
	c.Set(fiber.HeaderCacheControl, "no-store")
	db, logger := s.db.Gorm, s.logger
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		out := csv.NewWriter(w)
		_ = out.Write(orderCSVHeader)
		for {
			for i := range orders {
				_ = out.Write(orderCSVRecord(&orders[i], names))
			}
			out.Flush()
			if out.Error() != nil || w.Flush() != nil {
				return // the client went away
			}
			if !more {
				return
			}
			filter.BeforeID = orders[len(orders)-1].ID
			if orders, more, err = models.OrderList(ctx, db, merchantID, tab, filter); err != nil {
				// The status is sent already: the file ends here, and the log says why.
				logger.Error("exporting orders", "merchant", merchantID, "after_id", filter.BeforeID, "err", err)
				return
			}
		}
	})
	return nil
}

// orderCSVRecord is one order's line of the export, in the columns of orderCSVHeader.
func orderCSVRecord(o *models.Order, connectionNames map[int64]string) []string {
	test := "no"
	if o.Test {
		test = "yes"
	}
	email := o.Billing.Email
	if email == "" {
		email = o.Shipping.Email
	}
	carrier := o.CarrierName
	if carrier == "" {
		carrier = o.CarrierCode
	}
	return []string{
		strconv.FormatInt(o.ID, 10),
		csvText(o.MarketplaceOrderID),
		csvText(o.MarketplaceReference),
		csvText(connectionNames[o.ConnectionID]),
		o.PlacedAt.UTC().Format(time.RFC3339),
		o.Status,
		o.StoreState,
		csvText(o.StoreOrderID),
		o.ShipmentState,
		csvText(carrier),
		csvText(o.TrackingNumber),
		csvText(strings.TrimSpace(o.Shipping.FirstName + " " + o.Shipping.LastName)),
		csvText(email),
		csvText(o.Shipping.Country),
		models.FormatDecimal(o.TotalAmount, models.CurrencyExponent(o.Currency)),
		csvText(o.Currency),
		test,
	}
}

// csvText keeps a spreadsheet from reading text that came from a marketplace, a buyer or a
// store as a formula: a cell starting with = + - @ (or a tab or carriage return, which some
// spreadsheets skip before one) gets a leading apostrophe.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
