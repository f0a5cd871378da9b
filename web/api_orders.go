package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// Limits of the Store API, each refused with a problem that names it.
const (
	apiPageDefault = 50
	apiPageMax     = 100
	apiBatchMax    = 100
)

type apiOrderList struct {
	Orders     []apiOrder `json:"orders"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

// apiOrdersList is GET /api/v1/orders: by default the orders the shop has to import.
func (s *Server) apiOrdersList(c *fiber.Ctx) error {
	filter, err := s.apiOrderFilter(c)
	if err != nil {
		return err
	}
	limit := filter.Limit
	filter.Limit = limit + 1 // one more tells whether a next page exists
	orders, err := models.APIOrders(c.UserContext(), s.db.Gorm, currentToken(c).MerchantID, filter, time.Now())
	if err != nil {
		return err
	}
	out := apiOrderList{Orders: []apiOrder{}}
	if len(orders) > limit {
		orders = orders[:limit]
		out.NextCursor = encodeCursor(orders[len(orders)-1].ID)
	}
	for i := range orders {
		out.Orders = append(out.Orders, toAPIOrder(&orders[i]))
	}
	return c.JSON(out)
}

func (s *Server) apiOrderFilter(c *fiber.Ctx) (models.APIOrderFilter, error) {
	f := models.APIOrderFilter{Limit: apiPageDefault, ConnectionIDs: currentToken(c).ConnectionIDList()}
	bad := func(detail string) error {
		return newProblem(http.StatusBadRequest, "invalid-parameter", "Invalid query parameter", detail)
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiPageMax {
			return f, bad("limit must be a number from 1 to 100.")
		}
		f.Limit = n
	}
	if v := c.Query("status"); v != "" {
		for _, status := range strings.Split(v, ",") {
			if !slices.Contains(apiStatuses, status) {
				return f, bad("status must be a comma-separated list of: " + strings.Join(apiStatuses, ", ") + ".")
			}
			f.Statuses = append(f.Statuses, status)
		}
	}
	if v := c.Query("acknowledged"); v != "" {
		ack, err := strconv.ParseBool(v)
		if err != nil {
			return f, bad("acknowledged must be true or false.")
		}
		f.Acknowledged = &ack
	}
	if v := c.Query("connection_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !currentToken(c).Allows(id) {
			return f, newProblem(http.StatusNotFound, "not-found", "Not found", "This token has no connection "+v+".")
		}
		f.ConnectionIDs = []int64{id}
	}
	if v := c.Query("updated_since"); v != "" {
		since, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return f, bad("updated_since must be an RFC 3339 time such as 2026-11-24T10:00:00Z.")
		}
		f.UpdatedSince = &since
	}
	if v := c.Query("cursor"); v != "" {
		id, err := decodeCursor(v)
		if err != nil {
			return f, bad("cursor must be a next_cursor value returned by this API.")
		}
		f.AfterID = id
	}
	return f, nil
}

var apiStatuses = []string{models.StatusCreated, models.StatusWaitingAcceptance, models.StatusWaitingShipment,
	models.StatusShipped, models.StatusDelivered, models.StatusRefused, models.StatusCancelled, models.StatusRefunded}

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

func decodeCursor(cursor string) (int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, err
	}
	text, ok := strings.CutPrefix(string(raw), "id:")
	if !ok {
		return 0, errors.New("not a cursor")
	}
	return strconv.ParseInt(text, 10, 64)
}

// apiOrderShow is GET /api/v1/orders/{id}.
func (s *Server) apiOrderShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return models.ErrNotFound
	}
	o, err := s.apiOrder(c, s.db.Gorm, int64(id))
	if err != nil {
		return err
	}
	return c.JSON(toAPIOrder(o))
}

// apiOrder loads an order the token may see: the merchant's, on an allowed connection.
func (s *Server) apiOrder(c *fiber.Ctx, db *gorm.DB, id int64) (*models.Order, error) {
	token := currentToken(c)
	o, err := models.MerchantOrder(c.UserContext(), db, token.MerchantID, id)
	if err != nil {
		return nil, err
	}
	if !token.Allows(o.ConnectionID) {
		return nil, models.ErrNotFound
	}
	return o, nil
}

type acknowledgeRequest struct {
	Orders []struct {
		ID             int64  `json:"id"`
		StoreReference string `json:"store_reference"`
		Status         string `json:"status"`
		Message        string `json:"message"`
	} `json:"orders"`
}

// batchResult is one order's outcome in a batch call.
type batchResult struct {
	ID      int64    `json:"id"`
	OK      bool     `json:"ok"`
	Problem *problem `json:"problem,omitempty"`
}

type batchResponse struct {
	Results []batchResult `json:"results"`
}

// apiOrdersAcknowledge is POST /api/v1/orders/acknowledge. Each order is decided on its own:
// one bad entry does not hold the others back.
func (s *Server) apiOrdersAcknowledge(c *fiber.Ctx) error {
	req, err := parseAcknowledgeRequest(c.Body())
	if err != nil {
		return err
	}
	actor := tokenActor(currentToken(c))
	out := batchResponse{Results: []batchResult{}}
	for _, entry := range req.Orders {
		err := s.db.Gorm.WithContext(c.UserContext()).Transaction(func(tx *gorm.DB) error {
			o, err := s.apiOrder(c, tx, entry.ID)
			if err != nil {
				return err
			}
			if entry.Status == "success" {
				return models.AcknowledgeOrder(c.UserContext(), tx, o, entry.StoreReference, actor, time.Now())
			}
			return models.RejectOrder(c.UserContext(), tx, o, entry.Message, actor, time.Now())
		})
		out.Results = append(out.Results, s.loggedOutcome("acknowledgement", entry.ID, err))
	}
	return c.JSON(out)
}

// parseAcknowledgeRequest reads and checks an acknowledgement batch before any order is
// looked at.
func parseAcknowledgeRequest(body []byte) (acknowledgeRequest, error) {
	var req acknowledgeRequest
	if err := decodeJSON(body, &req); err != nil {
		return req, err
	}
	if err := checkBatch(len(req.Orders)); err != nil {
		return req, err
	}
	for _, entry := range req.Orders {
		if entry.Status != "success" && entry.Status != "error" {
			return req, newProblem(http.StatusBadRequest, "invalid-field", "Invalid field", "Each order's status must be \"success\" or \"error\" (order "+strconv.FormatInt(entry.ID, 10)+").")
		}
		if entry.Status == "success" && strings.TrimSpace(entry.StoreReference) == "" {
			return req, newProblem(http.StatusBadRequest, "invalid-field", "Invalid field", "A successful acknowledgement needs the shop's store_reference (order "+strconv.FormatInt(entry.ID, 10)+").")
		}
	}
	return req, nil
}

type unacknowledgeRequest struct {
	Orders []struct {
		ID int64 `json:"id"`
	} `json:"orders"`
}

// apiOrdersUnacknowledge is POST /api/v1/orders/unacknowledge: the orders are offered again.
func (s *Server) apiOrdersUnacknowledge(c *fiber.Ctx) error {
	var req unacknowledgeRequest
	if err := decodeStrict(c, &req); err != nil {
		return err
	}
	if err := checkBatch(len(req.Orders)); err != nil {
		return err
	}
	actor := tokenActor(currentToken(c))
	out := batchResponse{Results: []batchResult{}}
	for _, entry := range req.Orders {
		err := s.db.Gorm.WithContext(c.UserContext()).Transaction(func(tx *gorm.DB) error {
			o, err := s.apiOrder(c, tx, entry.ID)
			if err != nil {
				return err
			}
			return models.UnacknowledgeOrder(c.UserContext(), tx, o, actor, time.Now())
		})
		out.Results = append(out.Results, s.loggedOutcome("unacknowledgement", entry.ID, err))
	}
	return c.JSON(out)
}

func checkBatch(n int) error {
	if n == 0 {
		return newProblem(http.StatusBadRequest, "empty-batch", "Empty batch", "Send at least one order in \"orders\".")
	}
	if n > apiBatchMax {
		return newProblem(http.StatusRequestEntityTooLarge, "batch-too-large", "Batch too large", "Send at most 100 orders per call.")
	}
	return nil
}

func batchOutcome(id int64, err error) batchResult {
	switch {
	case err == nil:
		return batchResult{ID: id, OK: true}
	case errors.Is(err, models.ErrNotFound):
		return batchResult{ID: id, Problem: newProblem(http.StatusNotFound, "not-found", "Not found", "No order with this id for this token.")}
	case errors.Is(err, models.ErrNotOffered), errors.Is(err, models.ErrAlreadyImported), errors.Is(err, models.ErrConflict):
		return batchResult{ID: id, Problem: newProblem(http.StatusConflict, "order-state", "Not possible in the order's state", err.Error())}
	}
	return batchResult{ID: id, Problem: newProblem(http.StatusInternalServerError, "internal", "Internal error", "Nothing was changed for this order; retry it.")}
}

// loggedOutcome is batchOutcome, with unexpected failures logged for the operators: the
// shop only learns that the order was not changed.
func (s *Server) loggedOutcome(operation string, id int64, err error) batchResult {
	result := batchOutcome(id, err)
	if result.Problem != nil && result.Problem.Status >= 500 {
		s.logger.Error("store API "+operation, "order", id, "err", err)
	}
	return result
}

func tokenActor(t *models.APIToken) string {
	return "api:" + t.Name
}
