package web

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

type loginForm struct {
	Email    string `form:"email" validate:"required,max=254"`
	Password string `form:"password" validate:"required,max=200"`
	Next     string `form:"next"`
}

func (s *Server) loginShow(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return redirect(c, "/dashboard")
	}
	return s.renderLogin(c, fiber.StatusOK, loginForm{Next: c.Query("next")}, nil)
}

func (s *Server) loginCreate(c *fiber.Ctx) error {
	var form loginForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	if errs := validateForm(c.UserContext(), form); errs != nil {
		return s.renderLogin(c, fiber.StatusUnprocessableEntity, form, errs)
	}
	ctx, ip, now := c.UserContext(), c.IP(), time.Now()
	wait, err := models.LoginRetryAfter(ctx, s.db.Gorm, form.Email, ip, now)
	if err != nil {
		return err
	}
	if wait > 0 {
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		// With e-mail, someone who forgot their password can set a new one instead of waiting.
		message := "login.error.throttled"
		if s.mailer != nil {
			message = "login.error.throttled_reset"
		}
		return s.renderLogin(c, fiber.StatusTooManyRequests, form, views.FieldErrors{
			"password": tr(c, message, map[string]any{"Wait": humanWait(c, wait)}),
		})
	}
	user, err := models.Authenticate(ctx, s.db.Gorm, form.Email, form.Password)
	if errors.Is(err, models.ErrInvalidLogin) {
		if err := models.RecordLoginFailure(ctx, s.db.Gorm, form.Email, ip, now); err != nil {
			return err
		}
		return s.renderLogin(c, fiber.StatusUnauthorized, form, views.FieldErrors{
			"password": tr(c, "login.error.wrong"),
		})
	}
	if err != nil {
		return err
	}
	if err := models.ClearLoginFailures(ctx, s.db.Gorm, user.Email); err != nil {
		return err
	}
	if err := s.logIn(c, user); err != nil {
		return err
	}
	return redirect(c, safeNext(form.Next))
}

// logIn renews the session id and binds the session to the user.
func (s *Server) logIn(c *fiber.Ctx, user *models.User) error {
	if err := s.renewSession(c); err != nil {
		return err
	}
	setSession(c, sessionUserID, user.ID)
	return nil
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return redirect(c, "/login")
}

func (s *Server) renderLogin(c *fiber.Ctx, status int, form loginForm, errs views.FieldErrors) error {
	open, _, err := s.signupOpen(c)
	if err != nil {
		return err
	}
	view := views.LoginForm{Email: form.Email, Next: form.Next}
	return s.render(c, status, tr(c, "login.title"), views.LoginPage(csrfToken(c), view, errs, open, s.mailer != nil))
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/dashboard"
	}
	return next
}

func humanWait(c *fiber.Ctx, d time.Duration) string {
	minutes := int(math.Ceil(d.Minutes()))
	if minutes <= 1 {
		return tr(c, "login.wait.minute")
	}
	return tr(c, "login.wait.minutes", map[string]any{"Count": minutes})
}
