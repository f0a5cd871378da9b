-- +goose Up
-- Indexes for the orders list (models/order_list.go): every page is one merchant's orders,
-- newest id first, maybe narrowed to a tab or a filter, so each index leads with merchant_id
-- and ends with id to hand the rows over in order, and LIMIT stops after one page.

-- The "All" tab and every page narrowed only by the search or the connection.
CREATE INDEX orders_merchant_id_idx ON orders (merchant_id, id DESC);
-- "To accept", "To ship", "Shipped", "Cancelled" and the status filter.
CREATE INDEX orders_merchant_status_idx ON orders (merchant_id, status, id DESC);
-- The store and shipment state filters, and the "Shipping" tab. They replace the indexes on
-- (merchant_id, store_state) and (merchant_id, shipment_state), which they extend.
CREATE INDEX orders_merchant_store_state_idx ON orders (merchant_id, store_state, id DESC);
CREATE INDEX orders_merchant_shipment_state_idx ON orders (merchant_id, shipment_state, id DESC);
DROP INDEX orders_store_state_idx;
DROP INDEX orders_shipment_state_idx;
-- "Blocked" is an OR over two columns, which no composite index serves in id order; blocked
-- orders are few, so a partial index on them is small. The condition is written exactly as
-- the tab writes it, so that both databases see the index applies.
CREATE INDEX orders_blocked_idx ON orders (merchant_id, id DESC)
    WHERE store_state = 'blocked' OR shipment_state = 'blocked';
-- The placed-at date range.
CREATE INDEX orders_merchant_placed_idx ON orders (merchant_id, placed_at);

-- +goose Down
CREATE INDEX orders_store_state_idx ON orders (merchant_id, store_state);
CREATE INDEX orders_shipment_state_idx ON orders (merchant_id, shipment_state);
DROP INDEX orders_merchant_placed_idx;
DROP INDEX orders_blocked_idx;
DROP INDEX orders_merchant_shipment_state_idx;
DROP INDEX orders_merchant_store_state_idx;
DROP INDEX orders_merchant_status_idx;
DROP INDEX orders_merchant_id_idx;
