package web

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// OpenAPI is the Store API's description, served at /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

func (s *Server) apiOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(OpenAPI)
}
