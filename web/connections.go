package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// connectionsList is GET /connections: the merchant's order connections.
func (s *Server) connectionsList(c *fiber.Ctx) error {
	connections, err := models.MerchantConnections(c.UserContext(), s.db.Gorm, currentMerchant(c).ID)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, tr(c, "connections.title"), views.ConnectionsPage(connections, canManage(c)))
}

// connection loads one of the merchant's connections from the :id parameter.
func (s *Server) connection(c *fiber.Ctx) (*models.Connection, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	return models.MerchantConnection(c.UserContext(), s.db.Gorm, currentMerchant(c).ID, int64(id))
}

// connectionShow is GET /connections/{id}: a draft resumes its setup where it stopped; an
// active or paused connection shows its settings and sync status.
func (s *Server) connectionShow(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	if conn.State == models.ConnectionDraft {
		return redirect(c, setupURL(conn, conn.NextSetupStep()))
	}
	runs, err := models.RecentSyncRuns(c.UserContext(), s.db.Gorm, conn.MerchantID, conn.ID, syncRunsShown)
	if err != nil {
		return err
	}
	v := views.ConnectionView{Conn: conn, CSRF: csrfToken(c), IsAdmin: canManage(c), Runs: runs,
		Marketplace: kindLabel(jobs.MarketplaceKindList(), conn.MarketplaceKind), Store: storeLabel(c, conn.StoreKind)}
	if jobs.StoreSendsWebhooks(conn.StoreKind) {
		v.WebhookURL = s.cfg.BaseURL + "/webhooks/stores/" + strconv.FormatInt(conn.ID, 10)
	}
	return s.render(c, fiber.StatusOK, conn.Name, views.ConnectionPage(v))
}

// syncRunsShown bounds the recent syncs on a connection's page.
const syncRunsShown = 15

func setupURL(conn *models.Connection, step string) string {
	return "/connections/" + strconv.FormatInt(conn.ID, 10) + "/setup/" + step
}

// connectionPause is POST /connections/{id}/pause: polls stop; orders already in flight finish.
func (s *Server) connectionPause(c *fiber.Ctx) error {
	return s.changeState(c, func(conn *models.Connection) error { return conn.Pause() }, "flash.paused")
}

// connectionResume is POST /connections/{id}/resume. Another connection may have taken the
// same marketplace account meanwhile: then it stays paused.
func (s *Server) connectionResume(c *fiber.Ctx) error {
	return s.changeState(c, func(conn *models.Connection) error {
		if err := models.CheckAccountFree(c.UserContext(), s.db.Gorm, s.sealer, conn); err != nil {
			return err
		}
		return conn.Resume(time.Now())
	}, "flash.resumed")
}

// changeState applies a change of state; done is the id of the text that says it is done.
func (s *Server) changeState(c *fiber.Ctx, change func(*models.Connection) error, done string) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	if err := change(conn); err != nil {
		var refusal *models.UserError
		if !errors.As(err, &refusal) {
			return err
		}
		message := errorSentence(c, err) // a refusal that says why
		if errors.Is(err, models.ErrInvalidTransition) {
			message = tr(c, "flash.state_not_possible", map[string]any{"State": trOr(c, "connections.state."+conn.State, conn.State)})
		}
		setFlash(c, "error", message)
		return redirect(c, "/connections/"+strconv.FormatInt(conn.ID, 10))
	}
	if err := models.SaveConnection(c.UserContext(), s.db.Gorm, conn); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, done))
	return redirect(c, "/connections/"+strconv.FormatInt(conn.ID, 10))
}

// connectionSyncNow is POST /connections/{id}/sync: read orders and shipments at once.
func (s *Server) connectionSyncNow(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	if conn.State != models.ConnectionActive {
		setFlash(c, "error", tr(c, "flash.sync_inactive"))
		return redirect(c, "/connections/"+strconv.FormatInt(conn.ID, 10))
	}
	if err := s.db.Gorm.WithContext(c.UserContext()).Transaction(func(tx *gorm.DB) error {
		return s.jobs.SyncNow(c.UserContext(), tx, conn.ID)
	}); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.sync_started"))
	return redirect(c, "/connections/"+strconv.FormatInt(conn.ID, 10))
}

func kindLabel(kinds []jobs.Kind, kind string) string {
	if k, ok := jobs.FindKind(kinds, kind); ok {
		return k.Label
	}
	return kind
}

func storeLabel(c *fiber.Ctx, kind string) string {
	if kind == models.StoreKindAPI {
		return tr(c, "connections.store_api")
	}
	return kindLabel(jobs.StoreKindList(), kind)
}

// validWebAddress checks a URL a merchant typed: http(s) with a host.
func validWebAddress(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// checkMessage turns a failed "test connection" into what the merchant should do, in the
// page's language; what the marketplace or the store answered is shown as it came.
func checkMessage(c *fiber.Ctx, err error) string {
	var unreachable *url.Error
	if errors.As(err, &unreachable) {
		return tr(c, "setup.check.unreachable", map[string]any{"Detail": unreachable.Err.Error()})
	}
	return errorText(c, err)
}
