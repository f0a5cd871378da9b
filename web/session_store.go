package web

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/gob"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"gorm.io/gorm"

	"github.com/orderhub/orderhub/models"
)

// Session lifetimes: a visitor's session only carries a CSRF token; a logged-in one lasts
// until logout or two weeks.
const (
	anonymousSessionTTL = 2 * time.Hour
	sessionTouchEvery   = 5 * time.Minute // how often a used session's last activity is written
	userSessionTTL      = 14 * 24 * time.Hour
)

// dbStore is a gorilla/sessions store keeping session values in the sessions table. The
// cookie carries only the session id, signed and encrypted with keys derived from the secret
// (the current one, or a previous one during a key rotation).
type dbStore struct {
	db      *gorm.DB
	codecs  []securecookie.Codec
	options sessions.Options
}

var _ sessions.Store = (*dbStore)(nil)

// newDBStore takes hash and block key pairs, the current pair first: cookies are made with it,
// and read with whichever pair opens them.
func newDBStore(db *gorm.DB, secure bool, keyPairs ...[]byte) *dbStore {
	return &dbStore{
		db:     db,
		codecs: securecookie.CodecsFromPairs(keyPairs...),
		options: sessions.Options{
			Path:     "/",
			HttpOnly: true,
			Secure:   secure,
			SameSite: http.SameSiteLaxMode,
		},
	}
}

func (s *dbStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or starts an empty one.
func (s *dbStore) New(r *http.Request, name string) (*sessions.Session, error) {
	session := sessions.NewSession(s, name)
	opts := s.options
	session.Options = &opts
	session.IsNew = true
	cookie, err := r.Cookie(name)
	if err != nil {
		return session, nil
	}
	var id string
	if err := securecookie.DecodeMulti(name, cookie.Value, &id, s.codecs...); err != nil {
		return session, nil // forged, or signed with another key: start afresh
	}
	row, err := models.FindSession(r.Context(), s.db, id)
	if err != nil {
		if err == models.ErrNotFound {
			return session, nil
		}
		return session, err
	}
	if err := gob.NewDecoder(bytes.NewReader(row.Data)).Decode(&session.Values); err != nil {
		return session, nil
	}
	if row.UserID != nil && time.Since(row.UpdatedAt) > sessionTouchEvery {
		// The sessions page shows when each was last used; a few minutes' precision will do.
		if err := models.TouchSession(r.Context(), s.db, id, time.Now()); err != nil {
			return session, err
		}
	}
	session.ID = id
	session.IsNew = false
	return session, nil
}

// Save writes the session row and its cookie; MaxAge < 0 deletes both.
func (s *dbStore) Save(r *http.Request, w http.ResponseWriter, session *sessions.Session) error {
	if session.Options.MaxAge < 0 {
		if session.ID != "" {
			if err := models.DeleteSession(r.Context(), s.db, session.ID); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(session.Name(), "", session.Options))
		return nil
	}
	if session.ID == "" {
		session.ID = newSessionID()
	}
	var data bytes.Buffer
	if err := gob.NewEncoder(&data).Encode(session.Values); err != nil {
		return err
	}
	row := &models.Session{ID: session.ID, Data: data.Bytes(), IP: clientIP(r), UserAgent: truncate(r.UserAgent(), 300)}
	ttl := anonymousSessionTTL
	if uid, ok := session.Values[sessionUserID].(int64); ok {
		row.UserID = &uid
		ttl = userSessionTTL
		session.Options.MaxAge = int(ttl.Seconds())
	}
	row.ExpiresAt = time.Now().UTC().Add(ttl)
	if err := models.SaveSession(r.Context(), s.db, row); err != nil {
		return err
	}
	encoded, err := securecookie.EncodeMulti(session.Name(), session.ID, s.codecs...)
	if err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(session.Name(), encoded, session.Options))
	return nil
}

func newSessionID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func clientIP(r *http.Request) string {
	if ip := r.Header.Get(forwardedIPHeader); ip != "" {
		return ip
	}
	return r.RemoteAddr
}

func truncate(s string, max int) string {
	if len(s) > max {
		return s[:max]
	}
	return s
}
