package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/orderhub/orderhub/models"
)

// Each limit answers with an error that names it and says what to do, and changes nothing.
func TestLimitsAnswerWithAClearError(t *testing.T) {
	app := newTestApp(t)
	m, _ := app.signUp("Acme", "admin@acme.test")
	conn := app.apiConnection(m.ID, "Fnac → custom shop")
	token := app.token(m.ID)
	order := app.orderOn(conn, "ACME-1-A", "WAITING_SHIPMENT")

	// A body over 1 MB, to the API: a problem naming the limit.
	big := `{"orders":[` + strings.Repeat(fmt.Sprintf(`{"id":%d},`, order.ID), 150000) + `{"id":1}]}`
	res := app.api(http.MethodPost, "/api/v1/orders/acknowledge", token, big)
	if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(res.body), "1 MiB") {
		t.Errorf("API body over 1 MB: %d %s", res.status, res.body)
	}

	// More orders in one call than a batch takes.
	var entries []string
	for i := range 101 {
		entries = append(entries, fmt.Sprintf(`{"id":%d}`, i+1))
	}
	res = app.api(http.MethodPost, "/api/v1/orders/acknowledge", token, `{"orders":[`+strings.Join(entries, ",")+`]}`)
	if res.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(res.body), "at most 100 orders") {
		t.Errorf("a batch of 101 orders: %d %s", res.status, res.body)
	}

	// A page size over the maximum.
	res = app.api(http.MethodGet, "/api/v1/orders?limit=1000", token, "")
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "1 to 100") {
		t.Errorf("limit=1000: %d %s", res.status, res.body)
	}

	// A form over 1 MB, to a page: the error page says so, and the note is not saved.
	admin := app.client()
	admin.login("admin@acme.test", testPassword)
	admin.get(fmt.Sprintf("/orders/%d", order.ID))
	p := admin.post(fmt.Sprintf("/orders/%d/notes", order.ID), url.Values{"body": {strings.Repeat("a", 1<<20+10)}})
	if p.status != http.StatusRequestEntityTooLarge || !strings.Contains(p.text("main"), "at most 1 MB") {
		t.Errorf("a form over 1 MB: %d %q", p.status, p.text("main"))
	}
	var notes int64
	if err := app.db.Gorm.Model(&models.OrderNote{}).Count(&notes).Error; err != nil || notes != 0 {
		t.Errorf("%d notes saved from refused forms (%v)", notes, err)
	}
	if acknowledged := app.reload(order).AcknowledgedAt; acknowledged != nil {
		t.Errorf("the order was acknowledged by a refused request")
	}
}
