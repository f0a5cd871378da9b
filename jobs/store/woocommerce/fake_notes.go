package woocommerce

import (
	"fmt"
	"net/http"
)

// Notes returns an order's notes, newest first as the API lists them.
func (f *Fake) Notes(orderID int64) []FakeNote {
	f.mu.Lock()
	defer f.mu.Unlock()
	order := f.orders[orderID]
	if order == nil {
		return nil
	}
	notes := make([]FakeNote, 0, len(order.notes))
	for i := len(order.notes) - 1; i >= 0; i-- {
		notes = append(notes, f.renderNote(nil, order.id, order.notes[i]))
	}
	return notes
}

// addNote adds a note. Notes are comments in WordPress: they do not move the order's
// date_modified.
func (f *Fake) addNote(order *fakeOrder, text string, customer bool, author string) fakeNote {
	f.nextNoteID++
	note := fakeNote{id: f.nextNoteID, author: author, created: f.now(), note: text, customer: customer}
	order.notes = append(order.notes, note)
	return note
}

func (f *Fake) listNotes(w http.ResponseWriter, r *http.Request, ids []int64) {
	order := f.orders[ids[0]]
	if order == nil {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
		return
	}
	errs := paramErrors{}
	kind := readEnum(r.URL.Query(), "type", "any", []string{"any", "customer", "internal"}, errs)
	if len(errs) > 0 {
		f.writeInvalidParams(w, errs)
		return
	}
	answer := []FakeNote{}
	for i := len(order.notes) - 1; i >= 0; i-- {
		note := order.notes[i]
		if kind == "customer" && !note.customer || kind == "internal" && note.customer {
			continue
		}
		answer = append(answer, f.renderNote(r, order.id, note))
	}
	f.writeJSON(w, http.StatusOK, answer)
}

func (f *Fake) createNote(w http.ResponseWriter, r *http.Request, ids []int64) {
	order := f.orders[ids[0]]
	if order == nil {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
		return
	}
	body, err := readJSONBody(r)
	if err != nil {
		f.writeError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	s := schema{errs: paramErrors{}}
	text := s.str(body, "note", "note", "note")
	customer := s.boolean(body, "customer_note", "customer_note")
	byUser := s.boolean(body, "added_by_user", "added_by_user")
	if len(s.errs) > 0 {
		f.writeInvalidParams(w, s.errs)
		return
	}
	if text == nil || *text == "" {
		f.writeJSON(w, http.StatusBadRequest, &restError{Code: "rest_missing_callback_param", Message: "Missing parameter(s): note",
			Data: map[string]any{"status": http.StatusBadRequest, "params": []string{"note"}}})
		return
	}
	author := "system"
	if byUser {
		author = "admin"
	}
	note := f.addNote(order, *text, customer, author)
	w.Header().Set("Location", fmt.Sprintf("%s/wp-json/wc/v3/orders/%d/notes/%d", baseURL(r), order.id, note.id))
	f.writeJSON(w, http.StatusCreated, f.renderNote(r, order.id, note))
}

func (f *Fake) getNote(w http.ResponseWriter, r *http.Request, ids []int64) {
	order, index := f.findNote(ids[0], ids[1])
	if index < 0 {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_invalid_id", "Invalid resource ID.")
		return
	}
	f.writeJSON(w, http.StatusOK, f.renderNote(r, order.id, order.notes[index]))
}

func (f *Fake) deleteNote(w http.ResponseWriter, r *http.Request, ids []int64) {
	order, index := f.findNote(ids[0], ids[1])
	if index < 0 {
		f.writeError(w, http.StatusNotFound, "woocommerce_rest_invalid_id", "Invalid resource ID.")
		return
	}
	errs := paramErrors{}
	if force := readBool(r.URL.Query(), "force", errs); !force || len(errs) > 0 {
		f.writeError(w, http.StatusNotImplemented, "woocommerce_rest_trash_not_supported", "Resource does not support trashing.")
		return
	}
	answer := f.renderNote(r, order.id, order.notes[index])
	order.notes = append(order.notes[:index:index], order.notes[index+1:]...)
	f.writeJSON(w, http.StatusOK, answer)
}

func (f *Fake) findNote(orderID, noteID int64) (*fakeOrder, int) {
	order := f.orders[orderID]
	if order == nil {
		return nil, -1
	}
	for i, note := range order.notes {
		if note.id == noteID {
			return order, i
		}
	}
	return order, -1
}

func (f *Fake) renderNote(r *http.Request, orderID int64, note fakeNote) FakeNote {
	return FakeNote{
		ID: note.id, Author: note.author,
		DateCreated: f.localDate(note.created), DateCreatedGMT: gmtDate(note.created),
		Note: note.note, CustomerNote: note.customer,
		Links: selfLinks(r, fmt.Sprintf("orders/%d/notes", orderID), note.id, fmt.Sprintf("orders/%d", orderID)),
	}
}
