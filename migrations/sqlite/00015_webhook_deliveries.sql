-- +goose Up
-- Webhook deliveries taken from stores, by the store's delivery id: a delivery sent again
-- (the store retries, or someone replays it) is recognised and ignored.
CREATE TABLE webhook_deliveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id   INTEGER NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    delivery_id   TEXT NOT NULL,
    received_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_delivery_idx ON webhook_deliveries (connection_id, delivery_id);
CREATE INDEX webhook_deliveries_received_idx ON webhook_deliveries (received_at);

-- +goose Down
DROP TABLE webhook_deliveries;
