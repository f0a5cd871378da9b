package web

import (
	"fmt"
	"math"
	"net/http"
	"sync"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/time/rate"
)

// tokenLimiter keeps one token bucket per API token, in this process.
type tokenLimiter struct {
	mu       sync.Mutex
	perToken map[int64]*rate.Limiter
	rate     rate.Limit
	burst    int
}

func newTokenLimiter(perSecond float64) *tokenLimiter {
	return &tokenLimiter{perToken: map[int64]*rate.Limiter{}, rate: rate.Limit(perSecond), burst: max(1, int(math.Ceil(perSecond*2)))}
}

// apiRateLimit refuses a token's calls beyond its rate with 429 and the wait in Retry-After.
func (s *Server) apiRateLimit(c *fiber.Ctx) error {
	token := currentToken(c)
	s.apiLimiter.mu.Lock()
	limiter, ok := s.apiLimiter.perToken[token.ID]
	if !ok {
		limiter = rate.NewLimiter(s.apiLimiter.rate, s.apiLimiter.burst)
		s.apiLimiter.perToken[token.ID] = limiter
	}
	s.apiLimiter.mu.Unlock()
	reservation := limiter.Reserve()
	if wait := reservation.Delay(); wait > 0 {
		reservation.Cancel()
		seconds := int(math.Ceil(wait.Seconds()))
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(seconds))
		return newProblem(http.StatusTooManyRequests, "rate-limited", "Too many requests",
			fmt.Sprintf("This token may make %g requests per second. Wait %d s (Retry-After) and send fewer, larger batches.", float64(s.apiLimiter.rate), seconds))
	}
	return c.Next()
}
