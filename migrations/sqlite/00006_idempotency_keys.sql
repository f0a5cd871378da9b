-- +goose Up
-- Store API requests made with an Idempotency-Key header, and the answer given, so that a
-- shop retrying after a lost response gets the same answer instead of acting twice. Kept a
-- day (housekeeping deletes older ones).
CREATE TABLE idempotency_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id  INTEGER  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    token_id     INTEGER  NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key          TEXT     NOT NULL,
    request_hash TEXT     NOT NULL, -- SHA-256 of method, path and body
    status       INTEGER  NOT NULL DEFAULT 0, -- 0 while the first request runs
    content_type TEXT     NOT NULL DEFAULT '',
    body         BLOB,
    created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    completed_at DATETIME,
    UNIQUE (token_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
