package web

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
)

const (
	localUser     = "user"
	localMerchant = "merchant"
)

// loadUser puts the logged-in user, and their merchant, in the context when there is one.
func (s *Server) loadUser(c *fiber.Ctx) error {
	id, ok := currentSession(c).Values[sessionUserID].(int64)
	if !ok {
		return c.Next()
	}
	user, err := models.FindUser(c.UserContext(), s.db.Gorm, id)
	if errors.Is(err, models.ErrNotFound) {
		deleteSession(c, sessionUserID) // the account was removed
		return c.Next()
	}
	if err != nil {
		return err
	}
	c.Locals(localUser, user)
	if user.MerchantID != nil {
		merchant, err := models.FindMerchant(c.UserContext(), s.db.Gorm, *user.MerchantID)
		if err != nil {
			return err
		}
		c.Locals(localMerchant, merchant)
	}
	return c.Next()
}

func currentUser(c *fiber.Ctx) *models.User {
	user, _ := c.Locals(localUser).(*models.User)
	return user
}

func currentMerchant(c *fiber.Ctx) *models.Merchant {
	merchant, _ := c.Locals(localMerchant).(*models.Merchant)
	return merchant
}

// requireUser sends visitors to the login page, then back to where they were going.
func requireUser(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	return redirect(c, "/login?next="+url.QueryEscape(c.OriginalURL()))
}

// requireMerchant guards pages about one merchant's data. Support agents reach merchants'
// data through the audited support paths only, so here they get a 404 like everyone else.
func requireMerchant(c *fiber.Ctx) error {
	if currentMerchant(c) == nil {
		return fiber.ErrNotFound
	}
	return c.Next()
}

// requireAdmin guards actions only a merchant's administrators may take.
func requireAdmin(c *fiber.Ctx) error {
	if !currentUser(c).IsAdmin() {
		return fiber.NewError(fiber.StatusForbidden, tr(c, "errorpage.admin_only"))
	}
	return c.Next()
}
