package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

func TestRefusedShipmentCorrectedAndSentAgain(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	o := app.importedOrder(m.ID, "SHIP-1")
	err := app.db.Gorm.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(o).Updates(map[string]any{"carrier_name": "Colissimo", "tracking_number": "BAD-1"}).Error; err != nil {
			return err
		}
		return o.Transition(context.Background(), tx, models.Transition{Field: models.FieldShipmentState, To: models.ShipmentBlocked,
			Reason: models.BlockedMarketplaceRejected, Cause: "Invalid tracking number", Actor: models.ActorMarketplace,
			Message: "The marketplace refused the shipment: Invalid tracking number. Correct it and send again, or mark it handled."}, time.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	c := app.client()
	c.login("admin@acme.test", testPassword)
	path := fmt.Sprintf("/orders/%d", o.ID)
	page := c.get(path)
	if v, _ := page.doc.Find("#f-resend_tracking").Attr("value"); v != "BAD-1" {
		t.Fatalf("the correction form starts from the shipment: tracking %q\n%s", v, page.text("main"))
	}

	bad := c.post(path+"/resend", url.Values{"resend_carrier": {""}, "resend_tracking": {"6A123"}, "resend_tracking_url": {"not a url"}})
	expectStatus(t, bad, http.StatusUnprocessableEntity)
	if bad.text("#e-resend_carrier") == "" || bad.text("#e-resend_tracking_url") == "" {
		t.Fatalf("errors next to the fields: carrier %q, url %q", bad.text("#e-resend_carrier"), bad.text("#e-resend_tracking_url"))
	}
	if v, _ := bad.doc.Find("#f-resend_tracking").Attr("value"); v != "6A123" {
		t.Fatalf("typed tracking not kept: %q", v)
	}

	expectRedirect(t, c.post(path+"/resend", url.Values{"resend_carrier": {"Colissimo"}, "resend_tracking": {"6A20000000001"}}), path)
	fresh, err := models.MerchantOrder(context.Background(), app.db.Gorm, m.ID, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.ShipmentState != models.ShipmentReady || fresh.TrackingNumber != "6A20000000001" {
		t.Fatalf("after the correction: shipment %s, tracking %s", fresh.ShipmentState, fresh.TrackingNumber)
	}
	if timeline := c.get(path).text(".timeline"); !strings.Contains(timeline, "Shipment corrected by hand: carrier Colissimo, tracking 6A20000000001 (was Colissimo, BAD-1)") {
		t.Fatalf("timeline:\n%s", timeline)
	}
}
