package jobs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

func TestBolShipmentThatFailsInProcessingIsShownBlockedWithBolsMessage(t *testing.T) {
	m := openBol(t)
	f := newMarketFlow(t, m)
	m.bol.SetPendingReads(2) // PENDING twice, then bol's verdict
	f.start()
	id := m.addOrder(newOrder{n: 0})
	o := f.waitForOrder(id, "in the store", imported)
	const refusal = "Track and trace 1Z-BAD is not valid for transporter UPS."
	m.bol.FailNextWrite(o.Lines[0].MarketplaceLineID, refusal)
	f.ship(o, "1Z-BAD")

	o = f.waitForOrder(id, "blocked by bol", func(o *models.Order) bool { return o.ShipmentState == models.ShipmentBlocked })
	if o.ShipmentBlockedReason != models.BlockedMarketplaceRejected || !strings.Contains(o.ShipmentBlockedMessage, refusal) {
		t.Fatalf("blocked %s: %q, want bol's message %q", o.ShipmentBlockedReason, o.ShipmentBlockedMessage, refusal)
	}
	if o.Status == models.StatusShipped || len(m.shipments(id)) != 0 {
		t.Fatalf("status %s with %d shipments on bol after a FAILURE", o.Status, len(m.shipments(id)))
	}
	var exchanges []string
	f.db.Gorm.Model(&models.OrderEvent{}).Where("order_id = ? AND kind = ?", o.ID, "shipment_state.blocked").Pluck("exchanges", &exchanges)
	if len(exchanges) != 1 || !strings.Contains(exchanges[0], "/shared/process-status/") || !strings.Contains(exchanges[0], "FAILURE") {
		t.Fatalf("the blocked event does not show bol's process status: %q", exchanges)
	}

	// Retried once corrected, the next write goes through.
	f.retry(o)
	f.waitForOrder(id, "confirmed", confirmed)
	f.expectShipped(id, "UPS", "1Z-BAD")
}

func TestBolTokenExpiringMidRunIsRenewed(t *testing.T) {
	m := openBol(t)
	f := newMarketFlow(t, m)
	f.start()
	first := m.addOrder(newOrder{n: 0})
	f.waitForOrder(first, "in the store", imported)
	tokens := m.bol.Calls("token")

	m.bol.ExpireTokens() // bol answers 401 "Expired JWT" to the token the connector holds
	second := m.addOrder(newOrder{n: 1})
	o := f.waitForOrder(second, "in the store", imported)
	f.ship(o, "3SBOL0000001")
	f.waitForOrder(second, "confirmed", confirmed)
	f.expectShipped(second, "UPS", "3SBOL0000001")
	if m.bol.Calls("token") <= tokens {
		t.Fatalf("no new token was asked for after the expiry (%d token calls)", m.bol.Calls("token"))
	}
	var c models.Connection
	f.db.Gorm.First(&c, f.conn.ID)
	if c.LastPollError != "" {
		t.Fatalf("the connection shows %q after the token was renewed", c.LastPollError)
	}
}

func TestBolRateLimitIsWaitedForAndNothingIsLost(t *testing.T) {
	m := openBol(t)
	f := newMarketFlow(t, m)
	m.bol.SetRateLimit(6, time.Second, true)
	f.start()
	var ids []string
	for i := 0; i < 6; i++ {
		ids = append(ids, m.addOrder(newOrder{n: i}))
	}
	f.shipAll(ids)
	f.expectEachOnce(ids)
}
