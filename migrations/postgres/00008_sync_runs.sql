-- +goose Up
-- The syncs that changed something or failed, per connection, for its page: what was read,
-- what changed, and the error. Polls that found nothing new are not kept (the connection's
-- last_poll_at tells they ran). Housekeeping deletes runs older than 14 days.
CREATE TABLE sync_runs (
    id            BIGSERIAL PRIMARY KEY,
    merchant_id   BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    connection_id BIGINT      NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    kind          TEXT        NOT NULL CHECK (kind IN ('marketplace', 'store', 'catalogue')),
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ NOT NULL,
    pages         INTEGER     NOT NULL DEFAULT 0,
    created       INTEGER     NOT NULL DEFAULT 0, -- orders imported, or products read
    updated       INTEGER     NOT NULL DEFAULT 0, -- orders changed, or shipments taken
    error         TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX sync_runs_connection_idx ON sync_runs (connection_id, id DESC);
CREATE INDEX sync_runs_finished_idx ON sync_runs (finished_at);

-- +goose Down
DROP TABLE sync_runs;
