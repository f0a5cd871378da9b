package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

type newUserForm struct {
	Name     string `form:"name" validate:"max=120"`
	Email    string `form:"email" validate:"required,email,max=254"`
	Role     string `form:"role" validate:"required,oneof=admin staff"`
	Password string `form:"password" validate:"required,min=10,max=200"`
}

func (s *Server) teamList(c *fiber.Ctx) error {
	users, err := models.MerchantUsers(c.UserContext(), s.db.Gorm, currentMerchant(c).ID)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, tr(c, "team.title"), views.TeamPage(users, currentUser(c).IsAdmin()))
}

func (s *Server) userShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	user, err := models.MerchantUser(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, int64(id))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, user.DisplayName(), views.UserPage(user))
}

func (s *Server) userNew(c *fiber.Ctx) error {
	return s.renderNewUser(c, fiber.StatusOK, newUserForm{Role: models.RoleStaff}, nil)
}

func (s *Server) userCreate(c *fiber.Ctx) error {
	var form newUserForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	if errs := validateForm(c.UserContext(), form); errs != nil {
		return s.renderNewUser(c, fiber.StatusUnprocessableEntity, form, errs)
	}
	merchantID := currentMerchant(c).ID
	user, err := models.CreateUser(c.UserContext(), s.db.Gorm, models.NewUser{
		MerchantID: &merchantID, Name: form.Name, Email: form.Email, Password: form.Password, Role: form.Role,
	})
	if errors.Is(err, models.ErrEmailTaken) {
		return s.renderNewUser(c, fiber.StatusUnprocessableEntity, form, views.FieldErrors{"email": tr(c, "team.error.email_taken")})
	}
	if err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.user_added", map[string]any{"Email": user.Email}))
	return redirect(c, "/team")
}

func (s *Server) renderNewUser(c *fiber.Ctx, status int, form newUserForm, errs views.FieldErrors) error {
	view := views.NewUserForm{Name: form.Name, Email: form.Email, Role: form.Role}
	return s.render(c, status, tr(c, "team.add"), views.NewUserPage(csrfToken(c), view, errs, models.MinPasswordLength))
}
