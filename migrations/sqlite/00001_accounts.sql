-- +goose Up
-- Times are stored as UTC text by the driver; integer ids are SQLite rowids.
CREATE TABLE merchants (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT     NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Support agents work across merchants, so they alone have no merchant.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id   INTEGER REFERENCES merchants (id) ON DELETE CASCADE,
    email         TEXT     NOT NULL,
    name          TEXT     NOT NULL DEFAULT '',
    role          TEXT     NOT NULL CHECK (role IN ('admin', 'staff', 'support')),
    password_hash TEXT     NOT NULL,
    last_login_at DATETIME,
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((role = 'support') = (merchant_id IS NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_merchant_id_idx ON users (merchant_id);

-- Server-side sessions: the cookie carries a signed id only, so a session can be listed and
-- ended from the server.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    data       BLOB     NOT NULL,
    ip         TEXT     NOT NULL DEFAULT '',
    user_agent TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at DATETIME NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- Failed logins, counted per account and per address to throttle guessing.
CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    email      TEXT     NOT NULL,
    ip         TEXT     NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX login_failures_email_idx ON login_failures (email, created_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, created_at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE merchants;
