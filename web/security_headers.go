package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
)

// contentSecurityPolicy lets pages load scripts, styles, images and HTMX requests from orderhub
// itself and nothing else: no inline script or style (HTMX is configured for that in the
// layout's htmx-config), no framing, no form posted elsewhere, no <base> rewriting.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// hstsHeader tells browsers to use https only, for a year, once orderhub is served over https.
const hstsHeader = "max-age=31536000; includeSubDomains"

// securityHeaders sets the headers every answer carries: the content security policy,
// nosniff, no framing, a referrer kept to orderhub's own pages, and HSTS when BASE_URL is https
// (behind a proxy that ends TLS, the request orderhub sees is plain http, so BASE_URL decides).
func (s *Server) securityHeaders() fiber.Handler {
	headers := helmet.New(helmet.Config{
		ContentSecurityPolicy: contentSecurityPolicy,
		XFrameOptions:         "DENY",
		ReferrerPolicy:        "same-origin",
		PermissionPolicy:      "camera=(), microphone=(), geolocation=(), payment=()",
		HSTSMaxAge:            0, // set below from BASE_URL
	})
	https := s.cfg.SecureCookies()
	return func(c *fiber.Ctx) error {
		if https {
			c.Set(fiber.HeaderStrictTransportSecurity, hstsHeader)
		}
		return headers(c)
	}
}
