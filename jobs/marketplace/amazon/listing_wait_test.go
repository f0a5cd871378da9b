package amazon

import (
	"context"
	"testing"
	"time"
)

func TestListingWaitKeepsCallsInHandForABurst(t *testing.T) {
	b := setup(t, 1)
	c := b.client(1)
	ctx := context.Background()
	if wait := c.ListingWait(""); wait != 0 {
		t.Fatalf("a fresh account waits %s before its first poll", wait)
	}
	// New polls go while the burst lasts, until only the reserve is left.
	polls := 0
	for c.ListingWait("") == 0 {
		if _, err := c.ChangedOrders(ctx, ""); err != nil {
			t.Fatal(err)
		}
		if polls++; polls > 20 {
			t.Fatal("the poller would go on past the burst")
		}
	}
	if want := 20 - listingReserve; polls != want {
		t.Errorf("%d polls before waiting, want %d (burst 20, %d kept in hand)", polls, want, listingReserve)
	}
	wait := c.ListingWait("")
	if wait < 2*time.Minute || wait > 4*time.Minute {
		t.Errorf("the next poll waits %s; at 0.0056 calls a second it should be about three minutes", wait)
	}
	// The pages of a search under way still go at once, from the reserve.
	if wait := c.ListingWait(cursor{Since: time.Now().Add(-time.Hour), Token: "next-page"}.String()); wait != 0 {
		t.Errorf("a next page waits %s with %d calls in hand", wait, listingReserve)
	}
	if n := b.fake.Throttled(opSearchOrders); n != 0 {
		t.Errorf("%d searchOrders throttled", n)
	}
}
