package web

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
)

// maxWebhookBody is the largest webhook delivery taken; a fulfilment's payload is a few KB.
const maxWebhookBody = 256 << 10

// storeWebhook is POST /webhooks/stores/{connection id}: a store tells of a shipment as it
// happens. Unknown connections, connections whose store sends no webhooks and bad signatures
// get the same 401, so the address reveals nothing; a replayed delivery is answered 200 and
// ignored.
func (s *Server) storeWebhook(c *fiber.Ctx) error {
	if len(c.Body()) > maxWebhookBody {
		return c.Status(fiber.StatusRequestEntityTooLarge).JSON(fiber.Map{"error": "the delivery is larger than 256 KB"})
	}
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	conn, err := models.ConnectionByID(c.UserContext(), s.db.Gorm, int64(id))
	if errors.Is(err, models.ErrNotFound) || (err == nil && !jobs.StoreSendsWebhooks(conn.StoreKind)) {
		return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": jobs.ErrBadSignature.Error()})
	}
	if err != nil {
		return err
	}
	header := http.Header{}
	for key, value := range c.GetReqHeaders() {
		header[http.CanonicalHeaderKey(key)] = value
	}
	result, err := s.jobs.ReceiveStoreWebhook(c.UserContext(), conn, header, c.Body())
	switch {
	case errors.Is(err, jobs.ErrBadSignature):
		s.logger.Warn("store webhook with a bad signature", "connection", conn.ID, "ip", c.IP())
		return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": err.Error()})
	case errors.Is(err, jobs.ErrBadWebhook):
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": err.Error()})
	case errors.Is(err, jobs.ErrNoWebhooks):
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{"error": err.Error()})
	case err != nil:
		return err // 500: the store delivers it again later
	}
	return c.JSON(fiber.Map{"result": result})
}
