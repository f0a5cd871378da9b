-- +goose Up
-- The last digest e-mail each merchant was sent about its blocked orders, so that a restart
-- or a second process never sends another within the hour, and what it covered: the newest
-- blocked order it included (its updated_at, then its id for orders updated in the same
-- instant). Orders blocked after that mark are the new ones the next digest is sent for.
-- The order id is no foreign key: the order may be deleted while the mark stays meaningful.
CREATE TABLE notification_digests (
    merchant_id      BIGINT      PRIMARY KEY REFERENCES merchants (id) ON DELETE CASCADE,
    sent_at          TIMESTAMPTZ NOT NULL,
    covered_until    TIMESTAMPTZ NOT NULL,
    covered_order_id BIGINT      NOT NULL,
    orders           INTEGER     NOT NULL DEFAULT 0 -- blocked orders the digest told of
);

-- +goose Down
DROP TABLE notification_digests;
