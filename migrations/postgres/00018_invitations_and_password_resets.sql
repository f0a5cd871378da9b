-- +goose Up
-- Invitations to join a merchant's team. The link's token is kept only as its SHA-256 hash;
-- an invitation is pending until used, revoked or expired.
CREATE TABLE invitations (
    id            BIGSERIAL PRIMARY KEY,
    merchant_id   BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    email         TEXT        NOT NULL,
    name          TEXT        NOT NULL DEFAULT '',
    role          TEXT        NOT NULL CHECK (role IN ('admin', 'staff')),
    token_hash    TEXT        NOT NULL,
    invited_by_id BIGINT      REFERENCES users (id) ON DELETE SET NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX invitations_token_hash_idx ON invitations (token_hash);
CREATE INDEX invitations_merchant_idx ON invitations (merchant_id, created_at);

-- Password reset links sent by e-mail, kept as hashes like invitations. Rows for an address
-- within the last hour also limit how many links it can be sent.
CREATE TABLE password_resets (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT        NOT NULL,
    token_hash TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX password_resets_token_hash_idx ON password_resets (token_hash);
CREATE INDEX password_resets_email_idx ON password_resets (email, created_at);

-- +goose Down
DROP TABLE password_resets;
DROP TABLE invitations;
