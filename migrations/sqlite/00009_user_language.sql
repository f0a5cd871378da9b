-- +goose Up
-- The language a person chose for the pages (en, fr, it); empty: the browser's.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN language;
