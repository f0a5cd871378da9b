-- +goose Up
-- One process at a time works an order: it holds this lease while it does, and a lease left
-- by a process that died simply expires.
ALTER TABLE orders ADD COLUMN processing_until DATETIME;
-- When the store's catalogue (stock above all) was last read, to read it again hourly.
ALTER TABLE connections ADD COLUMN catalogue_synced_at DATETIME;

-- +goose Down
ALTER TABLE connections DROP COLUMN catalogue_synced_at;
ALTER TABLE orders DROP COLUMN processing_until;
