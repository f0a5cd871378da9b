-- +goose Up
-- PostgreSQL gets an index for the order list narrowed to one connection (see its migration);
-- SQLite already walks the merchant's rows in id order there, and the extra index made its
-- planner scan the whole table for the unfiltered list, so nothing changes here.
SELECT 1;

-- +goose Down
SELECT 1;
