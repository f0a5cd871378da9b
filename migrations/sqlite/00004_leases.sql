-- +goose Up
-- Short leases so that one process at a time runs a connection's sync; a process that dies
-- leaves a lease that expires within seconds instead of a job stuck "running".
CREATE TABLE leases (
    key    TEXT PRIMARY KEY,
    holder TEXT        NOT NULL,
    until  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE leases;
