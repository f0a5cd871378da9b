package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

func TestConnectionSettings(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	app.addUser(m.ID, "staff@acme.test", models.RoleStaff)
	conn := app.apiConnection(m.ID, "Fnac")
	start := time.Now().Add(-time.Hour)
	conn.ActivationDate, conn.MarketplaceCursor = &start, "cursor-1"
	if err := models.SaveConnection(context.Background(), app.db.Gorm, conn); err != nil {
		t.Fatal(err)
	}
	c := app.client()
	c.login("admin@acme.test", testPassword)
	path := fmt.Sprintf("/connections/%d/settings", conn.ID)
	form := c.get(path)
	expectStatus(t, form, http.StatusOK)
	if form.doc.Find(`input[name=auto_accept][checked]`).Length() != 1 || form.doc.Find(`input[name=required_fields][value=street][checked]`).Length() != 1 {
		t.Fatal("the form does not show the current settings")
	}

	// Refused: every problem next to its field, the input kept, nothing saved.
	bad := c.post(path, url.Values{"poll_interval": {"7"}, "tracking_wait": {"100"}, "active_countries": {"FR, Belgium"},
		"activation_date": {time.Now().AddDate(0, 0, -45).Format("2006-01-02")}})
	expectStatus(t, bad, http.StatusUnprocessableEntity)
	for _, field := range []string{"poll_interval", "tracking_wait", "active_countries", "activation_date"} {
		if bad.doc.Find(fmt.Sprintf(`.field.invalid [name=%s]`, field)).Length() == 0 {
			t.Errorf("no error shown next to %s", field)
		}
	}
	if !strings.Contains(bad.body, "Belgium") || !strings.Contains(bad.body, "two letters") {
		t.Error("the typed countries or their message are missing")
	}
	if saved, _ := models.MerchantConnection(context.Background(), app.db.Gorm, m.ID, conn.ID); saved.TrackingWaitSeconds != 3*3600 {
		t.Fatalf("a refused form changed the connection: %+v", saved)
	}

	earlier := time.Now().AddDate(0, 0, -10).Format("2006-01-02")
	ok := c.post(path, url.Values{"poll_interval": {"300"}, "tracking_wait": {"6"}, "active_countries": {"fr be,LU"},
		"required_fields": {"name", "phone"}, "block_out_of_stock": {"1"}, "activation_date": {earlier}})
	expectRedirect(t, ok, fmt.Sprintf("/connections/%d", conn.ID))
	saved, _ := models.MerchantConnection(context.Background(), app.db.Gorm, m.ID, conn.ID)
	if saved.AutoAccept || saved.PollIntervalSeconds != 300 || saved.TrackingWaitSeconds != 6*3600 || saved.ActiveCountries != "FR,BE,LU" ||
		saved.RequiredFields != "name,phone" || !saved.BlockOutOfStock || saved.ActivationDate.Format("2006-01-02") != earlier || saved.MarketplaceCursor != "" {
		t.Fatalf("saved settings: %+v", saved)
	}

	staff := app.client()
	staff.login("staff@acme.test", testPassword)
	expectStatus(t, staff.get(path), http.StatusForbidden)
	other, _ := app.signUp("Other", "admin@other.test")
	_ = other
	stranger := app.client()
	stranger.login("admin@other.test", testPassword)
	expectStatus(t, stranger.get(path), http.StatusNotFound)
}
