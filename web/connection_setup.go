package web

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// The wizard that sets a connection up: one step a screen, each saved as it is left, so a
// merchant can stop anywhere and come back (GET /connections/{id} resumes).

// Settings and credentials fields are posted as s_<name> and c_<name>.
const (
	settingPrefix    = "s_"
	credentialPrefix = "c_"
)

// setupMarketplaceNew is GET /connections/new: step 1 of a new connection.
func (s *Server) setupMarketplaceNew(c *fiber.Ctx) error {
	conn := models.NewConnection(currentMerchant(c).ID, "", "mirakl")
	return s.renderSetup(c, fiber.StatusOK, conn, models.StepMarketplace, nil, "")
}

// setupStep is GET /connections/{id}/setup/{step}.
func (s *Server) setupStep(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	step := c.Params("step")
	if !knownStep(step) {
		return fiber.ErrNotFound
	}
	return s.renderSetup(c, fiber.StatusOK, conn, step, nil, "")
}

func knownStep(step string) bool {
	for _, st := range models.SetupSteps {
		if st.Key == step {
			return true
		}
	}
	return false
}

// setupMarketplaceSave is POST /connections (new) and POST /connections/{id}/setup/marketplace.
func (s *Server) setupMarketplaceSave(c *fiber.Ctx) error {
	conn := models.NewConnection(currentMerchant(c).ID, "", "")
	if c.Params("id") != "" {
		var err error
		if conn, err = s.connection(c); err != nil {
			return err
		}
	}
	kind, ok := jobs.FindKind(jobs.MarketplaceKindList(), c.FormValue("marketplace_kind"))
	errs := views.FieldErrors{}
	if !ok {
		errs["marketplace_kind"] = tr(c, "setup.error.marketplace_kind")
	}
	conn.MarketplaceKind = kind.Kind
	conn.Name = strings.TrimSpace(c.FormValue("name"))
	conn.Country = strings.ToUpper(strings.TrimSpace(c.FormValue("country")))
	conn.ShippingMethod = strings.TrimSpace(c.FormValue("shipping_method"))
	conn.Fulfilment = c.FormValue("fulfilment")
	settings := formSettings(c, kind.Settings, settingPrefix)
	conn.MarketplaceSettings = models.EncodeSettings(settings)
	switch {
	case conn.Name == "":
		errs["name"] = tr(c, "setup.error.name")
	case len(conn.Name) > 120:
		errs["name"] = tr(c, "form.max", map[string]any{"Count": 120})
	}
	if !views.KnownCountry(conn.Country) {
		errs["country"] = tr(c, "setup.error.country")
	}
	if conn.Fulfilment == "" && !jobs.OffersMarketplaceFulfilment(conn.MarketplaceKind) {
		conn.Fulfilment = models.FulfilmentMerchant // the only choice: the wizard does not ask
	}
	switch {
	case conn.Fulfilment != models.FulfilmentMerchant && conn.Fulfilment != models.FulfilmentMarketplace:
		errs["fulfilment"] = tr(c, "setup.error.fulfilment")
	case conn.MarketplaceFulfilled() && !jobs.OffersMarketplaceFulfilment(conn.MarketplaceKind):
		errs["fulfilment"] = tr(c, "setup.error.fulfilment_merchant_only")
	case conn.State == models.ConnectionActive:
		// An active connection switching who ships must not meet its twin on the account.
		if err := models.CheckAccountFree(c.UserContext(), s.db.Gorm, s.sealer, conn); err != nil {
			var refusal *models.UserError
			if !errors.As(err, &refusal) {
				return err
			}
			errs["fulfilment"] = errorSentence(c, err)
		}
	}
	checkSettings(c, kind, settings, errs)
	if len(errs) > 0 {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepMarketplace, errs, "")
	}
	if err := models.SaveConnection(c.UserContext(), s.db.Gorm, conn); err != nil {
		return err
	}
	return redirect(c, setupURL(conn, models.StepCredentials))
}

// checkSettings adds to errs what is wrong with a kind's settings as typed.
func checkSettings(c *fiber.Ctx, kind jobs.Kind, settings map[string]string, errs views.FieldErrors) {
	for _, f := range kind.Settings {
		v := settings[f.Name]
		switch {
		case f.Required && v == "":
			errs[settingPrefix+f.Name] = withHint(c, tr(c, "form.required"), kind, f)
		case f.Name == "base_url" && v != "" && !validWebAddress(v):
			errs[settingPrefix+f.Name] = withHint(c, tr(c, "setup.error.web_address"), kind, f)
		}
	}
}

// withHint follows a field's error with the field's hint, which says what to type.
func withHint(c *fiber.Ctx, message string, kind jobs.Kind, f jobs.KindField) string {
	if f.Hint == "" {
		return message
	}
	return message + " " + trOr(c, "setup.connector."+kind.Kind+"."+f.Name+".hint", f.Hint)
}

// formSettings reads a kind's fields from the form.
func formSettings(c *fiber.Ctx, fields []jobs.KindField, prefix string) map[string]string {
	out := map[string]string{}
	for _, f := range fields {
		out[f.Name] = strings.TrimSpace(c.FormValue(prefix + f.Name))
	}
	return out
}

// credentialsFromForm merges the typed credentials over the saved ones: a field left empty
// keeps its saved value, since saved secrets are never shown back.
func (s *Server) credentialsFromForm(c *fiber.Ctx, kind jobs.Kind, saved models.Credentials) (models.Credentials, views.FieldErrors) {
	creds := models.Credentials{}
	errs := views.FieldErrors{}
	for _, f := range kind.Credentials {
		v := strings.TrimSpace(c.FormValue(credentialPrefix + f.Name))
		if v == "" {
			v = saved[f.Name]
		}
		if v == "" && f.Required {
			errs[credentialPrefix+f.Name] = withHint(c, tr(c, "form.required"), kind, f)
		}
		creds[f.Name] = v
	}
	return creds, errs
}

// setupCredentialsSave is POST /connections/{id}/setup/credentials. With test=1 (the "test
// connection" button, through htmx) it only tries the typed credentials and answers with the
// result; otherwise it saves them and goes on.
func (s *Server) setupCredentialsSave(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	kind, ok := jobs.FindKind(jobs.MarketplaceKindList(), conn.MarketplaceKind)
	if !ok {
		return redirect(c, setupURL(conn, models.StepMarketplace))
	}
	saved, _ := conn.MarketplaceCredentialsOpen(s.sealer)
	creds, errs := s.credentialsFromForm(c, kind, saved)
	if len(errs) > 0 {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepCredentials, errs, "")
	}
	trial := *conn
	if err := trial.SetMarketplaceCredentials(s.sealer, creds); err != nil {
		return err
	}
	if c.FormValue("test") == "1" {
		return s.renderCheck(c, conn, models.StepCredentials, s.jobs.CheckMarketplace(c.UserContext(), &trial), "setup.check.marketplace_ok")
	}
	if err := models.SaveConnection(c.UserContext(), s.db.Gorm, &trial); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.marketplace_credentials_saved"))
	return redirect(c, setupURL(&trial, models.StepStore))
}

// renderCheck answers a "test connection": the result box for htmx, or the step's page with
// the result in it when the browser posted the form itself. success is the id of the text
// that says it worked.
func (s *Server) renderCheck(c *fiber.Ctx, conn *models.Connection, step string, err error, success string) error {
	result := views.CheckResult{OK: err == nil}
	if err != nil {
		result.Message = checkMessage(c, err)
	} else {
		result.Message = tr(c, success)
	}
	if c.Get("HX-Request") != "true" {
		return s.renderSetupWith(c, fiber.StatusOK, conn, step, nil, "", &result)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.CheckResultBox(result).Render(c.UserContext(), c.Response().BodyWriter())
}

// setupStoreSave is POST /connections/{id}/setup/store: a store connector with its address
// and credentials (test=1 only tries them), or "my shop uses the API", which makes a token
// limited to this connection and shows it once.
func (s *Server) setupStoreSave(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	storeKind := c.FormValue("store_kind")
	if storeKind == models.StoreKindAPI {
		return s.setupStoreAPI(c, conn)
	}
	kind, ok := jobs.FindKind(jobs.StoreKindList(), storeKind)
	if !ok {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepStore, views.FieldErrors{"store_kind": tr(c, "setup.error.store_kind")}, "")
	}
	trial := *conn
	if trial.StoreKind != kind.Kind {
		trial.StoreCredentials = ""
	}
	trial.StoreKind = kind.Kind
	settings := formSettings(c, kind.Settings, settingPrefix)
	trial.StoreSettings = models.EncodeSettings(settings)
	saved, _ := conn.StoreCredentialsOpen(s.sealer)
	if conn.StoreKind != kind.Kind {
		saved = nil
	}
	creds, errs := s.credentialsFromForm(c, kind, saved)
	checkSettings(c, kind, settings, errs)
	if len(errs) > 0 {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, &trial, models.StepStore, errs, "")
	}
	if err := trial.SetStoreCredentials(s.sealer, creds); err != nil {
		return err
	}
	if c.FormValue("test") == "1" {
		return s.renderCheck(c, &trial, models.StepStore, s.jobs.CheckStore(c.UserContext(), &trial), "setup.check.store_ok")
	}
	err = s.db.Gorm.WithContext(c.UserContext()).Transaction(func(tx *gorm.DB) error {
		if err := models.SaveConnection(c.UserContext(), tx, &trial); err != nil {
			return err
		}
		return s.jobs.SyncCatalogueNow(c.UserContext(), tx, trial.ID)
	})
	if err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.store_saved"))
	return redirect(c, setupURL(&trial, models.StepCarriers))
}

func (s *Server) setupStoreAPI(c *fiber.Ctx, conn *models.Connection) error {
	conn.StoreKind, conn.StoreSettings, conn.StoreCredentials = models.StoreKindAPI, "{}", ""
	var plaintext string
	err := s.db.Gorm.WithContext(c.UserContext()).Transaction(func(tx *gorm.DB) error {
		if err := models.SaveConnection(c.UserContext(), tx, conn); err != nil {
			return err
		}
		user := currentUser(c)
		var err error
		plaintext, _, err = models.CreateAPIToken(c.UserContext(), tx, conn.MerchantID, models.NewAPIToken{
			Name: tr(c, "setup.store.token_name", map[string]any{"Name": conn.Name}), ConnectionIDs: []int64{conn.ID}, CreatedBy: &user.ID})
		return err
	})
	if err != nil {
		return err
	}
	return s.renderSetup(c, fiber.StatusOK, conn, models.StepStore, nil, plaintext)
}

// setupCatalogue is GET /connections/{id}/setup/catalogue: the catalogue sync's progress,
// refreshed by the store step.
func (s *Server) setupCatalogue(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	sizes, err := models.CatalogueSizes(c.UserContext(), s.db.Gorm, conn.MerchantID, []int64{conn.ID})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return views.CatalogueProgress(conn, sizes[conn.ID]).Render(c.UserContext(), c.Response().BodyWriter())
}

// setupActivate is POST /connections/{id}/setup/activate.
func (s *Server) setupActivate(c *fiber.Ctx) error {
	conn, err := s.connection(c)
	if err != nil {
		return err
	}
	date, perr := time.Parse("2006-01-02", c.FormValue("activation_date"))
	if perr != nil {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepActivate,
			views.FieldErrors{"activation_date": tr(c, "setup.error.activation_date", map[string]any{"Example": time.Now().Format("2006-01-02")})}, "")
	}
	now := time.Now()
	if sameDay(date, now) {
		date = now // today: from now on, not from midnight
	}
	if err := models.CheckAccountFree(c.UserContext(), s.db.Gorm, s.sealer, conn); err != nil {
		var refusal *models.UserError
		if !errors.As(err, &refusal) {
			return err
		}
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepActivate, views.FieldErrors{"activation_date": errorSentence(c, err)}, "")
	}
	if err := conn.Activate(date, now); err != nil {
		return s.renderSetup(c, fiber.StatusUnprocessableEntity, conn, models.StepActivate, views.FieldErrors{"activation_date": errorSentence(c, err)}, "")
	}
	if err := models.SaveConnection(c.UserContext(), s.db.Gorm, conn); err != nil {
		return err
	}
	setFlash(c, "success", tr(c, "flash.activated", map[string]any{"Name": conn.Name, "Date": views.FormatDate(c.UserContext(), date)}))
	return redirect(c, "/connections/"+strconv.FormatInt(conn.ID, 10))
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// renderSetup shows one step of the wizard.
func (s *Server) renderSetup(c *fiber.Ctx, status int, conn *models.Connection, step string, errs views.FieldErrors, newToken string) error {
	return s.renderSetupWith(c, status, conn, step, errs, newToken, nil)
}

func (s *Server) renderSetupWith(c *fiber.Ctx, status int, conn *models.Connection, step string, errs views.FieldErrors, newToken string, check *views.CheckResult) error {
	v := views.SetupView{Conn: conn, Step: step, CSRF: csrfToken(c), Errors: errs, NewToken: newToken, Check: check,
		MarketplaceKinds: jobs.MarketplaceKindList(), StoreKinds: jobs.StoreKindList(),
		MarketplaceSettings: models.Settings(conn.MarketplaceSettings), StoreSettings: models.Settings(conn.StoreSettings),
		Form: formValues(c)}
	if creds, err := conn.MarketplaceCredentialsOpen(s.sealer); err == nil {
		v.MarketplaceSecrets = maskAll(creds)
	}
	if creds, err := conn.StoreCredentialsOpen(s.sealer); err == nil {
		v.StoreSecrets = maskAll(creds)
	}
	switch step {
	case models.StepCarriers:
		if err := s.carrierStepData(c, conn, &v); err != nil {
			return err
		}
	case models.StepTestOrder:
		var err error
		if v.Products, err = models.SearchProducts(c.UserContext(), s.db.Gorm, conn, "", 10); err != nil {
			return err
		}
		if v.TestOrders, err = models.TestOrders(c.UserContext(), s.db.Gorm, conn, testOrdersShown); err != nil {
			return err
		}
	}
	title := tr(c, "common.new_connection")
	if conn.Name != "" {
		title = tr(c, "setup.title", map[string]any{"Name": conn.Name})
	}
	return s.render(c, status, title, views.SetupPage(v))
}

// formValues keeps what was posted, so a refused form shows the input again.
func formValues(c *fiber.Ctx) map[string]string {
	out := map[string]string{}
	if c.Method() != fiber.MethodPost {
		if c.Query("marketplace_kind") != "" || c.Query("store_kind") != "" { // a step asked for again for another kind
			c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) { out[string(k)] = string(v) })
		}
		return out
	}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		out[string(k)] = string(v) // copied: fasthttp reuses its buffers
	})
	return out
}

func maskAll(creds models.Credentials) map[string]string {
	out := map[string]string{}
	for k, v := range creds {
		if v != "" {
			out[k] = models.Mask(v)
		}
	}
	return out
}
