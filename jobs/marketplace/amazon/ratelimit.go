package amazon

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Operation names, as the API models name them.
const (
	opSearchOrders    = "searchOrders"
	opGetOrder        = "getOrder"
	opConfirmShipment = "confirmShipment"
)

// usagePlan is an operation's documented token bucket: Rate requests a second refill it, up
// to Burst.
type usagePlan struct {
	Rate  float64
	Burst int
}

// usagePlans are the default plans the API models document for each operation.
var usagePlans = map[string]usagePlan{
	opSearchOrders:    {Rate: 0.0056, Burst: 20},
	opGetOrder:        {Rate: 0.5, Burst: 30},
	opConfirmShipment: {Rate: 2, Burst: 10},
}

// pacing is the share of a plan's rate the client uses: calls leave evenly spaced, but
// network latency varies, and a call that travels faster than the one before would otherwise
// reach an empty bucket early and be throttled.
const pacing = 0.9

// opLimiter paces one operation of one seller account.
type opLimiter struct {
	limiter *rate.Limiter
}

// adjust follows the x-amzn-RateLimit-Limit header, the rate Amazon applies to this account
// (higher for some sellers), when an answer carries it.
func (l *opLimiter) adjust(header string) {
	value, err := strconv.ParseFloat(strings.TrimSpace(header), 64)
	if err != nil || value <= 0 {
		return
	}
	if limit := rate.Limit(value * pacing); limit != l.limiter.Limit() {
		l.limiter.SetLimit(limit)
	}
}

// The limiters live as long as the process and are shared by every client of the same
// account, so a client built for each job run does not start again with a full burst the
// API has already spent.
var (
	limitersMu sync.Mutex
	limiters   = map[string]*opLimiter{}
)

func sharedLimiter(key string, plan usagePlan, scale float64) *opLimiter {
	key += "|" + strconv.FormatFloat(scale, 'g', -1, 64)
	limitersMu.Lock()
	defer limitersMu.Unlock()
	if l, ok := limiters[key]; ok {
		return l
	}
	l := &opLimiter{limiter: rate.NewLimiter(rate.Limit(plan.Rate*scale*pacing), plan.Burst)}
	limiters[key] = l
	return l
}

// listingReserve is how many searchOrders calls a new poll leaves in hand, so that the pages
// of a burst of new orders (100 a page) are read at once rather than one every few minutes.
const listingReserve = 5

// ListingWait says how long until searchOrders for cursor can go within the usage plan: a
// page of a search under way needs one call in hand, a new poll one more than the reserve.
// The poller waits that long instead of calling and being throttled.
func (c *Client) ListingWait(cursor string) time.Duration {
	need := float64(listingReserve + 1)
	if at, err := parseCursor(cursor); err == nil && at.Token != "" {
		need = 1
	}
	limiter := c.limits[opSearchOrders].limiter
	tokens := limiter.TokensAt(time.Now())
	if tokens >= need || limiter.Limit() <= 0 {
		return 0
	}
	return time.Duration((need - tokens) / float64(limiter.Limit()) * float64(time.Second))
}
