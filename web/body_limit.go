package web

import "github.com/gofiber/fiber/v2"

// maxBody is the largest request body a page or the Store API takes (store webhooks take
// less, see maxWebhookBody). Bodies up to readLimit are read so that the answer can say what
// was wrong; beyond it the server stops reading and closes the connection.
const (
	maxBody   = 1 << 20
	readLimit = 8 << 20
)

// limitBody refuses a body over maxBody with 413: a problem for the API, a page saying what to
// do for a form (so it runs after setLanguage, and before csrf, which reads the form).
func limitBody(c *fiber.Ctx) error {
	if len(c.Request().Body()) > maxBody {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, tr(c, "errorpage.too_large.message"))
	}
	return c.Next()
}
