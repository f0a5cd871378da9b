-- +goose Up
-- The order list's search (models/order_list.go, searchOrders) matches whole references,
-- tracking numbers and e-mails, and the start of the buyer's name, case-insensitively: one
-- index per searched expression, led by merchant_id, so that PostgreSQL looks each one up and
-- combines them (BitmapOr) instead of reading every order of the merchant. The name indexes
-- use text_pattern_ops, which LIKE 'prefix%' can use whatever the database's collation.
CREATE INDEX orders_search_reference_idx ON orders (merchant_id, lower(marketplace_reference));
CREATE INDEX orders_search_order_id_idx ON orders (merchant_id, lower(marketplace_order_id));
CREATE INDEX orders_search_store_order_idx ON orders (merchant_id, lower(store_order_id));
CREATE INDEX orders_search_tracking_idx ON orders (merchant_id, lower(tracking_number));
CREATE INDEX orders_search_email_idx ON orders (merchant_id, lower(billing_email));
CREATE INDEX orders_search_last_name_idx ON orders (merchant_id, lower(shipping_last_name) text_pattern_ops);
CREATE INDEX orders_search_full_name_idx ON orders
    (merchant_id, lower(shipping_first_name || ' ' || shipping_last_name) text_pattern_ops);
-- The dashboard's overdue and due-today orders (models/dashboard.go, notYetShipped): orders
-- waiting for shipment, by ship-by date, with the other columns it checks alongside so that
-- its counts read the index alone. The "To ship" tab's count reads it too (status, then the
-- two states): without it, PostgreSQL preferred filtering the merchant's every entry of the
-- connection index (00016), 150 ms on 500 000 orders.
CREATE INDEX orders_merchant_ship_by_idx ON orders (merchant_id, status, ship_by)
    INCLUDE (store_state, shipment_state, fulfilled_by_marketplace);

-- +goose Down
DROP INDEX orders_merchant_ship_by_idx;
DROP INDEX orders_search_full_name_idx;
DROP INDEX orders_search_last_name_idx;
DROP INDEX orders_search_email_idx;
DROP INDEX orders_search_tracking_idx;
DROP INDEX orders_search_store_order_idx;
DROP INDEX orders_search_order_id_idx;
DROP INDEX orders_search_reference_idx;
