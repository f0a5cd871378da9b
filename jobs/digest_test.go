package jobs_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/orderhub/orderhub/jobs"
	"github.com/orderhub/orderhub/models"
	"github.com/orderhub/orderhub/models/testdb"
)

// smtpFake is an SMTP server on loopback that keeps the e-mails it is given.
type smtpFake struct {
	addr  string
	roots *x509.CertPool // trust these to verify its certificate

	mu     sync.Mutex
	mails  []receivedMail
	refuse int // how many of the next messages it refuses with a temporary error
}

// receivedMail is one e-mail as the fake received it, its body decoded.
type receivedMail struct {
	EnvelopeFrom string
	EnvelopeTo   []string
	To           []string
	Subject      string
	Body         string
	Header       mail.Header
	TLS          bool   // sent over TLS (STARTTLS or from the start)
	User         string // who logged in; empty: nobody
}

// SMTP modes of the fake.
const (
	smtpStartTLS = "smtp"  // offers STARTTLS; AUTH only after it
	smtpTLS      = "smtps" // TLS from the start
	smtpPlain    = "plain" // neither TLS nor AUTH, as a relay on the same machine
)

const smtpUser, smtpPassword = "orderhub", "s3cret/pass"

func newSMTPFake(t *testing.T, mode string) *smtpFake {
	t.Helper()
	// httptest's certificate is valid for 127.0.0.1.
	https := httptest.NewUnstartedServer(http.NotFoundHandler())
	https.StartTLS()
	certificate := https.TLS.Certificates[0]
	roots := x509.NewCertPool()
	roots.AddCert(https.Certificate())
	https.Close()
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{certificate}}

	f := &smtpFake{roots: roots}
	server := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{fake: f, conn: c, authRequired: mode != smtpPlain}, nil
	}))
	server.Domain = "localhost"
	server.ReadTimeout, server.WriteTimeout = 10*time.Second, 10*time.Second
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = listener.Addr().String()
	switch mode {
	case smtpStartTLS:
		server.TLSConfig = tlsConfig
	case smtpTLS:
		listener = tls.NewListener(listener, tlsConfig)
	}
	go server.Serve(listener)
	t.Cleanup(func() { server.Close() })
	return f
}

// url is the SMTP_URL that reaches the fake in its mode.
func (f *smtpFake) url(mode string) string {
	switch mode {
	case smtpPlain:
		return "smtp://" + f.addr
	case smtpTLS:
		return "smtps://" + smtpUser + ":" + strings.ReplaceAll(smtpPassword, "/", "%2F") + "@" + f.addr
	}
	return "smtp://" + smtpUser + ":" + strings.ReplaceAll(smtpPassword, "/", "%2F") + "@" + f.addr
}

func (f *smtpFake) received() []receivedMail {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.mails)
}

type smtpSession struct {
	fake         *smtpFake
	conn         *smtp.Conn
	authRequired bool
	user         string
	from         string
	to           []string
}

func (s *smtpSession) AuthMechanisms() []string {
	if !s.authRequired {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != smtpUser || password != smtpPassword {
			return errors.New("invalid credentials")
		}
		s.user = username
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.authRequired && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	f := s.fake
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse > 0 {
		f.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := decodeMail(raw)
	if err != nil {
		return err
	}
	_, m.TLS = s.conn.TLSConnectionState()
	m.EnvelopeFrom, m.EnvelopeTo, m.User = s.from, slices.Clone(s.to), s.user
	f.mails = append(f.mails, m)
	return nil
}

func (s *smtpSession) Reset()        { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error { return nil }

func decodeMail(raw []byte) (receivedMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return receivedMail{}, err
	}
	var m receivedMail
	m.Header = msg.Header
	if m.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return m, err
	}
	to, err := msg.Header.AddressList("To")
	if err != nil {
		return m, err
	}
	for _, a := range to {
		m.To = append(m.To, a.Address)
	}
	body := msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	text, err := io.ReadAll(body)
	m.Body = strings.ReplaceAll(string(text), "\r\n", "\n")
	return m, err
}

// digestDay is when the tests' first orders get blocked.
var digestDay = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// digestBundle is two merchants with a connection each, and the digest's clock and mail.
type digestBundle struct {
	t          *testing.T
	db         *models.DB
	smtp       *smtpFake
	mailer     jobs.Mailer
	now        time.Time
	acme, beta *models.Connection
	orders     int
}

func setupDigest(t *testing.T, mode string) *digestBundle {
	t.Helper()
	ctx := context.Background()
	b := &digestBundle{t: t, db: testdb.Open(t), smtp: newSMTPFake(t, mode), now: digestDay}
	mailer, err := jobs.NewSMTPMailer(b.smtp.url(mode), "orderhub <orderhub@example.test>")
	if err != nil {
		t.Fatal(err)
	}
	mailer.RootCAs = b.smtp.roots
	b.mailer = mailer

	acme, _, err := models.SignUp(ctx, b.db.Gorm, "Acme", "Ada", "ada@acme.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []models.NewUser{
		{MerchantID: &acme.ID, Email: "bob@acme.test", Password: "long enough password", Role: models.RoleAdmin},
		{MerchantID: &acme.ID, Email: "sam@acme.test", Password: "long enough password", Role: models.RoleStaff},
	} {
		if _, err := models.CreateUser(ctx, b.db.Gorm, u); err != nil {
			t.Fatal(err)
		}
	}
	beta, _, err := models.SignUp(ctx, b.db.Gorm, "Beta Goods", "Bea", "bea@beta.test", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	b.acme = b.connection(acme.ID, "Fnac FR")
	b.beta = b.connection(beta.ID, "Darty Beta")
	return b
}

func (b *digestBundle) connection(merchantID int64, name string) *models.Connection {
	b.t.Helper()
	c := models.NewConnection(merchantID, name, "mirakl")
	c.StoreKind = "woocommerce"
	if err := models.SaveConnection(context.Background(), b.db.Gorm, c); err != nil {
		b.t.Fatal(err)
	}
	return c
}

// worker is a digest worker as a new process starts it: it knows only the database.
func (b *digestBundle) worker() *jobs.DigestWorker {
	return &jobs.DigestWorker{DB: b.db.Gorm, Mailer: b.mailer, BaseURL: "https://orderhub.example.test/", Now: func() time.Time { return b.now }}
}

// send runs the digest job once and returns the e-mails it sent.
func (b *digestBundle) send() []receivedMail {
	b.t.Helper()
	before := len(b.smtp.received())
	sent, err := b.worker().SendDigests(context.Background())
	if err != nil {
		b.t.Fatalf("sending digests at %v: %v", b.now, err)
	}
	mails := b.smtp.received()[before:]
	if sent != len(mails) {
		b.t.Fatalf("%d digests reported sent, %d received", sent, len(mails))
	}
	return mails
}

// block saves an order of the connection blocked now on one side.
func (b *digestBundle) block(c *models.Connection, side, reason, cause string) {
	b.t.Helper()
	b.orders++
	id := fmt.Sprintf("ORD-%d", b.orders)
	shipBy := digestDay.Add(48 * time.Hour)
	o := &models.Order{
		MerchantID: c.MerchantID, ConnectionID: c.ID, MarketplaceOrderID: id, MarketplaceReference: id,
		Status: models.StatusWaitingShipment, RawStatus: "SHIPPING", PlacedAt: b.now, MarketplaceUpdatedAt: b.now,
		ShipBy: &shipBy, Currency: "EUR", TotalAmount: 2990,
		StoreState: models.StoreImported, ShipmentState: models.ShipmentNone,
		CreatedAt: b.now, UpdatedAt: b.now,
	}
	message := fmt.Sprintf("Blocked by %s: %s.", reason, cause)
	if side == models.SideStore {
		o.StoreState, o.StoreBlockedReason, o.StoreBlockedCause, o.StoreBlockedMessage = models.StoreBlocked, reason, cause, message
	} else {
		o.ShipmentState, o.ShipmentBlockedReason, o.ShipmentBlockedCause, o.ShipmentBlockedMessage = models.ShipmentBlocked, reason, cause, message
	}
	if err := b.db.Gorm.Create(o).Error; err != nil {
		b.t.Fatal(err)
	}
	// Blocked at the test's clock, not the wall clock.
	if err := b.db.Gorm.Model(&models.Order{}).Where("id = ?", o.ID).UpdateColumn("updated_at", b.now).Error; err != nil {
		b.t.Fatal(err)
	}
}

func mailTo(mails []receivedMail, address string) *receivedMail {
	for i := range mails {
		if slices.Contains(mails[i].EnvelopeTo, address) {
			return &mails[i]
		}
	}
	return nil
}

func TestDigestTellsAdminsAtMostOnceAnHourAboutNewlyBlockedOrders(t *testing.T) {
	b := setupDigest(t, smtpStartTLS)
	b.block(b.acme, models.SideStore, models.BlockedUnknownProduct, "ABC-12")
	b.block(b.acme, models.SideStore, models.BlockedUnknownProduct, "ABC-12")
	b.block(b.acme, models.SideShipment, models.BlockedCarrierUnmapped, "Colissimo Express")
	b.block(b.beta, models.SideStore, models.BlockedCountryInactive, "BE")

	mails := b.send()
	if len(mails) != 2 {
		t.Fatalf("%d e-mails, want one per merchant", len(mails))
	}
	acme, beta := mailTo(mails, "ada@acme.test"), mailTo(mails, "bea@beta.test")
	if acme == nil || beta == nil {
		t.Fatalf("recipients: %v and %v", mails[0].EnvelopeTo, mails[1].EnvelopeTo)
	}
	if !slices.Equal(acme.EnvelopeTo, []string{"ada@acme.test", "bob@acme.test"}) || !slices.Equal(acme.To, acme.EnvelopeTo) {
		t.Errorf("Acme's digest goes to its admins only, got envelope %v, To %v", acme.EnvelopeTo, acme.To)
	}
	if !slices.Equal(beta.EnvelopeTo, []string{"bea@beta.test"}) {
		t.Errorf("Beta's digest goes to %v", beta.EnvelopeTo)
	}
	if acme.Subject != "3 orders need you on orderhub" || beta.Subject != "1 order needs you on orderhub" {
		t.Errorf("subjects %q and %q", acme.Subject, beta.Subject)
	}
	if !acme.TLS || acme.User != smtpUser || acme.EnvelopeFrom != "orderhub@example.test" || acme.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("sent with TLS %v, user %q, from %q, Auto-Submitted %q", acme.TLS, acme.User, acme.EnvelopeFrom, acme.Header.Get("Auto-Submitted"))
	}
	for _, want := range []string{
		"3 orders of Acme need you on orderhub.",
		"- SKU ABC-12 unknown — 2 orders — Fnac FR → store — ship by 26 Nov\n  Blocked by unknown_product: ABC-12.",
		"- carrier Colissimo Express unmapped — 1 order — store → Fnac FR — ship by 26 Nov",
		"Fix them in the error queue: https://orderhub.example.test/errors",
	} {
		if !strings.Contains(acme.Body, want) {
			t.Errorf("Acme's digest lacks %q:\n%s", want, acme.Body)
		}
	}
	if !strings.Contains(beta.Body, "- country BE inactive — 1 order — Darty Beta → store") {
		t.Errorf("Beta's digest:\n%s", beta.Body)
	}
	for _, other := range []string{"Beta", "Darty", "BE inactive", "bea@"} {
		if strings.Contains(acme.Body+acme.Subject, other) {
			t.Errorf("Acme's digest mentions Beta's %q:\n%s", other, acme.Body)
		}
	}
	for _, other := range []string{"Acme", "Fnac", "ABC-12", "Colissimo", "ada@", "bob@"} {
		if strings.Contains(beta.Body+beta.Subject, other) {
			t.Errorf("Beta's digest mentions Acme's %q:\n%s", other, beta.Body)
		}
	}

	// Within the hour, a new blocked order waits, even for a process started since.
	b.now = digestDay.Add(20 * time.Minute)
	b.block(b.acme, models.SideStore, models.BlockedMissingField, "phone,email")
	if mails := b.send(); len(mails) != 0 {
		t.Fatalf("a second digest within the hour: %q", mails[0].Subject)
	}
	b.now = digestDay.Add(59 * time.Minute)
	if mails := b.send(); len(mails) != 0 {
		t.Fatalf("a second digest within the hour: %q", mails[0].Subject)
	}

	// After the hour, it goes out; Beta, with nothing new, gets none.
	b.now = digestDay.Add(61 * time.Minute)
	mails = b.send()
	if len(mails) != 1 || mailTo(mails, "ada@acme.test") == nil {
		t.Fatalf("after the hour: %d e-mails, want Acme's alone", len(mails))
	}
	second := mails[0]
	if second.Subject != "4 orders need you on orderhub" ||
		!strings.Contains(second.Body, "4 orders of Acme need you on orderhub; 1 of them got blocked since the last e-mail.") ||
		!strings.Contains(second.Body, "- phone, email missing — 1 order — Fnac FR → store") ||
		!strings.Contains(second.Body, "- SKU ABC-12 unknown — 2 orders") {
		t.Errorf("second digest %q:\n%s", second.Subject, second.Body)
	}

	// Orders already told of are not news: nothing more, hours later.
	b.now = digestDay.Add(5 * time.Hour)
	if mails := b.send(); len(mails) != 0 {
		t.Fatalf("a digest without new blocked orders: %q to %v", mails[0].Subject, mails[0].EnvelopeTo)
	}
	// Blocked again later counts as new.
	b.block(b.beta, models.SideShipment, models.BlockedMarketplaceRejected, "Tracking number invalid")
	mails = b.send()
	if len(mails) != 1 || mailTo(mails, "bea@beta.test") == nil ||
		!strings.Contains(mails[0].Body, "- rejected by the marketplace: Tracking number invalid — 1 order — store → Darty Beta") {
		t.Fatalf("Beta's second digest: %+v", mails)
	}
}

func TestDigestGoesOutOverEachKindOfSMTPServer(t *testing.T) {
	for _, mode := range []string{smtpStartTLS, smtpTLS, smtpPlain} {
		t.Run(mode, func(t *testing.T) {
			b := setupDigest(t, mode)
			b.block(b.acme, models.SideStore, models.BlockedOutOfStock, "LAMP-DESK-01")
			mails := b.send()
			if len(mails) != 1 || !strings.Contains(mails[0].Body, "- SKU LAMP-DESK-01 out of stock — 1 order") {
				t.Fatalf("%d e-mails: %+v", len(mails), mails)
			}
			if wantTLS := mode != smtpPlain; mails[0].TLS != wantTLS || (mails[0].User != "") != wantTLS {
				t.Errorf("TLS %v, logged in as %q", mails[0].TLS, mails[0].User)
			}
		})
	}
}

func TestDigestThatCouldNotBeSentIsSentAtTheNextRun(t *testing.T) {
	b := setupDigest(t, smtpStartTLS)
	ctx := context.Background()
	b.block(b.acme, models.SideStore, models.BlockedUnknownProduct, "ABC-12")

	b.smtp.refuse = 1
	sent, err := b.worker().SendDigests(ctx)
	if err == nil || sent != 0 || !strings.Contains(err.Error(), "try again later") {
		t.Fatalf("refused by the server: sent %d, error %v", sent, err)
	}
	if _, err := models.LastDigest(ctx, b.db.Gorm, b.acme.MerchantID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a digest that was not sent is recorded (%v)", err)
	}
	b.now = b.now.Add(5 * time.Minute)
	if mails := b.send(); len(mails) != 1 || mails[0].Subject != "1 order needs you on orderhub" {
		t.Fatalf("the next run: %+v", mails)
	}

	// The same when a digest had been sent before: the earlier mark stays.
	b.now = b.now.Add(2 * time.Hour)
	b.block(b.acme, models.SideStore, models.BlockedUnknownProduct, "XYZ-9")
	before, err := models.LastDigest(ctx, b.db.Gorm, b.acme.MerchantID)
	if err != nil {
		t.Fatal(err)
	}
	b.smtp.refuse = 1
	if _, err := b.worker().SendDigests(ctx); err == nil {
		t.Fatal("refused, yet no error")
	}
	after, err := models.LastDigest(ctx, b.db.Gorm, b.acme.MerchantID)
	if err != nil || !after.SentAt.Equal(before.SentAt) || after.CoveredOrderID != before.CoveredOrderID {
		t.Fatalf("mark before %+v, after a failed sending %+v (%v)", before, after, err)
	}
	if mails := b.send(); len(mails) != 1 || !strings.Contains(mails[0].Body, "1 of them got blocked since the last e-mail") {
		t.Fatalf("the next run: %+v", mails)
	}
}

func TestTwoRunsAtOnceClaimTheDigestOnce(t *testing.T) {
	b := setupDigest(t, smtpStartTLS)
	ctx := context.Background()
	b.block(b.acme, models.SideStore, models.BlockedUnknownProduct, "ABC-12")
	first, due1, err1 := models.NextDigest(ctx, b.db.Gorm, b.acme.MerchantID, b.now)
	second, due2, err2 := models.NextDigest(ctx, b.db.Gorm, b.acme.MerchantID, b.now)
	if !due1 || !due2 || err1 != nil || err2 != nil {
		t.Fatalf("due %v %v, errors %v %v", due1, due2, err1, err2)
	}
	if claimed, err := models.ClaimDigest(ctx, b.db.Gorm, first, b.now); !claimed || err != nil {
		t.Fatalf("first claim: %v %v", claimed, err)
	}
	if claimed, err := models.ClaimDigest(ctx, b.db.Gorm, second, b.now.Add(time.Second)); claimed || err != nil {
		t.Fatalf("second claim: %v %v", claimed, err)
	}
}

func TestWithoutSMTPNoDigestIsSentAndNothingFails(t *testing.T) {
	b := setupDigest(t, smtpStartTLS)
	ctx := context.Background()
	b.block(b.acme, models.SideStore, models.BlockedUnknownProduct, "ABC-12")
	w := b.worker()
	w.Mailer = nil
	if sent, err := w.SendDigests(ctx); sent != 0 || err != nil {
		t.Fatalf("sent %d, error %v", sent, err)
	}
	// Nothing is recorded either: once SMTP is set up, the digest goes out.
	if _, err := models.LastDigest(ctx, b.db.Gorm, b.acme.MerchantID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("recorded without SMTP (%v)", err)
	}

	// The scheduled job runs and completes all the same.
	runner, err := jobs.New(b.db, jobs.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = runner.Stop(10 * time.Second) })
	waitForDigestJob(t, b.db, "completed")
	if len(b.smtp.received()) != 0 {
		t.Fatal("an e-mail was sent without SMTP_URL")
	}
}

func TestRunnerSendsTheDueDigestsOnStart(t *testing.T) {
	b := setupDigest(t, smtpStartTLS)
	b.block(b.beta, models.SideStore, models.BlockedCountryInactive, "BE")
	runner, err := jobs.New(b.db, jobs.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PollInterval: 100 * time.Millisecond,
		Mailer: b.mailer, BaseURL: "https://orderhub.example.test", Now: func() time.Time { return b.now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = runner.Stop(10 * time.Second) })
	waitForDigestJob(t, b.db, "completed")
	mails := b.smtp.received()
	if len(mails) != 1 || mailTo(mails, "bea@beta.test") == nil || !strings.Contains(mails[0].Body, "https://orderhub.example.test/errors") {
		t.Fatalf("e-mails: %+v", mails)
	}
}

// waitForDigestJob waits for a digest job in the queue to reach the state.
func waitForDigestJob(t *testing.T, db *models.DB, state string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var states []string
		if err := db.Gorm.Raw("SELECT state FROM river_job WHERE kind = ?", jobs.DigestArgs{}.Kind()).Scan(&states).Error; err != nil {
			t.Fatal(err)
		}
		if slices.Contains(states, state) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no digest job %s; digest jobs: %v", state, states)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
