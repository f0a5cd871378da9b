package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
)

const localToken = "api_token"

// apiAuth admits Store API calls carrying a live bearer token.
func (s *Server) apiAuth(c *fiber.Ctx) error {
	header := c.Get(fiber.HeaderAuthorization)
	plaintext, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || plaintext == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="orderhub"`)
		return newProblem(http.StatusUnauthorized, "token-missing", "API token missing",
			"Send the token as 'Authorization: Bearer <token>'. An administrator creates tokens under Settings → API tokens.")
	}
	token, err := models.AuthenticateAPIToken(c.UserContext(), s.db.Gorm, strings.TrimSpace(plaintext), time.Now())
	if errors.Is(err, models.ErrTokenInvalid) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="orderhub", error="invalid_token"`)
		return newProblem(http.StatusUnauthorized, "token-invalid", "API token refused",
			"The token is unknown, revoked or expired. Ask an administrator for a new one.")
	}
	if err != nil {
		return err
	}
	c.Locals(localToken, token)
	return c.Next()
}

func currentToken(c *fiber.Ctx) *models.APIToken {
	token, _ := c.Locals(localToken).(*models.APIToken)
	return token
}
