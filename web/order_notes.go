package web

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// Notes and assignments are for people: the merchant's and support agents. They change
// nothing of what orderhub does with an order.

type noteForm struct {
	Note string `form:"note"`
}

// orderNoteAdd is POST /orders/:id/notes: an internal note on the order. A note refused (empty,
// too long) shows the order page again with why, next to the note as typed.
func (s *Server) orderNoteAdd(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	var form noteForm
	if err := c.BodyParser(&form); err != nil {
		return errUnreadableForm(c)
	}
	_, err = models.AddOrderNote(c.UserContext(), s.db.Gorm, o.MerchantID, o.ID, currentUser(c).ID, form.Note, userActor(c), time.Now())
	if isUserError(err) {
		return s.renderOrder(c, fiber.StatusUnprocessableEntity, o, views.OrderActions{Note: form.Note, Errs: views.FieldErrors{"note": errorSentence(c, err)}})
	}
	if err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "order.note.added"))
	return redirect(c, orderPath(o.ID))
}

// orderAssign is POST /orders/:id/assign: the person takes the order.
func (s *Server) orderAssign(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	err = models.AssignOrder(c.UserContext(), s.db.Gorm, o.MerchantID, o.ID, currentUser(c).ID, userActor(c), time.Now())
	return assignmentDone(c, orderPath(o.ID), err, "assignment.taken")
}

// orderUnassign is POST /orders/:id/unassign: the person leaves the order.
func (s *Server) orderUnassign(c *fiber.Ctx) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	err = models.UnassignOrder(c.UserContext(), s.db.Gorm, o.MerchantID, o.ID, currentUser(c).ID, userActor(c), time.Now())
	return assignmentDone(c, orderPath(o.ID), err, "assignment.left")
}

// groupAssign is POST /errors/group/assign: the person takes the group of blocked orders.
func (s *Server) groupAssign(c *fiber.Ctx) error {
	k, err := s.groupKey(c)
	if err != nil {
		return err
	}
	err = models.AssignGroup(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, k, currentUser(c).ID, time.Now())
	return assignmentDone(c, views.GroupURL(k), err, "assignment.taken")
}

// groupUnassign is POST /errors/group/unassign: the person leaves the group.
func (s *Server) groupUnassign(c *fiber.Ctx) error {
	k, err := s.groupKey(c)
	if err != nil {
		return err
	}
	err = models.UnassignGroup(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, k, currentUser(c).ID)
	return assignmentDone(c, views.GroupURL(k), err, "assignment.left")
}

// assignmentDone goes back to the page the person took or left something on, saying what
// happened: done, or why not (someone else has it now).
func assignmentDone(c *fiber.Ctx, back string, err error, done string) error {
	switch {
	case isUserError(err):
		setFlash(c, "error", errorSentence(c, err))
	case err != nil:
		return err
	default:
		setFlash(c, "success", tr(c, done))
	}
	return redirect(c, back)
}

func isUserError(err error) bool {
	var ue *models.UserError
	return errors.As(err, &ue)
}
