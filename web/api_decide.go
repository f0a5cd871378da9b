package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

type decideRequest struct {
	Orders []struct {
		ID     int64  `json:"id"`
		Reason string `json:"reason"`
	} `json:"orders"`
}

// parseDecideRequest reads and checks an accept, refuse or cancel batch.
func parseDecideRequest(body []byte) (decideRequest, error) {
	var req decideRequest
	if err := decodeJSON(body, &req); err != nil {
		return req, err
	}
	return req, checkBatch(len(req.Orders))
}

var errNotWaitingAcceptance = errors.New("the order is not waiting acceptance")

// apiOrdersAccept is POST /api/v1/orders/accept: each order waiting acceptance is accepted on
// the marketplace in the background.
func (s *Server) apiOrdersAccept(c *fiber.Ctx) error { return s.apiDecide(c, true) }

// apiOrdersRefuse is POST /api/v1/orders/refuse.
func (s *Server) apiOrdersRefuse(c *fiber.Ctx) error { return s.apiDecide(c, false) }

func (s *Server) apiDecide(c *fiber.Ctx, accept bool) error {
	req, err := parseDecideRequest(c.Body())
	if err != nil {
		return err
	}
	token := currentToken(c)
	out := batchResponse{Results: []batchResult{}}
	for _, entry := range req.Orders {
		o, err := s.apiOrder(c, s.db.Gorm, entry.ID)
		if err == nil && o.Status != models.StatusWaitingAcceptance {
			err = errNotWaitingAcceptance
		}
		if err == nil {
			err = s.jobs.DecideOrder(c.UserContext(), s.db.Gorm, token.MerchantID, o.ID, accept, tokenActor(token), strings.TrimSpace(entry.Reason))
		}
		out.Results = append(out.Results, s.decisionOutcome(entry.ID, err))
	}
	return c.JSON(out)
}

// apiOrdersCancel is POST /api/v1/orders/cancel: an order waiting acceptance is refused; one
// accepted but not yet shipped is cancelled on the marketplace in the background.
func (s *Server) apiOrdersCancel(c *fiber.Ctx) error {
	req, err := parseDecideRequest(c.Body())
	if err != nil {
		return err
	}
	token := currentToken(c)
	out := batchResponse{Results: []batchResult{}}
	for _, entry := range req.Orders {
		reason := strings.TrimSpace(entry.Reason)
		o, err := s.apiOrder(c, s.db.Gorm, entry.ID)
		switch {
		case err != nil:
		case o.Status == models.StatusWaitingAcceptance:
			err = s.jobs.DecideOrder(c.UserContext(), s.db.Gorm, token.MerchantID, o.ID, false, tokenActor(token), reason)
		default:
			err = s.db.Gorm.WithContext(c.UserContext()).Transaction(func(tx *gorm.DB) error {
				return s.jobs.CancelByStore(c.UserContext(), tx, o, tokenActor(token), reason)
			})
		}
		out.Results = append(out.Results, s.decisionOutcome(entry.ID, err))
	}
	return c.JSON(out)
}

func (s *Server) decisionOutcome(id int64, err error) batchResult {
	switch {
	case err == nil:
		return batchResult{ID: id, OK: true}
	case errors.Is(err, errNotWaitingAcceptance), errors.Is(err, models.ErrInvalidTransition), errors.Is(err, models.ErrConflict):
		return batchResult{ID: id, Problem: newProblem(http.StatusConflict, "order-state", "Not possible in the order's state", err.Error())}
	}
	return s.loggedOutcome("decision", id, err)
}
