package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

type newTokenForm struct {
	Name          string `form:"name" validate:"required,max=120"`
	ExpiresInDays string `form:"expires_in_days" validate:"omitempty,number,min=1,max=4"`
}

func (s *Server) apiTokensList(c *fiber.Ctx) error {
	return s.renderAPITokens(c, fiber.StatusOK, views.NewTokenForm{}, nil, "")
}

func (s *Server) apiTokenCreate(c *fiber.Ctx) error {
	var form newTokenForm
	if err := c.BodyParser(&form); err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "The form could not be read. Reload the page and try again.")
	}
	var ids []int64
	for _, raw := range c.Request().PostArgs().PeekMulti("connection_ids") {
		if id, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	view := views.NewTokenForm{Name: form.Name, ConnectionIDs: ids, ExpiresInDays: form.ExpiresInDays}
	if errs := validateForm(c.UserContext(), form); errs != nil {
		if errs["expires_in_days"] != "" {
			errs["expires_in_days"] = "Enter a number of days, or leave it empty for a token that does not expire."
		}
		return s.renderAPITokens(c, fiber.StatusUnprocessableEntity, view, errs, "")
	}
	in := models.NewAPIToken{Name: form.Name, ConnectionIDs: ids, CreatedBy: &currentUser(c).ID}
	if days, err := strconv.Atoi(strings.TrimSpace(form.ExpiresInDays)); err == nil {
		until := time.Now().UTC().Add(time.Duration(days) * 24 * time.Hour)
		in.ExpiresAt = &until
	}
	plaintext, _, err := models.CreateAPIToken(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, in)
	if err != nil {
		return s.renderAPITokens(c, fiber.StatusUnprocessableEntity, view, views.FieldErrors{"name": err.Error()}, "")
	}
	// Shown once, on this answer only: it is never stored in clear.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderAPITokens(c, fiber.StatusCreated, views.NewTokenForm{}, nil, plaintext)
}

func (s *Server) apiTokenRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := models.RevokeAPIToken(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, int64(id), time.Now()); err != nil {
		return err
	}
	setFlash(c, "success", "The token is revoked: calls with it are refused from now on.")
	return redirect(c, "/settings/api-tokens")
}

func (s *Server) renderAPITokens(c *fiber.Ctx, status int, form views.NewTokenForm, errs views.FieldErrors, created string) error {
	ctx, merchantID := c.UserContext(), currentMerchant(c).ID
	tokens, err := models.MerchantAPITokens(ctx, s.db.Gorm, merchantID)
	if err != nil {
		return err
	}
	connections, err := models.MerchantConnections(ctx, s.db.Gorm, merchantID)
	if err != nil {
		return err
	}
	return s.render(c, status, "API tokens", views.APITokensPage(csrfToken(c), tokens, connections, form, errs, created))
}
