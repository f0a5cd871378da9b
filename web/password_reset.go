package web

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// resetMailTimeout bounds sending one reset e-mail, which happens after the answer.
const resetMailTimeout = time.Minute

type forgotPasswordForm struct {
	Email string `form:"email" validate:"required,email,max=254"`
}

type resetPasswordForm struct {
	Password string `form:"password" validate:"required,min=10,max=200"`
}

// requireMailer hides pages that only work when orderhub can send e-mail.
func (s *Server) requireMailer(c *fiber.Ctx) error {
	if s.mailer == nil {
		return fiber.ErrNotFound
	}
	return c.Next()
}

func (s *Server) passwordForgotShow(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, tr(c, "password.forgot.title"), views.PasswordForgotPage(csrfToken(c), c.Query("email"), nil))
}

// passwordForgotSend answers the same whether an account has the address or not, and as fast:
// the e-mail goes out after the answer.
func (s *Server) passwordForgotSend(c *fiber.Ctx) error {
	var form forgotPasswordForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	if errs := validateForm(c.UserContext(), form); errs != nil {
		return s.render(c, fiber.StatusUnprocessableEntity, tr(c, "password.forgot.title"), views.PasswordForgotPage(csrfToken(c), form.Email, errs))
	}
	user, token, err := models.RequestPasswordReset(c.UserContext(), s.db.Gorm, form.Email, time.Now())
	if err != nil {
		return err
	}
	if user != nil {
		ctx := c.UserContext()
		if user.Language != "" {
			ctx = views.WithLanguage(ctx, user.Language)
		}
		mail := s.passwordResetMail(ctx, user, s.cfg.BaseURL+"/password/reset/"+token)
		go s.sendDetached(mail)
	}
	setFlash(c, "info", tr(c, "flash.password_reset_sent", map[string]any{"Email": models.NormalizeEmail(form.Email)}))
	return redirect(c, "/login")
}

// sendDetached sends an e-mail on its own, once the request is answered; a failure is logged.
func (s *Server) sendDetached(mail jobs.Mail) {
	ctx, cancel := context.WithTimeout(context.Background(), resetMailTimeout)
	defer cancel()
	if err := s.mailer.Send(ctx, mail); err != nil {
		s.logger.Error("sending a password reset e-mail", "err", err)
	}
}

func (s *Server) passwordResetMail(ctx context.Context, user *models.User, link string) jobs.Mail {
	data := map[string]any{"Name": user.DisplayName(), "Link": link, "Minutes": int(models.PasswordResetTTL.Minutes())}
	return jobs.Mail{
		To:      []string{user.Email},
		Subject: views.T(ctx, "password.mail.subject"),
		Body:    views.T(ctx, "password.mail.body", data),
	}
}

func (s *Server) passwordResetShow(c *fiber.Ctx) error {
	reset, err := models.PasswordResetByToken(c.UserContext(), s.db.Gorm, c.Params("token"), time.Now())
	if err != nil {
		return s.renderResetProblem(c, err)
	}
	return s.renderPasswordReset(c, fiber.StatusOK, reset, nil)
}

func (s *Server) passwordResetSave(c *fiber.Ctx) error {
	ctx, token, now := c.UserContext(), c.Params("token"), time.Now()
	reset, err := models.PasswordResetByToken(ctx, s.db.Gorm, token, now)
	if err != nil {
		return s.renderResetProblem(c, err)
	}
	var form resetPasswordForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	if errs := validateForm(ctx, form); errs != nil {
		return s.renderPasswordReset(c, fiber.StatusUnprocessableEntity, reset, errs)
	}
	user, err := models.ResetPassword(ctx, s.db.Gorm, token, form.Password, now)
	if err != nil {
		return s.renderResetProblem(c, err)
	}
	if err := s.logIn(c, user); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.password_reset_done"))
	return redirect(c, "/dashboard")
}

func (s *Server) renderPasswordReset(c *fiber.Ctx, status int, reset *models.PasswordReset, errs views.FieldErrors) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer") // the token is in the address
	action := "/password/reset/" + c.Params("token")
	return s.render(c, status, tr(c, "password.reset.title"),
		views.PasswordResetPage(csrfToken(c), action, reset.Email, errs, models.MinPasswordLength))
}

// renderResetProblem says why a reset link does not work and offers to send a new one: 404
// for a link orderhub does not know, 410 for one that worked once.
func (s *Server) renderResetProblem(c *fiber.Ctx, err error) error {
	status, key := fiber.StatusGone, ""
	switch {
	case errors.Is(err, models.ErrNotFound):
		status, key = fiber.StatusNotFound, "password.problem.unknown"
	case errors.Is(err, models.ErrPasswordResetExpired):
		key = "password.problem.expired"
	case errors.Is(err, models.ErrPasswordResetUsed):
		key = "password.problem.used"
	default:
		return err
	}
	action, label := "/password/forgot", tr(c, "password.problem.ask_again")
	if s.mailer == nil {
		action, label = "/login", tr(c, "login.submit")
	}
	return s.render(c, status, tr(c, "password.problem.title"), views.LinkProblemPage(
		tr(c, "password.problem.title"), tr(c, key), action, label))
}
