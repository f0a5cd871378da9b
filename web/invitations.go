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

type inviteForm struct {
	Email string `form:"email" validate:"required,email,max=254"`
	Name  string `form:"name" validate:"max=120"`
	Role  string `form:"role" validate:"required,oneof=admin staff"`
}

type acceptInvitationForm struct {
	Name     string `form:"name" validate:"max=120"`
	Password string `form:"password" validate:"required,min=10,max=200"`
}

// teamList shows the team and, to its administrators, the invitations still open.
func (s *Server) teamList(c *fiber.Ctx) error {
	ctx, merchantID, user := c.UserContext(), currentMerchant(c).ID, currentUser(c)
	users, err := models.MerchantUsers(ctx, s.db.Gorm, merchantID)
	if err != nil {
		return err
	}
	var invitations []models.Invitation
	if user.IsAdmin() {
		if invitations, err = models.PendingInvitations(ctx, s.db.Gorm, merchantID, time.Now()); err != nil {
			return err
		}
	}
	return s.render(c, fiber.StatusOK, tr(c, "team.title"), views.TeamPage(csrfToken(c), users, invitations, user.IsAdmin()))
}

func (s *Server) invitationNew(c *fiber.Ctx) error {
	return s.renderInvite(c, fiber.StatusOK, inviteForm{Role: models.RoleStaff}, nil)
}

func (s *Server) invitationCreate(c *fiber.Ctx) error {
	var form inviteForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	if errs := validateForm(c.UserContext(), form); errs != nil {
		return s.renderInvite(c, fiber.StatusUnprocessableEntity, form, errs)
	}
	inv, token, err := models.CreateInvitation(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, models.NewInvitation{
		Email: form.Email, Name: form.Name, Role: form.Role, InvitedByID: currentUser(c).ID,
	}, time.Now())
	if errors.Is(err, models.ErrEmailTaken) {
		return s.renderInvite(c, fiber.StatusUnprocessableEntity, form, views.FieldErrors{"email": tr(c, "team.error.email_taken")})
	}
	if err != nil {
		return err
	}
	return s.deliverInvitation(c, inv, token)
}

func (s *Server) invitationResend(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	inv, token, err := models.RenewInvitation(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, int64(id), time.Now())
	if err != nil {
		return err
	}
	return s.deliverInvitation(c, inv, token)
}

func (s *Server) invitationRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := models.RevokeInvitation(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, int64(id), time.Now()); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.invitation_revoked"))
	return redirect(c, "/team")
}

// deliverInvitation e-mails the invitation's link, or shows it to the admin, once, when no
// e-mail can carry it.
func (s *Server) deliverInvitation(c *fiber.Ctx, inv *models.Invitation, token string) error {
	link := s.cfg.BaseURL + "/invitations/" + token
	view := views.InvitationLink{Email: inv.Email, Link: link}
	if s.mailer != nil {
		err := s.mailer.Send(c.UserContext(), s.invitationMail(c.UserContext(), inv, link))
		if err == nil {
			setFlash(c, "success", tr(c, "flash.invitation_sent", map[string]any{"Email": inv.Email}))
			return redirect(c, "/team")
		}
		s.logger.Error("sending an invitation", "invitation", inv.ID, "err", err)
		view.MailError = err.Error()
	}
	// Shown on this answer only: the link is never stored in clear.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, fiber.StatusCreated, tr(c, "invitations.link.title"), views.InvitationLinkPage(view))
}

func (s *Server) invitationMail(ctx context.Context, inv *models.Invitation, link string) jobs.Mail {
	data := map[string]any{
		"Inviter":  s.inviterName(ctx, inv),
		"Merchant": s.merchantName(ctx, inv.MerchantID),
		"Role":     views.RoleLabel(ctx, inv.Role),
		"Link":     link,
		"Expires":  views.FormatTime(ctx, inv.ExpiresAt, "2 Jan 2006 15:04") + " UTC",
	}
	return jobs.Mail{
		To:      []string{inv.Email},
		Subject: views.T(ctx, "invitations.mail.subject", data),
		Body:    views.T(ctx, "invitations.mail.body", data),
	}
}

func (s *Server) inviterName(ctx context.Context, inv *models.Invitation) string {
	if inv.InvitedByID != nil {
		if u, err := models.MerchantUser(ctx, s.db.Gorm, inv.MerchantID, *inv.InvitedByID); err == nil {
			return u.DisplayName()
		}
	}
	return views.T(ctx, "invitations.an_admin")
}

func (s *Server) merchantName(ctx context.Context, merchantID int64) string {
	if m, err := models.FindMerchant(ctx, s.db.Gorm, merchantID); err == nil {
		return m.Name
	}
	return "orderhub"
}

func (s *Server) renderInvite(c *fiber.Ctx, status int, form inviteForm, errs views.FieldErrors) error {
	view := views.InviteForm{Name: form.Name, Email: form.Email, Role: form.Role}
	return s.render(c, status, tr(c, "team.add"), views.InvitePage(csrfToken(c), view, errs))
}

// invitationShow is the page an invitation's link opens, for the invitee, logged in or not.
func (s *Server) invitationShow(c *fiber.Ctx) error {
	inv, err := models.InvitationByToken(c.UserContext(), s.db.Gorm, c.Params("token"), time.Now())
	if err != nil {
		return s.renderInvitationProblem(c, inv, err)
	}
	return s.renderAcceptInvitation(c, fiber.StatusOK, inv, inv.Name, nil)
}

func (s *Server) invitationAccept(c *fiber.Ctx) error {
	ctx, token, now := c.UserContext(), c.Params("token"), time.Now()
	inv, err := models.InvitationByToken(ctx, s.db.Gorm, token, now)
	if err != nil {
		return s.renderInvitationProblem(c, inv, err)
	}
	var form acceptInvitationForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	if errs := validateForm(ctx, form); errs != nil {
		return s.renderAcceptInvitation(c, fiber.StatusUnprocessableEntity, inv, form.Name, errs)
	}
	user, err := models.AcceptInvitation(ctx, s.db.Gorm, token, form.Name, form.Password, now)
	if errors.Is(err, models.ErrEmailTaken) {
		return s.render(c, fiber.StatusConflict, tr(c, "invitations.problem.title"), views.LinkProblemPage(
			tr(c, "invitations.problem.title"), tr(c, "invitations.problem.has_account", map[string]any{"Email": inv.Email}),
			"/login", tr(c, "login.submit")))
	}
	if err != nil {
		return s.renderInvitationProblem(c, inv, err)
	}
	if err := s.logIn(c, user); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.invitation_accepted", map[string]any{"Merchant": s.merchantName(ctx, inv.MerchantID)}))
	return redirect(c, "/dashboard")
}

func (s *Server) renderAcceptInvitation(c *fiber.Ctx, status int, inv *models.Invitation, name string, errs views.FieldErrors) error {
	ctx := c.UserContext()
	view := views.InvitationView{
		Merchant: s.merchantName(ctx, inv.MerchantID), Inviter: s.inviterName(ctx, inv),
		Email: inv.Email, Role: inv.Role, Name: name,
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer") // the token is in the address
	return s.render(c, status, tr(c, "invitations.accept.title", map[string]any{"Merchant": view.Merchant}),
		views.InvitationAcceptPage(csrfToken(c), "/invitations/"+c.Params("token"), view, errs, models.MinPasswordLength))
}

// renderInvitationProblem says why a link does not open, and whom to ask for a new one:
// 404 for a link orderhub does not know, 410 for one that worked once.
func (s *Server) renderInvitationProblem(c *fiber.Ctx, inv *models.Invitation, err error) error {
	var key string
	switch {
	case errors.Is(err, models.ErrNotFound):
		return s.render(c, fiber.StatusNotFound, tr(c, "invitations.problem.title"), views.LinkProblemPage(
			tr(c, "invitations.problem.title"), tr(c, "invitations.problem.unknown"), "/login", tr(c, "login.submit")))
	case errors.Is(err, models.ErrInvitationExpired):
		key = "invitations.problem.expired"
	case errors.Is(err, models.ErrInvitationUsed):
		key = "invitations.problem.used"
	case errors.Is(err, models.ErrInvitationRevoked):
		key = "invitations.problem.revoked"
	default:
		return err
	}
	ctx := c.UserContext()
	data := map[string]any{"Inviter": s.inviterName(ctx, inv), "Merchant": s.merchantName(ctx, inv.MerchantID)}
	return s.render(c, fiber.StatusGone, tr(c, "invitations.problem.title"), views.LinkProblemPage(
		tr(c, "invitations.problem.title"), tr(c, key, data), "/login", tr(c, "login.submit")))
}
