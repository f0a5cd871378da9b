package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// connectionSettings is GET /connections/{id}/settings: how the connection treats orders.
func (s *Server) connectionSettings(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	return s.renderSettings(c, fiber.StatusOK, conn, conn.Behaviour(), activationValue(conn), nil)
}

// connectionSettingsSave is POST /connections/{id}/settings.
func (s *Server) connectionSettingsSave(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	args := c.Request().PostArgs()
	var required []string
	for _, v := range args.PeekMulti("required_fields") {
		required = append(required, string(v))
	}
	b := models.Behaviour{
		AutoAccept: c.FormValue("auto_accept") == "1", BlockOutOfStock: c.FormValue("block_out_of_stock") == "1",
		ActiveCountries: strings.FieldsFunc(c.FormValue("active_countries"), func(r rune) bool { return r == ',' || r == ' ' }),
		RequiredFields:  required,
	}
	b.PollIntervalSeconds, _ = strconv.Atoi(c.FormValue("poll_interval"))
	b.TrackingWaitHours, err = strconv.Atoi(strings.TrimSpace(c.FormValue("tracking_wait")))
	if err != nil {
		b.TrackingWaitHours = -1
	}
	activation := strings.TrimSpace(c.FormValue("activation_date"))
	errs := views.FieldErrors{}
	for field, problem := range conn.SetBehaviour(b) {
		errs[field] = errorText(c, problem)
	}
	if conn.State != models.ConnectionDraft && activation != activationValue(conn) {
		date, perr := time.Parse("2006-01-02", activation)
		switch {
		case perr != nil:
			errs["activation_date"] = tr(c, "settings.error.activation_date", map[string]any{"Example": time.Now().Format("2006-01-02")})
		default:
			if err := conn.MoveActivationDate(date, time.Now()); err != nil {
				errs["activation_date"] = errorSentence(c, err)
			}
		}
	}
	if len(errs) > 0 {
		return s.renderSettings(c, fiber.StatusUnprocessableEntity, conn, b, activation, errs)
	}
	if err := models.SaveConnection(c.UserContext(), s.db.Gorm, conn); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.settings_saved"))
	return redirect(c, "/connections/"+strconv.FormatInt(conn.ID, 10))
}

func activationValue(conn *models.Connection) string {
	if conn.ActivationDate == nil {
		return ""
	}
	return conn.ActivationDate.UTC().Format("2006-01-02")
}

func (s *Server) renderSettings(c *fiber.Ctx, status int, conn *models.Connection, b models.Behaviour, activation string, errs views.FieldErrors) error {
	v := views.SettingsView{Conn: conn, CSRF: csrfToken(c), Behaviour: b, ActivationDate: activation, Errors: errs}
	return s.render(c, status, tr(c, "title.settings_of", map[string]any{"Name": conn.Name}), views.ConnectionSettingsPage(v))
}
