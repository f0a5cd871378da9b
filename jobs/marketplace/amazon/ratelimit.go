package amazon

import (
	"strconv"
	"strings"
	"sync"

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
