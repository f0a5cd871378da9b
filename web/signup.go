package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

type signupForm struct {
	Merchant string `form:"merchant" validate:"required,max=120"`
	Name     string `form:"name" validate:"max=120"`
	Email    string `form:"email" validate:"required,email,max=254"`
	Password string `form:"password" validate:"required,min=10,max=200"`
}

// signupOpen reports whether a visitor may create a merchant, and whether it would be the
// very first account.
func (s *Server) signupOpen(c *fiber.Ctx) (open, first bool, err error) {
	n, err := models.CountUsers(c.UserContext(), s.db.Gorm)
	if err != nil {
		return false, false, err
	}
	return n == 0 || s.cfg.Signup == "open", n == 0, nil
}

func (s *Server) signupShow(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return redirect(c, "/dashboard")
	}
	open, first, err := s.signupOpen(c)
	if err != nil {
		return err
	}
	if !open {
		setFlash(c, "info", tr(c, "flash.signup_closed"))
		return redirect(c, "/login")
	}
	return s.renderSignup(c, fiber.StatusOK, signupForm{}, nil, first)
}

func (s *Server) signupCreate(c *fiber.Ctx) error {
	open, first, err := s.signupOpen(c)
	if err != nil {
		return err
	}
	if !open {
		return fiber.NewError(fiber.StatusForbidden, tr(c, "errorpage.signup_closed"))
	}
	var form signupForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	if errs := validateForm(c.UserContext(), form); errs != nil {
		return s.renderSignup(c, fiber.StatusUnprocessableEntity, form, errs, first)
	}
	merchant, user, err := models.SignUp(c.UserContext(), s.db.Gorm, form.Merchant, form.Name, form.Email, form.Password)
	if errors.Is(err, models.ErrEmailTaken) {
		return s.renderSignup(c, fiber.StatusUnprocessableEntity, form, views.FieldErrors{"email": tr(c, "signup.error.email_taken")}, first)
	}
	if err != nil {
		return err
	}
	if err := s.logIn(c, user); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.welcome", map[string]any{"Merchant": merchant.Name}))
	return redirect(c, "/dashboard")
}

func (s *Server) renderSignup(c *fiber.Ctx, status int, form signupForm, errs views.FieldErrors, first bool) error {
	view := views.SignupForm{Merchant: form.Merchant, Name: form.Name, Email: form.Email}
	return s.render(c, status, tr(c, "signup.title"), views.SignupPage(csrfToken(c), view, errs, first, models.MinPasswordLength))
}
