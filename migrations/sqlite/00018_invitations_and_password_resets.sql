-- +goose Up
-- Invitations to join a merchant's team. The link's token is kept only as its SHA-256 hash;
-- an invitation is pending until used, revoked or expired.
CREATE TABLE invitations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id   INTEGER     NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    email         TEXT        NOT NULL,
    name          TEXT        NOT NULL DEFAULT '',
    role          TEXT        NOT NULL CHECK (role IN ('admin', 'staff')),
    token_hash    TEXT        NOT NULL,
    invited_by_id INTEGER     REFERENCES users (id) ON DELETE SET NULL,
    expires_at    DATETIME    NOT NULL,
    used_at       DATETIME,
    revoked_at    DATETIME,
    created_at    DATETIME    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX invitations_token_hash_idx ON invitations (token_hash);
CREATE INDEX invitations_merchant_idx ON invitations (merchant_id, created_at);

-- Password reset links sent by e-mail, kept as hashes like invitations. Rows for an address
-- within the last hour also limit how many links it can be sent.
CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT        NOT NULL,
    token_hash TEXT        NOT NULL,
    expires_at DATETIME    NOT NULL,
    used_at    DATETIME,
    created_at DATETIME    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX password_resets_token_hash_idx ON password_resets (token_hash);
CREATE INDEX password_resets_email_idx ON password_resets (email, created_at);

-- +goose Down
DROP TABLE password_resets;
DROP TABLE invitations;
