package amazon

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

// importAll follows ChangedOrders until no page follows, the way the sync job does.
func importAll(t *testing.T, ctx context.Context, c *Client, cursor string) (map[string]models.Order, string, int) {
	t.Helper()
	seen := map[string]models.Order{}
	pages := 0
	for {
		page, err := c.ChangedOrders(ctx, cursor)
		if err != nil {
			t.Fatalf("ChangedOrders after %d pages: %v", pages, err)
		}
		pages++
		for _, o := range page.Orders {
			seen[o.MarketplaceOrderID] = o
		}
		cursor = page.Cursor
		if !page.More {
			return seen, cursor, pages
		}
	}
}

func TestBurstOf500OrdersIsImportedWithinTheRateLimit(t *testing.T) {
	// searchOrders' plan, 0.0056 rps with a burst of 20, runs 2000 times faster: 11.2 rps.
	const scale = 2000
	b := setup(t, scale)
	for i := range 500 {
		o := mfnOrder(fmt.Sprintf("402-%07d-%07d", i, 1000000+i))
		o.Items = o.Items[:1]
		o.Created = time.Now().Add(-time.Hour + time.Duration(i)*time.Second)
		b.fake.AddOrder(o)
	}
	c := b.client(scale, WithPageSize(10))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	start := time.Now()
	orders, _, pages := importAll(t, ctx, c, "")
	if len(orders) != 500 {
		t.Fatalf("imported %d orders, want 500", len(orders))
	}
	if pages != 50 {
		t.Errorf("read %d pages, want 50", pages)
	}
	throttled := b.fake.Throttled(opSearchOrders)
	if throttled > 2 {
		t.Errorf("the fake throttled %d calls, want at most 2", throttled)
	}
	// 20 calls in the burst, then 30 at 90% of 11.2 a second: about 3 s.
	if elapsed := time.Since(start); elapsed < 2*time.Second {
		t.Errorf("50 pages took %v: the client did not keep to the usage plan", elapsed)
	}
	t.Logf("50 pages in %v, %d calls, %d throttled", time.Since(start), b.fake.Calls(opSearchOrders), throttled)
}

func TestOnlyOrdersOfTheConfiguredFulfilmentAreListed(t *testing.T) {
	b := setup(t, 1)
	for i, by := range []string{"MERCHANT", "AMAZON", "MERCHANT", "AMAZON", "MERCHANT"} {
		o := mfnOrder(fmt.Sprintf("403-0000000-000000%d", i))
		o.FulfilledBy = by
		b.fake.AddOrder(o)
	}
	ctx := context.Background()
	mfn, _, _ := importAll(t, ctx, b.client(1), "")
	if len(mfn) != 3 {
		t.Errorf("MFN listed %d orders, want 3", len(mfn))
	}
	b.cfg.Fulfilment = FulfilmentAFN
	afn, _, _ := importAll(t, ctx, b.client(1), "")
	if len(afn) != 2 {
		t.Errorf("AFN listed %d orders, want 2", len(afn))
	}
	for id, o := range mfn {
		if _, both := afn[id]; both {
			t.Errorf("order %s listed for both fulfilments", id)
		}
		if o.FulfilledByMarketplace {
			t.Errorf("MFN order %s flagged fulfilled by Amazon", id)
		}
	}
	for id, o := range afn {
		if !o.FulfilledByMarketplace {
			t.Errorf("AFN order %s not flagged fulfilled by Amazon", id)
		}
	}
}

func TestCursorResumesWithTheNextWindow(t *testing.T) {
	b := setup(t, 1)
	first := mfnOrder("404-0000000-0000001")
	first.Created = time.Now().Add(-time.Hour)
	b.fake.AddOrder(first)
	ctx := context.Background()
	c := b.client(1)
	orders, cursorText, _ := importAll(t, ctx, c, "")
	if _, ok := orders[first.ID]; !ok || len(orders) != 1 {
		t.Fatalf("first window: %v", orders)
	}
	at, err := parseCursor(cursorText)
	if err != nil || at.Token != "" || at.Since.After(time.Now().Add(-settleLag)) || at.Since.Before(time.Now().Add(-settleLag-time.Minute)) {
		t.Fatalf("cursor after the window = %+v (%v), want its start 2 minutes ago", at, err)
	}
	second := mfnOrder("404-0000000-0000002")
	second.Created = time.Now()
	b.fake.AddOrder(second)
	orders, _, _ = importAll(t, ctx, c, cursorText)
	if _, ok := orders[second.ID]; !ok || len(orders) != 1 {
		t.Errorf("second window listed %v, want only %s", keys(orders), second.ID)
	}
	if _, err := c.ChangedOrders(ctx, "not a cursor"); err == nil {
		t.Error("a foreign cursor was accepted")
	}
}

func TestOrderIsReadAndConverted(t *testing.T) {
	b := setup(t, 1)
	o := mfnOrder("405-0000000-0000001")
	o.SellerOrderID = "SHOP-42"
	b.fake.AddOrder(o)
	got, err := b.client(1).Order(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := models.Address{FirstName: "Marie", LastName: "Curie", Street1: "11 rue Pierre et Marie Curie", PostalCode: "75005", City: "Paris", Country: "FR", Phone: "+33 1 00 00 00 00", Email: "abc123@marketplace.amazon.fr"}
	if got.Shipping != want {
		t.Errorf("shipping = %+v, want %+v", got.Shipping, want)
	}
	if got.MarketplaceReference != "SHOP-42" || got.Status != models.StatusWaitingShipment || got.RawStatus != "UNSHIPPED" {
		t.Errorf("reference %q status %q raw %q", got.MarketplaceReference, got.Status, got.RawStatus)
	}
	if got.Currency != "EUR" || got.TotalAmount != 3690 || got.ShippingAmount != 490 {
		t.Errorf("amounts: %s total %d shipping %d, want EUR 3690 490", got.Currency, got.TotalAmount, got.ShippingAmount)
	}
	if len(got.Lines) != 2 || got.Lines[0].SKU != "MUG-RED" || got.Lines[0].Quantity != 2 || got.Lines[0].UnitPrice != 1250 || got.Lines[0].MarketplaceLineID != "11111111111101" {
		t.Errorf("lines = %+v", got.Lines)
	}
	if got.ShipBy == nil {
		t.Error("no ship-by date")
	}
	if _, err := b.client(1).Order(context.Background(), "405-9999999-9999999"); !IsNotFound(err) {
		t.Errorf("unknown order: %v, want not found", err)
	}
}

// An answer carrying another order than the one asked for (a proxy's cache, a mixed-up
// answer) is refused: importing it would file one order under another's id.
func TestOrderRefusesAnotherOrdersAnswer(t *testing.T) {
	b := setup(t, 1)
	other := mfnOrder("405-0000000-0000002")
	b.fake.AddOrder(other)
	const asked = "405-0000000-0000009"
	b.fake.AddOrder(mfnOrder(asked))
	// In front of the fake, a server that answers a read of one order with the other's.
	mixUp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = strings.Replace(r.URL.Path, asked, other.ID, 1)
		b.fake.ServeHTTP(w, r)
	}))
	t.Cleanup(mixUp.Close)
	cfg := b.cfg
	cfg.BaseURL, cfg.LoginURL = mixUp.URL, mixUp.URL+"/auth/o2/token"
	got, err := New(cfg, WithRateScale(1)).Order(context.Background(), asked)
	if err == nil {
		t.Fatalf("asked for %s, the client returned %s", asked, got.MarketplaceOrderID)
	}
	if !strings.Contains(err.Error(), asked) || !strings.Contains(err.Error(), other.ID) || IsNotFound(err) {
		t.Errorf("error = %v, want one naming both orders (and not a not-found)", err)
	}
}

func keys(m map[string]models.Order) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
