package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

func (s *Server) accountSessions(c *fiber.Ctx) error {
	sessions, err := models.UserSessions(c.UserContext(), s.db.Gorm, currentUser(c).ID, time.Now())
	if err != nil {
		return err
	}
	current := currentSession(c).ID
	rows := make([]views.SessionRow, 0, len(sessions))
	for _, session := range sessions {
		rows = append(rows, views.SessionRow{
			Handle: session.Handle(), Browser: browserName(c, session.UserAgent), IP: session.IP,
			StartedAt: session.CreatedAt, LastActive: session.UpdatedAt, Current: session.ID == current,
		})
	}
	return s.render(c, fiber.StatusOK, tr(c, "sessions.title"), views.AccountSessionsPage(csrfToken(c), rows))
}

// accountSessionEnd logs one browser out; ending this browser's session is logging out.
func (s *Server) accountSessionEnd(c *fiber.Ctx) error {
	handle := c.Params("handle")
	current := currentSession(c)
	if current.ID != "" && (&models.Session{ID: current.ID}).Handle() == handle {
		return s.logout(c)
	}
	if err := models.EndUserSession(c.UserContext(), s.db.Gorm, currentUser(c).ID, handle, time.Now()); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.session_ended"))
	return redirect(c, "/account/sessions")
}

func (s *Server) accountSessionsEndOthers(c *fiber.Ctx) error {
	n, err := models.EndUserSessions(c.UserContext(), s.db.Gorm, currentUser(c).ID, currentSession(c).ID)
	if err != nil {
		return err
	}
	setFlash(c, "success", views.TCount(c.UserContext(), "flash.sessions_ended", int(n)))
	return redirect(c, "/account/sessions")
}

// browserName names a browser and its system from a User-Agent header, as a person would
// ("Firefox on Windows"); the tests of each token come in the order that disambiguates them
// (Edge and Opera also say Chrome, Chrome also says Safari).
func browserName(c *fiber.Ctx, userAgent string) string {
	browser := firstMatch(userAgent, [][2]string{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
		{"CriOS/", "Chrome"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"},
	})
	system := firstMatch(userAgent, [][2]string{
		{"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	})
	switch {
	case browser == "":
		return tr(c, "sessions.unknown_browser")
	case system == "":
		return browser
	}
	return tr(c, "sessions.browser_on", map[string]any{"Browser": browser, "System": system})
}

func firstMatch(s string, table [][2]string) string {
	for _, row := range table {
		if strings.Contains(s, row[0]) {
			return row[1]
		}
	}
	return ""
}
