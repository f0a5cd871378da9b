-- +goose Up
-- Internal notes on an order, by the merchant's people and by support agents; neither the
-- buyer nor the marketplace sees them. Rows are only ever added. A note outlives its author's
-- account (author_id then NULL), as the timeline does.
CREATE TABLE order_notes (
    id          BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    order_id    BIGINT      NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    author_id   BIGINT      REFERENCES users (id) ON DELETE SET NULL,
    body        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
-- The order page lists an order's notes, newest first.
CREATE INDEX order_notes_order_idx ON order_notes (merchant_id, order_id, id);

-- Who has taken an order, so that two people do not work on it at once. Taking an order does
-- not touch updated_at: that column dates the order's own changes (the error queue's "blocked
-- since" reads it).
ALTER TABLE orders ADD COLUMN assigned_to BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE orders ADD COLUMN assigned_at TIMESTAMPTZ;
-- The orders a person has taken, among the merchant's.
CREATE INDEX orders_assigned_to_idx ON orders (merchant_id, assigned_to) WHERE assigned_to IS NOT NULL;

-- Who has taken a group of the error queue: the orders blocked by one cause, named by the same
-- key the queue groups on. One person per group; the row stays when the group empties, and
-- serves again if the same cause blocks orders anew.
CREATE TABLE group_assignments (
    merchant_id   BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    connection_id BIGINT      NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    side          TEXT        NOT NULL CHECK (side IN ('store', 'shipment')),
    reason        TEXT        NOT NULL,
    cause         TEXT        NOT NULL,
    user_id       BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assigned_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (merchant_id, connection_id, side, reason, cause)
);

-- +goose Down
DROP TABLE group_assignments;
DROP INDEX orders_assigned_to_idx;
ALTER TABLE orders DROP COLUMN assigned_at;
ALTER TABLE orders DROP COLUMN assigned_to;
DROP TABLE order_notes;
