package jobs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Mail is one plain-text e-mail.
type Mail struct {
	To      []string
	Subject string
	Body    string
}

// Mailer sends e-mails. The runner takes one in Options; SMTPMailer is the one `serve` uses.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// SMTPMailer sends e-mails through the SMTP server of SMTP_URL: smtp:// upgrades to TLS with
// STARTTLS when the server offers it, smtps:// speaks TLS from the start. Its password is never
// sent in clear: without TLS only challenge mechanisms (SCRAM, CRAM-MD5) may log in.
type SMTPMailer struct {
	from        string
	host        string
	port        int
	implicitTLS bool
	user        string
	password    string
	// RootCAs are the authorities the server's certificate must chain to; nil: the system's.
	RootCAs *x509.CertPool
}

// smtpTimeout bounds connecting to the server and each exchange with it.
const smtpTimeout = 30 * time.Second

// NewSMTPMailer reads an SMTP_URL such as smtp://user:password@host:587 (port 587 unless
// named) or smtps://user:password@host (port 465 unless named); from is the sender address.
func NewSMTPMailer(smtpURL, from string) (*SMTPMailer, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP_URL must be smtp://user:password@host:587 or smtps://user:password@host:465")
	}
	m := &SMTPMailer{from: from, host: u.Hostname(), port: 587, implicitTLS: u.Scheme == "smtps"}
	if m.implicitTLS {
		m.port = 465
	}
	if p := u.Port(); p != "" {
		if m.port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP_URL port %q is not a number", p)
		}
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.password, _ = u.User.Password()
	}
	return m, nil
}

// Send delivers m in one SMTP session, to all its recipients at once.
func (s *SMTPMailer) Send(ctx context.Context, m Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("SMTP_FROM %q: %w", s.from, err)
	}
	if err := msg.To(m.To...); err != nil {
		return err
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	msg.SetUserAgent("orderhub")
	// Tells mail servers and clients not to answer it (out-of-office replies): RFC 3834.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")

	opts := []gomail.Option{
		gomail.WithPort(s.port), gomail.WithTimeout(smtpTimeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: s.host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	if s.implicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user), gomail.WithPassword(s.password))
	}
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return err
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("sending e-mail through %s (check SMTP_URL): %w", client.ServerAddr(), err)
	}
	return nil
}
