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
	merchantID := user.MerchantID
	if user.IsSupport() {
		// A support agent works in the merchant's account they entered (see support.go).
		if id, ok := currentSession(c).Values[sessionSupportMerchant].(int64); ok {
			merchantID = &id
		}
	}
	if merchantID != nil {
		merchant, err := models.FindMerchant(c.UserContext(), s.db.Gorm, *merchantID)
		if errors.Is(err, models.ErrNotFound) && user.IsSupport() {
			deleteSession(c, sessionSupportMerchant) // the merchant was removed
			return c.Next()
		}
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

// requireMerchant guards pages about one merchant's data. Support agents reach them once they
// entered a merchant's account from the support page, where every change they make is
// audited; before that, the support page is where they start.
func requireMerchant(c *fiber.Ctx) error {
	if currentMerchant(c) == nil {
		if user := currentUser(c); user != nil && user.IsSupport() {
			setFlash(c, "info", tr(c, "support.choose_first"))
			return redirect(c, "/support")
		}
		return fiber.ErrNotFound
	}
	return c.Next()
}

// canManage reports whether the person may change the merchant's connections: its
// administrators, and support agents working in its account (audited).
func canManage(c *fiber.Ctx) bool {
	user := currentUser(c)
	return user.IsAdmin() || (user.IsSupport() && currentMerchant(c) != nil)
}

// requireManager guards changes to connections (see canManage).
func requireManager(c *fiber.Ctx) error {
	if !canManage(c) {
		return fiber.NewError(fiber.StatusForbidden, tr(c, "errorpage.admin_only"))
	}
	return c.Next()
}

// requireSupport guards the support pages.
func requireSupport(c *fiber.Ctx) error {
	if !currentUser(c).IsSupport() {
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
