-- +goose Up
-- What exactly blocks an order, beyond its reason: the unknown SKUs, the inactive country, the
-- missing fields, the store's or marketplace's message, the unmapped carrier. Orders with the
-- same connection, reason and cause are fixed together, so the error queue groups on them.
ALTER TABLE orders ADD COLUMN store_blocked_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN shipment_blocked_cause TEXT NOT NULL DEFAULT '';
-- "Import anyway": a person sends this order to the store without the stock check.
ALTER TABLE orders ADD COLUMN skip_stock_check BOOLEAN NOT NULL DEFAULT false;
-- Orders blocked before causes were kept group by their message, which held the cause.
UPDATE orders SET store_blocked_cause = store_blocked_message WHERE store_state = 'blocked';
UPDATE orders SET shipment_blocked_cause = shipment_blocked_message WHERE shipment_state = 'blocked';
-- The error queue's groups, read from these partial indexes alone: blocked orders are few
-- among all, and each index holds every column the grouping and the age filter read.
CREATE INDEX orders_store_blocked_cause_idx ON orders
    (merchant_id, connection_id, store_blocked_reason, store_blocked_cause, updated_at, ship_by)
    WHERE store_state = 'blocked';
CREATE INDEX orders_shipment_blocked_cause_idx ON orders
    (merchant_id, connection_id, shipment_blocked_reason, shipment_blocked_cause, updated_at, ship_by)
    WHERE shipment_state = 'blocked';

-- +goose Down
DROP INDEX orders_shipment_blocked_cause_idx;
DROP INDEX orders_store_blocked_cause_idx;
ALTER TABLE orders DROP COLUMN shipment_blocked_cause;
ALTER TABLE orders DROP COLUMN store_blocked_cause;
ALTER TABLE orders DROP COLUMN skip_stock_check;
