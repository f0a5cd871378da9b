package demo

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"github.com/orderhub/orderhub/jobs/store/woocommerce"
)

// shipPage is the fake store's back-office page: the orders to ship, each with a form to ship
// it with a carrier and tracking number, as a merchant would in WooCommerce.
func shipPage(store *woocommerce.Fake) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			id, err := strconv.ParseInt(r.FormValue("order"), 10, 64)
			if err != nil {
				http.Error(w, "which order? reload the page", http.StatusBadRequest)
				return
			}
			var item *woocommerce.TrackingItem
			if number := r.FormValue("tracking"); number != "" {
				item = &woocommerce.TrackingItem{TrackingProvider: r.FormValue("carrier"), TrackingNumber: number}
			}
			if err := store.CompleteOrder(id, item); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			http.Redirect(w, r, "/demo", http.StatusSeeOther)
			return
		}
		var toShip []woocommerce.FakeOrder
		for _, o := range store.Orders() {
			if o.Status == "processing" {
				toShip = append(toShip, o)
			}
		}
		slices.Reverse(toShip)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = shipTemplate.Execute(w, toShip)
	})
}

var shipTemplate = template.Must(template.New("ship").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo store · orders to ship</title>
<style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2rem auto;padding:0 1rem}
table{width:100%;border-collapse:collapse}td,th{padding:.5rem;border-bottom:1px solid #ddd;text-align:left}
input,select,button{font:inherit;padding:.3rem .5rem}</style></head>
<body><h1>Demo store: orders to ship</h1>
<p>This page stands for the store's back-office. Ship an order here; orderhub sends the shipment to the marketplace by itself.</p>
<table><thead><tr><th>Store order</th><th>Buyer</th><th>Total</th><th>Ship with</th></tr></thead><tbody>
{{range .}}<tr data-store-order="{{.ID}}"><td>#{{.ID}}</td><td>{{.Shipping.FirstName}} {{.Shipping.LastName}}</td><td>{{.Total}} {{.Currency}}</td>
<td><form method="post" action="/demo"><input type="hidden" name="order" value="{{.ID}}">
<select name="carrier" aria-label="Carrier"><option value="colissimo">Colissimo</option><option value="ups">UPS</option><option value="dhl">DHL</option></select>
<input name="tracking" aria-label="Tracking number" placeholder="tracking number (optional)">
<button type="submit">Ship</button></form></td></tr>
{{else}}<tr><td colspan="4">Nothing to ship yet: orders appear here once orderhub has created them.</td></tr>{{end}}
</tbody></table></body></html>`))
