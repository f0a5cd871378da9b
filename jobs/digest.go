package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// digestCheckInterval is how often merchants are looked at for a digest that is due; each
// gets at most one every models.DigestInterval.
const digestCheckInterval = 5 * time.Minute

// DigestArgs asks for the digest e-mails that are due: to each merchant with orders blocked
// since its last digest, if that one is at least an hour old.
type DigestArgs struct{}

func (DigestArgs) Kind() string { return "digest" }

// InsertOpts: one attempt; the next run, minutes later, sends what this one could not.
func (DigestArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 1} }

// DigestWorker e-mails each merchant's admins the orders that need them.
type DigestWorker struct {
	river.WorkerDefaults[DigestArgs]
	DB      *gorm.DB
	Mailer  Mailer // nil: orderhub sends no e-mail (no SMTP_URL)
	BaseURL string // the address users open, for the link to the error queue
	Now     func() time.Time
}

// Timeout leaves time for many merchants' e-mails; rescueStuckJobsAfter must stay above it.
func (w *DigestWorker) Timeout(*river.Job[DigestArgs]) time.Duration { return 4 * time.Minute }

func (w *DigestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	sent, err := w.SendDigests(ctx)
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]int{"digests_sent": sent})
}

// SendDigests sends every digest due now and tells how many went out. A merchant whose digest
// could not be sent is tried again at the next run; the others do not wait for it.
func (w *DigestWorker) SendDigests(ctx context.Context) (int, error) {
	if w.Mailer == nil {
		return 0, nil
	}
	now := w.Now()
	ids, err := models.MerchantsDueForDigest(ctx, w.DB, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, id := range ids {
		ok, err := w.sendDigest(ctx, id, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("digest of merchant %d: %w", id, err))
		} else if ok {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// sendDigest records the merchant's digest, then sends it; a failed sending is unrecorded so
// that the next run tries again.
func (w *DigestWorker) sendDigest(ctx context.Context, merchantID int64, now time.Time) (bool, error) {
	d, due, err := models.NextDigest(ctx, w.DB, merchantID, now)
	if err != nil || !due {
		return false, err
	}
	claimed, err := models.ClaimDigest(ctx, w.DB, d, now)
	if err != nil || !claimed {
		return false, err
	}
	if err := w.Mailer.Send(ctx, digestMail(d, w.BaseURL)); err != nil {
		return false, errors.Join(err, models.ReleaseDigest(context.WithoutCancel(ctx), w.DB, d))
	}
	return true, nil
}

// digestGroupsShown bounds the causes listed in one e-mail; the error queue has them all.
const digestGroupsShown = 20

// digestMail writes the digest in English: the pages follow each person's language, the
// e-mail goes to all of a merchant's admins at once.
func digestMail(d *models.Digest, baseURL string) Mail {
	var b strings.Builder
	verb := "need"
	if d.Orders == 1 {
		verb = "needs"
	}
	fmt.Fprintf(&b, "Hello,\n\n%s of %s %s you on orderhub", countOf(d.Orders, "order", "orders"), d.MerchantName, verb)
	if d.New < d.Orders {
		fmt.Fprintf(&b, "; %d of them got blocked since the last e-mail", d.New)
	}
	b.WriteString(".\n\n")
	for i, g := range d.Groups {
		if i == digestGroupsShown {
			fmt.Fprintf(&b, "... and %s more in the error queue.\n\n", countOf(int64(len(d.Groups)-i), "cause", "causes"))
			break
		}
		b.WriteString("- " + digestLine(g) + "\n")
		if message := strings.TrimSpace(g.Message); message != "" {
			b.WriteString("  " + strings.ReplaceAll(message, "\n", "\n  ") + "\n")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Fix them in the error queue: %s/errors\n\n", strings.TrimRight(baseURL, "/"))
	fmt.Fprintf(&b, "-- \norderhub writes to the admins of %s when orders get blocked, at most once an hour.\n", d.MerchantName)
	return Mail{
		To:      d.Recipients,
		Subject: fmt.Sprintf("%s %s you on orderhub", countOf(d.Orders, "order", "orders"), verb),
		Body:    b.String(),
	}
}

// digestLine tells one group in a line: what blocks it, how many orders, where they are
// headed, and the nearest ship-by date.
func digestLine(g models.BlockedGroup) string {
	route := g.ConnectionName + " → store"
	if g.Side == models.SideShipment {
		route = "store → " + g.ConnectionName
	}
	parts := []string{blockedWhat(g.Reason, g.Cause), countOf(g.Count, "order", "orders"), route}
	if g.EarliestShipBy != nil {
		parts = append(parts, "ship by "+g.EarliestShipBy.UTC().Format("2 Jan"))
	}
	return strings.Join(parts, " — ")
}

// blockedWhat names a reason and its cause in a few words.
func blockedWhat(reason, cause string) string {
	list := strings.ReplaceAll(cause, ",", ", ")
	switch {
	case reason == models.BlockedUnknownProduct && cause != "":
		return "SKU " + list + " unknown"
	case reason == models.BlockedOutOfStock && cause != "":
		return "SKU " + list + " out of stock"
	case reason == models.BlockedMissingField && cause != "":
		return list + " missing"
	case reason == models.BlockedCountryInactive && cause != "":
		return "country " + cause + " inactive"
	case reason == models.BlockedCarrierUnmapped && cause != "":
		return "carrier " + cause + " unmapped"
	case reason == models.BlockedStoreRejected && cause != "":
		return "rejected by the store: " + cause
	case reason == models.BlockedMarketplaceRejected && cause != "":
		return "rejected by the marketplace: " + cause
	case cause != "":
		return strings.ReplaceAll(reason, "_", " ") + ": " + cause
	}
	return strings.ReplaceAll(reason, "_", " ")
}

func countOf(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
