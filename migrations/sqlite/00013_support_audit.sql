-- +goose Up
-- What support agents did in merchants' accounts: who, in which merchant, what (the request),
-- and the state of what it touched before and after. Merchants read their own.
CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id  INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    before_state TEXT NOT NULL DEFAULT '',
    after_state  TEXT NOT NULL DEFAULT '',
    status       INTEGER NOT NULL DEFAULT 0,
    at           DATETIME NOT NULL
);
CREATE INDEX audit_events_merchant_idx ON audit_events (merchant_id, at DESC);

-- +goose Down
DROP TABLE audit_events;
