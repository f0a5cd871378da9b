package mirakl

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Paging limits: Mirakl's offset paging serves 10 by default, 100 at most (inferred).
const (
	fakeDefaultPageSize = 10
	fakeMaxPageSize     = 100
	fakeMaxOrderIDs     = 100
)

var fakeOrderStates = []string{"STAGING", "WAITING_ACCEPTANCE", "WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING", "SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED", "REFUSED", "CANCELED"}

// orderFilter is OR11's query.
type orderFilter struct {
	ids, states              []string
	startUpdate, endUpdate   time.Time
	startCreated, endCreated time.Time
	paginate                 bool
	max, offset              int
	descending               bool
	taxMode                  string
}

// listOrders is OR11 GET /api/orders.
func (f *Fake) listOrders(w http.ResponseWriter, r *http.Request) {
	filter, problem := parseOrderFilter(r.URL.Query())
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if wait := f.throttled(now); wait > 0 {
		writeThrottled(w, wait)
		return
	}
	f.calls["OR11"]++
	if problem != "" {
		writeFakeError(w, http.StatusBadRequest, "", problem)
		return
	}
	var matches []*fakeOrder
	for _, order := range f.ordered {
		order.settle(now)
		if f.matches(order, filter) {
			matches = append(matches, order)
		}
	}
	// Sorted by creation date, then order id (the only sort OR11 offers).
	slices.SortStableFunc(matches, func(a, b *fakeOrder) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return strings.Compare(a.spec.ID, b.spec.ID)
	})
	if filter.descending {
		slices.Reverse(matches)
	}
	total := len(matches)
	page := matches
	if filter.paginate {
		start := min(filter.offset, total)
		page = matches[start:min(start+filter.max, total)]
	}
	answer := fakeOrdersJSON{Orders: make([]fakeOrderJSON, 0, len(page)), TotalCount: total}
	for _, order := range page {
		answer.Orders = append(answer.Orders, order.render(filter.taxMode))
	}
	writeFakeJSON(w, http.StatusOK, answer)
}

// matches applies the filters. start_update_date reaches back by the update delta, as
// Mirakl does so that nothing is missed between two polls.
func (f *Fake) matches(order *fakeOrder, filter orderFilter) bool {
	switch {
	case len(filter.ids) > 0 && !slices.Contains(filter.ids, order.spec.ID):
		return false
	case len(filter.states) > 0 && !slices.Contains(filter.states, order.state):
		return false
	case !filter.startUpdate.IsZero() && order.updated.Before(filter.startUpdate.Add(-f.updateDelta)):
		return false
	case !filter.endUpdate.IsZero() && order.updated.After(filter.endUpdate):
		return false
	case !filter.startCreated.IsZero() && order.created.Before(filter.startCreated):
		return false
	case !filter.endCreated.IsZero() && order.created.After(filter.endCreated):
		return false
	}
	return true
}

// parseOrderFilter reads OR11's parameters; problem says what is wrong, for a 400.
func parseOrderFilter(q url.Values) (orderFilter, string) {
	filter := orderFilter{paginate: q.Get("paginate") != "false", max: fakeDefaultPageSize, taxMode: "TAX_INCLUDED"}
	filter.ids = splitList(q.Get("order_ids"))
	if len(filter.ids) > fakeMaxOrderIDs {
		return filter, "order_ids: at most 100 order ids may be given"
	}
	filter.states = splitList(q.Get("order_state_codes"))
	for _, state := range filter.states {
		if !slices.Contains(fakeOrderStates, state) {
			return filter, "order_state_codes: unknown order state " + state
		}
	}
	for name, into := range map[string]*time.Time{
		"start_update_date": &filter.startUpdate, "end_update_date": &filter.endUpdate,
		"start_date": &filter.startCreated, "end_date": &filter.endCreated,
	} {
		if text := q.Get(name); text != "" {
			t, err := parseTime(text)
			if err != nil {
				return filter, name + ": " + text + " is not an ISO 8601 date"
			}
			*into = t
		}
	}
	if text := q.Get("max"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 {
			return filter, "max must be a positive number"
		}
		filter.max = min(n, fakeMaxPageSize)
	}
	if text := q.Get("offset"); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 {
			return filter, "offset must be zero or more"
		}
		filter.offset = n
	}
	if sort := q.Get("sort"); sort != "" && sort != "dateCreated" {
		return filter, "sort: unknown sort field " + sort
	}
	switch q.Get("order") {
	case "", "asc":
	case "desc":
		filter.descending = true
	default:
		return filter, "order must be asc or desc"
	}
	switch mode := q.Get("order_tax_mode"); mode {
	case "":
	case "TAX_INCLUDED", "TAX_EXCLUDED":
		filter.taxMode = mode // the fake's orders carry no taxes: both modes give the same amounts
	default:
		return filter, "order_tax_mode must be TAX_INCLUDED or TAX_EXCLUDED"
	}
	return filter, ""
}

func splitList(text string) []string {
	var items []string
	for _, item := range strings.Split(text, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}
