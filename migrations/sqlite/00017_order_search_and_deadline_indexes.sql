-- +goose Up
-- The order list's search by e-mail (models/order_list.go, searchOrders) looks the e-mail up
-- instead of reading every order of the merchant. PostgreSQL gets more indexes (see its
-- migration); SQLite cannot look the search's name prefix (LIKE on lower(...)) up in an index,
-- so any other search reads the merchant's rows whatever the indexes, which its small
-- databases allow.
CREATE INDEX orders_search_email_idx ON orders (merchant_id, lower(billing_email));

-- +goose Down
DROP INDEX orders_search_email_idx;
