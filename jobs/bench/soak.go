package bench

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// SoakOptions add faults and restarts to a run.
type SoakOptions struct {
	FaultRate       float64       // share of API calls that fail (0.1)
	RetryAfter      time.Duration // Retry-After of the injected 429s (1 s)
	Hang            time.Duration // how long an injected timeout holds the call (5 s)
	KillEvery       time.Duration // one orderhub process is killed and restarted this often (30 s)
	FaultsAfterFeed time.Duration // faults and kills go on at least this long after the last order is fed, and until all but a few orders are through (see caughtUp; two poll intervals)
	SettleWithin    time.Duration // every order must be final this soon after they stop (two poll intervals)
}

func (s *SoakOptions) defaults() {
	if s.FaultRate == 0 {
		s.FaultRate = 0.1
	}
	if s.RetryAfter == 0 {
		s.RetryAfter = time.Second
	}
	if s.Hang == 0 {
		s.Hang = 5 * time.Second
	}
	if s.KillEvery == 0 {
		s.KillEvery = 30 * time.Second
	}
}

// SoakResult is what the soak did to orderhub.
type SoakResult struct {
	Faults        map[string]int `json:"faults"` // injected, by kind
	Kills         int            `json:"kills"`
	FaultsStopped float64        `json:"faults_stopped_at_s"`   // seconds into the run
	SettledAfter  float64        `json:"settled_after_s"`       // seconds after the faults stopped
	SettleWithin  float64        `json:"settle_within_s"`       // the limit
	OrphanedJobs  int64          `json:"orphaned_running_jobs"` // left "running" by killed processes, rescued later by River
}

type soakRun struct {
	r       *run
	start   time.Time
	mu      sync.Mutex
	killed  []*node
	result  *SoakResult
	stopped time.Time
	settled time.Time
}

// startSoak arms the faults on every fake and starts killing processes; both stop once the
// feed is done, FaultsAfterFeed has passed and all but a few orders are through (caughtUp).
func (r *run) startSoak(ctx context.Context, feedDone <-chan struct{}) *soakRun {
	o := r.opts.Soak
	if o.FaultsAfterFeed == 0 {
		o.FaultsAfterFeed = 2 * r.opts.PollInterval
	}
	if o.SettleWithin == 0 {
		o.SettleWithin = 2 * r.opts.PollInterval
	}
	s := &soakRun{r: r, start: time.Now(), result: &SoakResult{SettleWithin: o.SettleWithin.Seconds()}}
	for _, shop := range r.shops {
		shop.faults.InjectRandomly(o.FaultRate, o.RetryAfter, o.Hang)
	}
	go func() {
		kills := time.NewTicker(o.KillEvery)
		defer kills.Stop()
		check := time.NewTicker(time.Second)
		defer check.Stop()
		var fedAt time.Time
		for turn := 0; ; turn++ {
			select {
			case <-ctx.Done():
				return
			case <-feedDone:
				feedDone, fedAt = nil, time.Now()
			case <-check.C:
				if !fedAt.IsZero() && time.Since(fedAt) >= o.FaultsAfterFeed && s.caughtUp() {
					s.stopFaults()
					return
				}
			case <-kills.C:
				if err := s.killAndRestart(ctx, turn); err != nil {
					fmt.Fprintf(r.opts.Out, "  restarting a process failed: %v\n", err)
				}
			}
		}
	}()
	return s
}

// caughtUp reports whether orderhub has taken all but a few orders through: at most 1 % of
// them, and no more than it confirms in a quarter of the settle window at the rate seen so
// far. The faults stop then, so that the orders left are those the faults held up, not a
// queue (1 % of 100 000 orders is more than a 60 s window clears at tens of orders a second).
func (s *soakRun) caughtUp() bool {
	_, _, _, confirmed := s.r.counts()
	left := s.r.opts.Orders - confirmed
	rate := float64(confirmed) / time.Since(s.start).Seconds()
	return left*100 <= s.r.opts.Orders && float64(left) <= rate*s.result.SettleWithin/4
}

// killAndRestart kills one orderhub process (in turn) with SIGKILL and starts a new one.
func (s *soakRun) killAndRestart(ctx context.Context, turn int) error {
	r := s.r
	r.mu.Lock()
	i := turn % len(r.nodes)
	victim := r.nodes[i]
	r.mu.Unlock()
	victim.sampleRSS()
	victim.kill()
	s.mu.Lock()
	s.killed = append(s.killed, victim)
	s.result.Kills++
	s.mu.Unlock()
	fmt.Fprintf(r.opts.Out, "  %5.0fs  killed %s\n", time.Since(s.start).Seconds(), victim.name)
	n, err := startNode(ctx, fmt.Sprintf("%s.%d", strings.SplitN(victim.name, ".", 2)[0], turn+1), r.opts.Command, r.env, r.logDir)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.nodes[i] = n
	r.mu.Unlock()
	return nil
}

func (s *soakRun) stopFaults() {
	for _, shop := range s.r.shops {
		shop.faults.InjectRandomly(0, 0, 0)
	}
	s.mu.Lock()
	s.stopped = time.Now()
	s.result.FaultsStopped = s.stopped.Sub(s.start).Seconds()
	s.mu.Unlock()
	fmt.Fprintf(s.r.opts.Out, "  %5.0fs  faults and kills stopped\n", time.Since(s.start).Seconds())
}

// finished notes when every order became final.
func (s *soakRun) finished(at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settled = at
}

func (s *soakRun) killedNodes() []*node {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*node(nil), s.killed...)
}

// finish fills in the result once the run is over.
func (s *soakRun) finish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.result.Faults = map[string]int{}
	for _, shop := range s.r.shops {
		for kind, n := range shop.faults.Injected() {
			s.result.Faults[kind] += n
		}
	}
	if !s.stopped.IsZero() && !s.settled.IsZero() {
		s.result.SettledAfter = max(0, s.settled.Sub(s.stopped).Seconds())
	}
}

func (res *SoakResult) print(w io.Writer) {
	kinds := make([]string, 0, len(res.Faults))
	total := 0
	for kind, n := range res.Faults {
		kinds = append(kinds, fmt.Sprintf("%s %d", faultNames[kind], n))
		total += n
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "soak: %d faults injected (%s), %d processes killed and restarted; faults stopped at %.0fs, every order final %.0fs later (limit %.0fs); %d jobs left running by killed processes (River rescues them)\n",
		total, strings.Join(kinds, ", "), res.Kills, res.FaultsStopped, res.SettledAfter, res.SettleWithin, res.OrphanedJobs)
}

var faultNames = map[string]string{"status": "503", "throttle": "429 with Retry-After", "lose": "answer lost after the work", "hang": "timeout"}
