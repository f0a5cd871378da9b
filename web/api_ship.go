package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

type shipRequest struct {
	Orders []struct {
		ID             int64      `json:"id"`
		Carrier        string     `json:"carrier"`
		TrackingNumber string     `json:"tracking_number"`
		TrackingURL    string     `json:"tracking_url"`
		Lines          []shipLine `json:"lines"`
	} `json:"orders"`
}

// shipLine names a line of the order in the shipment; no quantity means all of it.
type shipLine struct {
	ID       int64 `json:"id"`
	Quantity int   `json:"quantity"`
}

// shipResult tells, per order, whether the shipment was taken and where it stands.
type shipResult struct {
	ID            int64    `json:"id"`
	OK            bool     `json:"ok"`
	ShipmentState string   `json:"shipment_state,omitempty"`
	Problem       *problem `json:"problem,omitempty"`
}

// apiOrdersShip is POST /api/v1/orders/ship. It answers at once: the shipment goes to the
// marketplace in the background, once, with the carrier mapped by the connection's rules;
// the order's shipment_state shows its progress.
func (s *Server) apiOrdersShip(c *fiber.Ctx) error {
	req, err := parseShipRequest(c.Body())
	if err != nil {
		return err
	}
	out := struct {
		Results []shipResult `json:"results"`
	}{Results: []shipResult{}}
	for _, entry := range req.Orders {
		var state string
		err := s.db.Gorm.WithContext(c.UserContext()).Transaction(func(tx *gorm.DB) error {
			o, err := s.apiOrder(c, tx, entry.ID)
			if err != nil {
				return err
			}
			if err := wholeOrder(o, entry.Lines); err != nil {
				return err
			}
			if err := shippable(o, entry.TrackingNumber); err != nil || o.ShipmentState != models.ShipmentNone && o.ShipmentState != models.ShipmentAwaitingTracking {
				state = o.ShipmentState
				return err // nil: the same shipment again, already taken
			}
			conn, err := models.MerchantConnection(c.UserContext(), tx, o.MerchantID, o.ConnectionID)
			if err != nil {
				return err
			}
			now := time.Now().UTC()
			shipment := models.StoreShipment{StoreOrderID: o.StoreOrderID, RawStatus: "shipped through the Store API", Shipped: true,
				Carrier: strings.TrimSpace(entry.Carrier), TrackingNumber: strings.TrimSpace(entry.TrackingNumber), TrackingURL: entry.TrackingURL, ShippedAt: &now}
			if err := s.jobs.ShipmentReported(c.UserContext(), tx, o, shipment, conn.TrackingWait()); err != nil {
				return err
			}
			state = o.ShipmentState
			return nil
		})
		result := shipResult{ID: entry.ID, OK: err == nil, ShipmentState: state}
		if err != nil {
			result.Problem = shipProblem(err)
			if result.Problem.Status >= 500 {
				s.logger.Error("store API shipment", "order", entry.ID, "err", err)
			}
		}
		out.Results = append(out.Results, result)
	}
	return c.JSON(out)
}

// parseShipRequest reads and checks a shipment batch before any order is looked at.
func parseShipRequest(body []byte) (shipRequest, error) {
	var req shipRequest
	if err := decodeJSON(body, &req); err != nil {
		return req, err
	}
	if err := checkBatch(len(req.Orders)); err != nil {
		return req, err
	}
	for _, entry := range req.Orders {
		if entry.TrackingURL != "" {
			u, err := url.Parse(entry.TrackingURL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return req, newProblem(http.StatusBadRequest, "invalid-field", "Invalid field",
					"tracking_url must be a web address such as https://carrier.example/track/123 (order "+strconv.FormatInt(entry.ID, 10)+").")
			}
		}
	}
	return req, nil
}

var (
	errNotAcknowledged = errors.New("acknowledge the order before shipping it")
	errNotShippable    = errors.New("the order is not waiting shipment on the marketplace (cancelled, refused or already shipped there): do not ship it")
	errShippedOtherway = errors.New("the order was already shipped with another tracking number")
)

// shippable checks the shop may ship the order now; the same shipment sent twice is fine.
func shippable(o *models.Order, tracking string) error {
	switch {
	case o.StoreState != models.StoreImported:
		return errNotAcknowledged
	case o.ShipmentState != models.ShipmentNone && o.ShipmentState != models.ShipmentAwaitingTracking:
		if o.TrackingNumber == strings.TrimSpace(tracking) {
			return nil
		}
		return errShippedOtherway
	case o.Status != models.StatusWaitingShipment:
		return errNotShippable
	}
	return nil
}

// lineError is a shipment's lines that do not match the order.
type lineError struct{ detail string }

func (e lineError) Error() string { return e.detail }

// errPartialShipment: the marketplace takes an order's shipped status once, for the whole
// order, so orderhub sends a shipment when every line has left.
var errPartialShipment = errors.New("orderhub sends the shipment of the whole order, once: the marketplace accepts the shipped status a single time. Report the shipment when every line has shipped (leave out lines, or list them all with their full quantities)")

// wholeOrder checks that the lines given, if any, are the order's lines in full.
func wholeOrder(o *models.Order, lines []shipLine) error {
	if len(lines) == 0 {
		return nil
	}
	ordered := map[int64]int{}
	for _, l := range o.Lines {
		ordered[l.ID] = l.Quantity
	}
	shipped := map[int64]int{}
	for _, l := range lines {
		want, ok := ordered[l.ID]
		switch {
		case !ok:
			return lineError{fmt.Sprintf("line %d is not a line of order %d; use the line ids the order shows", l.ID, o.ID)}
		case l.Quantity < 0 || l.Quantity > want:
			return lineError{fmt.Sprintf("line %d has quantity %d ordered; the shipment says %d", l.ID, want, l.Quantity)}
		case l.Quantity == 0:
			shipped[l.ID] += want
		default:
			shipped[l.ID] += l.Quantity
		}
		if shipped[l.ID] > want {
			return lineError{fmt.Sprintf("line %d has quantity %d ordered; the shipment lists more", l.ID, want)}
		}
	}
	for id, want := range ordered {
		if shipped[id] != want {
			return errPartialShipment
		}
	}
	return nil
}

func shipProblem(err error) *problem {
	var lineErr lineError
	switch {
	case errors.As(err, &lineErr):
		return newProblem(http.StatusUnprocessableEntity, "invalid-lines", "Lines do not match the order", lineErr.detail)
	case errors.Is(err, errPartialShipment):
		return newProblem(http.StatusUnprocessableEntity, "partial-shipment", "Partial shipments are not sent", err.Error())
	case errors.Is(err, errNotAcknowledged), errors.Is(err, errNotShippable), errors.Is(err, errShippedOtherway),
		errors.Is(err, models.ErrConflict), errors.Is(err, models.ErrInvalidTransition):
		return newProblem(http.StatusConflict, "order-state", "Not possible in the order's state", err.Error())
	}
	return batchOutcome(0, err).Problem
}
