-- +goose Up
-- Orders the marketplace ships itself (Amazon FBA, Fulfilled by bol): they reach the store
-- once shipped, and no shipment goes back. Connectors set the flag from the order itself, so
-- an order of the wrong kind read by a connection is recognised and ignored.
ALTER TABLE orders ADD COLUMN fulfilled_by_marketplace BOOLEAN NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE orders DROP COLUMN fulfilled_by_marketplace;
