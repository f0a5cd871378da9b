package jobs_test

import (
	"testing"
	"time"

	"github.com/orderhub/orderhub/models"
)

func TestAmazonBurstOf500OrdersIsImportedWithinTheDocumentedRateLimit(t *testing.T) {
	m := openAmazonScaled(t, 1) // the usage plans as documented: searchOrders 0.0056/s, burst 20
	f := newMarketFlow(t, m, func(c *models.Connection) { c.BlockOutOfStock = false })
	placed := time.Now().Add(-50 * time.Minute)
	ids := make([]string, 500)
	for i := range ids {
		ids[i] = m.addOrder(newOrder{n: i, placed: placed.Add(time.Duration(i) * 5 * time.Second)})
	}
	f.start()
	// The importer reads them all; the store then gets them at its own pace.
	f.waitFor("500 orders read from Amazon", func() bool {
		var n int64
		f.db.Gorm.Model(&models.Order{}).Where("connection_id = ?", f.conn.ID).Count(&n)
		return n == int64(len(ids))
	})
	time.Sleep(3 * time.Second) // polls go on at the planned pace
	searches := m.amazon.Calls("searchOrders")
	for _, op := range []string{"searchOrders", "getOrder", "confirmShipment"} {
		if n := m.amazon.Throttled(op); n != 0 {
			t.Errorf("%s was throttled %d times", op, n)
		}
	}
	if searches > 20 {
		t.Errorf("%d searchOrders calls: more than the burst of 20 in a few seconds", searches)
	}
	t.Logf("500 orders read in %d searchOrders calls, none throttled", searches)
	for _, id := range ids {
		if f.order(id) == nil {
			t.Fatalf("order %s was not imported", id)
		}
	}
	o := f.waitForOrder(ids[0], "in the store", imported)
	if n := len(f.storeOrders(o)); n != 1 {
		t.Errorf("order %s: %d store orders", ids[0], n)
	}
}
