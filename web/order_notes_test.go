package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/views"
)

// teamApp is a merchant, Acme, with two people besides its admin, Ada and Bob, each with a
// browser logged in.
type teamApp struct {
	app      *testApp
	merchant *models.Merchant
	ada, bob *models.User
	adaPage  *client
	bobPage  *client
}

func newTeamApp(t *testing.T) *teamApp {
	t.Helper()
	app := newTestApp(t)
	merchant, _ := app.signUp("Acme", "admin@acme.test")
	f := &teamApp{app: app, merchant: merchant, ada: app.namedUser(merchant.ID, "Ada Lovelace", "ada@acme.test"),
		bob: app.namedUser(merchant.ID, "Bob Stone", "bob@acme.test")}
	f.adaPage, f.bobPage = app.client(), app.client()
	f.adaPage.login("ada@acme.test", testPassword)
	f.bobPage.login("bob@acme.test", testPassword)
	// A page after logging in, for the session's form token.
	f.adaPage.get("/orders")
	f.bobPage.get("/orders")
	return f
}

func (a *testApp) namedUser(merchantID int64, name, email string) *models.User {
	a.t.Helper()
	u, err := models.CreateUser(context.Background(), a.db.Gorm, models.NewUser{MerchantID: &merchantID, Name: name, Email: email,
		Password: testPassword, Role: models.RoleStaff})
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

// notesOn lists the notes an order page shows, as "author: body".
func notesOn(p *page) []string {
	var notes []string
	p.doc.Find("[data-testid=note]").Each(func(_ int, n *goquery.Selection) {
		notes = append(notes, strings.TrimSpace(n.Find(".note-author").Text())+": "+strings.TrimSpace(n.Find(".note-body").Text()))
	})
	return notes
}

func TestNoteIsAddedAndShownToTheTeamWithItsAuthor(t *testing.T) {
	f := newTeamApp(t)
	o := f.app.importedOrder(f.merchant.ID, "NOTE-1")
	path := "/orders/" + strconv.FormatInt(o.ID, 10)

	if got := f.adaPage.get(path).text("[data-testid=no-notes]"); got != "No note yet." {
		t.Fatalf("an order without notes says %q", got)
	}
	expectRedirect(t, f.adaPage.post(path+"/notes", url.Values{"note": {"  Buyer called: leave it at the door.\n"}}), path)
	page := f.adaPage.get(path)
	if got := page.text(".flash span"); got != "Note added." {
		t.Fatalf("flash %q", got)
	}
	expectRedirect(t, f.bobPage.post(path+"/notes", url.Values{"note": {"Door code is 4521."}}), path)

	page = f.bobPage.get(path)
	want := []string{"Bob Stone: Door code is 4521.", "Ada Lovelace: Buyer called: leave it at the door."}
	if got := notesOn(page); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("notes %q, want %q", got, want)
	}
	notes, err := models.OrderNotes(context.Background(), f.app.db.Gorm, f.merchant.ID, o.ID)
	if err != nil || len(notes) != 2 {
		t.Fatalf("notes stored: %v, %v", notes, err)
	}
	if got, want := page.text("[data-testid=note] time"), views.FormatDateTime(context.Background(), notes[0].CreatedAt); got != want {
		t.Fatalf("newest note dated %q, want %q", got, want)
	}
	if timeline := page.text(".timeline"); !strings.Contains(timeline, "Ada Lovelace added a note.") || !strings.Contains(timeline, "Bob Stone added a note.") {
		t.Fatalf("the timeline does not tell of the notes:\n%s", timeline)
	}
}

func TestRefusedNoteShowsWhyNextToTheFieldAndKeepsWhatWasTyped(t *testing.T) {
	f := newTeamApp(t)
	o := f.app.importedOrder(f.merchant.ID, "NOTE-2")
	path := "/orders/" + strconv.FormatInt(o.ID, 10)
	long := strings.Repeat("x", models.MaxNoteLength+1)
	for _, tc := range []struct{ typed, want string }{
		{"   ", "Write the note first."},
		{long, fmt.Sprintf("Keep the note to %d characters: it has %d.", models.MaxNoteLength, models.MaxNoteLength+1)},
	} {
		page := f.adaPage.post(path+"/notes", url.Values{"note": {tc.typed}})
		expectStatus(t, page, http.StatusUnprocessableEntity)
		if got := page.text(".order-notes .field.invalid #e-note"); got != tc.want {
			t.Fatalf("error next to the note %q, want %q", got, tc.want)
		}
		if got := page.doc.Find("textarea#f-note").Text(); got != tc.typed {
			t.Fatalf("the note field holds %d characters, want the %d typed", len(got), len(tc.typed))
		}
		if described, _ := page.doc.Find("textarea#f-note").Attr("aria-describedby"); described != "e-note" {
			t.Fatalf("the field is not described by its error: %q", described)
		}
	}
	if notes, err := models.OrderNotes(context.Background(), f.app.db.Gorm, f.merchant.ID, o.ID); err != nil || len(notes) != 0 {
		t.Fatalf("refused notes were stored: %v, %v", notes, err)
	}
}

func TestTakenOrderShowsWhoIsOnItToTheRestOfTheTeam(t *testing.T) {
	f := newTeamApp(t)
	ctx := context.Background()
	o := f.app.importedOrder(f.merchant.ID, "TAKE-1")
	path := "/orders/" + strconv.FormatInt(o.ID, 10)

	if got := f.bobPage.get(path).text("[data-testid=assignee]"); got != "Nobody is on it." {
		t.Fatalf("a new order: %q", got)
	}
	expectRedirect(t, f.adaPage.post(path+"/assign", nil), path)
	page := f.adaPage.get(path)
	if got := page.text(".flash span"); got != "You are on it: the others see your name." {
		t.Fatalf("flash %q", got)
	}
	if page.doc.Find("form[data-assignment=unassign]").Length() != 1 || page.doc.Find("form[data-assignment=assign]").Length() != 0 {
		t.Fatal("the person on the order is not offered to leave it")
	}
	_, since, err := models.OrderAssignee(ctx, f.app.db.Gorm, f.merchant.ID, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	bobSees := f.bobPage.get(path)
	if got, want := bobSees.text("[data-testid=assignee]"), "Taken by Ada Lovelace since "+views.FormatDateTime(ctx, since); got != want {
		t.Fatalf("Bob sees %q, want %q", got, want)
	}
	if bobSees.doc.Find("form[data-assignment=assign]").Length() != 1 || bobSees.doc.Find("form[data-assignment=unassign]").Length() != 0 {
		t.Fatal("Bob is not offered to take the order over, or is offered to leave Ada's order")
	}
	if !strings.Contains(bobSees.text(".timeline"), "Taken by Ada Lovelace.") {
		t.Fatalf("the timeline does not tell who took the order:\n%s", bobSees.text(".timeline"))
	}

	// Bob cannot leave Ada's order for her; Ada can.
	expectRedirect(t, f.bobPage.post(path+"/unassign", nil), path)
	if got := f.bobPage.get(path).text(".flash span"); got != "Ada Lovelace is on it now, not you: nothing changed." {
		t.Fatalf("Bob leaving Ada's order: flash %q", got)
	}
	expectRedirect(t, f.adaPage.post(path+"/unassign", nil), path)
	if got := f.bobPage.get(path).text("[data-testid=assignee]"); got != "Nobody is on it." {
		t.Fatalf("after Ada left: %q", got)
	}
}

func TestTakenGroupShowsOnTheQueueAndTheGroupPage(t *testing.T) {
	f := newTeamApp(t)
	ctx := context.Background()
	first := f.app.importedOrder(f.merchant.ID, "GROUP-1")
	f.app.blockFor(first, models.BlockedUnknownProduct, "ABC-12", "SKU ABC-12 matches no product of the store.")
	f.app.blockFor(f.app.importedOrder(f.merchant.ID, "GROUP-2"), models.BlockedCountryInactive, "BE", "Belgium is not active.")
	k := models.GroupKey{ConnectionID: first.ConnectionID, Side: models.SideStore, Reason: models.BlockedUnknownProduct, Cause: "ABC-12"}
	key := url.Values{"connection": {strconv.FormatInt(k.ConnectionID, 10)}, "side": {k.Side}, "reason": {k.Reason}, "cause": {k.Cause}}

	expectRedirect(t, f.adaPage.post("/errors/group/assign", key), views.GroupURL(k))

	queue := f.bobPage.get("/errors")
	taken := map[string]string{}
	queue.doc.Find("li.error-group").Each(func(_ int, g *goquery.Selection) {
		taken[g.AttrOr("data-reason", "")] = strings.TrimSpace(g.Find("[data-testid=group-assignee]").Text())
	})
	if want := map[string]string{models.BlockedUnknownProduct: "Taken by Ada Lovelace", models.BlockedCountryInactive: ""}; fmt.Sprint(taken) != fmt.Sprint(want) {
		t.Fatalf("queue shows %v, want %v", taken, want)
	}
	_, since, err := models.GroupAssignee(ctx, f.app.db.Gorm, f.merchant.ID, k)
	if err != nil {
		t.Fatal(err)
	}
	group := f.bobPage.get(views.GroupURL(k))
	if got, want := group.text("[data-testid=assignee]"), "Taken by Ada Lovelace since "+views.FormatDateTime(ctx, since); got != want {
		t.Fatalf("group page shows %q, want %q", got, want)
	}
	if fields := group.doc.Find("form[data-assignment=assign] input[name=cause]"); fields.AttrOr("value", "") != "ABC-12" {
		t.Fatal("the take-over form does not name the group")
	}

	expectRedirect(t, f.adaPage.post("/errors/group/unassign", key), views.GroupURL(k))
	if n := f.bobPage.get("/errors").doc.Find("[data-testid=group-assignee]").Length(); n != 0 {
		t.Fatalf("after Ada left, %d groups still show someone on them", n)
	}
}

func TestAnotherMerchantCannotNoteOrTakeTheOrderNorSeeItsNotes(t *testing.T) {
	f := newTeamApp(t)
	ctx := context.Background()
	o := f.app.importedOrder(f.merchant.ID, "MINE-1")
	f.app.blockFor(o, models.BlockedUnknownProduct, "ABC-12", "SKU ABC-12 matches no product of the store.")
	path := "/orders/" + strconv.FormatInt(o.ID, 10)
	expectRedirect(t, f.adaPage.post(path+"/notes", url.Values{"note": {"Refund agreed with the buyer."}}), path)
	expectRedirect(t, f.adaPage.post(path+"/assign", nil), path)

	other, _ := f.app.signUp("Other", "admin@other.test")
	theirs := f.app.importedOrder(other.ID, "THEIRS-1")
	c := f.app.client()
	c.login("admin@other.test", testPassword)
	expectStatus(t, c.get(path), http.StatusNotFound)
	own := c.get("/orders/" + strconv.FormatInt(theirs.ID, 10)) // a page of their own, for the form token
	expectStatus(t, own, http.StatusOK)
	if notes := notesOn(own); len(notes) != 0 {
		t.Fatalf("the other merchant's order shows notes %q", notes)
	}
	for _, action := range []string{"/notes", "/assign", "/unassign"} {
		expectStatus(t, c.post(path+action, url.Values{"note": {"Mine now."}}), http.StatusNotFound)
	}
	key := url.Values{"connection": {strconv.FormatInt(o.ConnectionID, 10)}, "side": {models.SideStore}, "reason": {models.BlockedUnknownProduct}, "cause": {"ABC-12"}}
	expectStatus(t, c.post("/errors/group/assign", key), http.StatusNotFound)
	expectStatus(t, c.post("/errors/group/unassign", key), http.StatusNotFound)

	notes, err := models.OrderNotes(ctx, f.app.db.Gorm, f.merchant.ID, o.ID)
	if err != nil || len(notes) != 1 || notes[0].Body != "Refund agreed with the buyer." {
		t.Fatalf("Acme's notes: %v, %v", notes, err)
	}
	if user, _, err := models.OrderAssignee(ctx, f.app.db.Gorm, f.merchant.ID, o.ID); err != nil || user == nil || user.ID != f.ada.ID {
		t.Fatalf("Acme's order taken by %v (%v), want Ada still", user, err)
	}
	if user, _, err := models.GroupAssignee(ctx, f.app.db.Gorm, f.merchant.ID, models.GroupKey{ConnectionID: o.ConnectionID,
		Side: models.SideStore, Reason: models.BlockedUnknownProduct, Cause: "ABC-12"}); err != nil || user != nil {
		t.Fatalf("Acme's group taken by %v (%v), want nobody", user, err)
	}
}
