-- +goose Up
-- Bearer tokens for the Store API. Only a SHA-256 of the token is kept: tokens are long and
-- random, so the hash cannot be reversed, and a stolen database reveals none.
CREATE TABLE api_tokens (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id    INTEGER      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    name           TEXT        NOT NULL,
    token_hash     TEXT        NOT NULL UNIQUE,
    prefix         TEXT        NOT NULL,
    connection_ids TEXT        NOT NULL DEFAULT '', -- comma-separated; empty: every connection
    created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at     DATETIME,
    last_used_at   DATETIME,
    revoked_at     DATETIME
);
CREATE INDEX api_tokens_merchant_idx ON api_tokens (merchant_id);

-- When the shop acknowledged the order through the Store API (pull mode).
ALTER TABLE orders ADD COLUMN acknowledged_at DATETIME;

-- +goose Down
ALTER TABLE orders DROP COLUMN acknowledged_at;
DROP TABLE api_tokens;
