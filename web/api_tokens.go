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
		return errUnreadableForm(c)
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
			errs["expires_in_days"] = tr(c, "tokens.error.expires")
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
		return s.renderAPITokens(c, fiber.StatusUnprocessableEntity, view, views.FieldErrors{"name": errorText(c, err)}, "")
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
	setFlash(c, "success", tr(c, "flash.token_revoked"))
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
	return s.render(c, status, tr(c, "tokens.title"), views.APITokensPage(csrfToken(c), tokens, connections, form, errs, created))
}
