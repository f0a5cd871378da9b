-- +goose Up
-- The sweep (jobs/sweep.go) leaves alone an order whose run is already queued: it looks the
-- order up among River's queued process_order runs instead of reading them all for each
-- candidate order. Partial, so it holds only the runs waiting to start.
CREATE INDEX river_job_queued_order_idx ON river_job (json_extract(args, '$.order_id'))
    WHERE kind = 'process_order' AND state IN ('available', 'pending', 'scheduled');

-- +goose Down
DROP INDEX river_job_queued_order_idx;
