-- +goose Up
-- One marketplace account linked to one store, for one merchant. Credentials are AES-GCM
-- sealed by the application; the database never sees them in clear.
CREATE TABLE connections (
    id                      BIGSERIAL PRIMARY KEY,
    merchant_id             BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    name                    TEXT        NOT NULL,
    country                 TEXT        NOT NULL DEFAULT '',
    shipping_method         TEXT        NOT NULL DEFAULT '',
    fulfilment              TEXT        NOT NULL DEFAULT 'merchant' CHECK (fulfilment IN ('merchant', 'marketplace')),
    marketplace_kind        TEXT        NOT NULL,
    marketplace_settings    TEXT        NOT NULL DEFAULT '{}',
    marketplace_credentials TEXT        NOT NULL DEFAULT '',
    store_kind              TEXT        NOT NULL DEFAULT '',
    store_settings          TEXT        NOT NULL DEFAULT '{}',
    store_credentials       TEXT        NOT NULL DEFAULT '',
    state                   TEXT        NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'active', 'paused')),
    activation_date         TIMESTAMPTZ,
    auto_accept             BOOLEAN     NOT NULL DEFAULT TRUE,
    poll_interval_seconds   INTEGER     NOT NULL DEFAULT 60 CHECK (poll_interval_seconds > 0),
    block_out_of_stock      BOOLEAN     NOT NULL DEFAULT TRUE,
    active_countries        TEXT        NOT NULL DEFAULT '',
    required_fields         TEXT        NOT NULL DEFAULT 'name,street,postcode,city,country',
    tracking_wait_seconds   INTEGER     NOT NULL DEFAULT 10800 CHECK (tracking_wait_seconds >= 0),
    default_carrier_code    TEXT        NOT NULL DEFAULT '',
    default_carrier_name    TEXT        NOT NULL DEFAULT '',
    default_carrier_url     TEXT        NOT NULL DEFAULT '',
    marketplace_cursor      TEXT        NOT NULL DEFAULT '',
    store_cursor            TEXT        NOT NULL DEFAULT '',
    next_poll_at            TIMESTAMPTZ,
    last_poll_at            TIMESTAMPTZ,
    last_poll_error         TEXT        NOT NULL DEFAULT '',
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX connections_merchant_id_idx ON connections (merchant_id);
CREATE INDEX connections_due_idx ON connections (next_poll_at) WHERE state = 'active';

-- Carrier mapping rules, tried in position order against a tracking number.
CREATE TABLE carrier_rules (
    id                    BIGSERIAL PRIMARY KEY,
    merchant_id           BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    connection_id         BIGINT  NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    position              INTEGER NOT NULL,
    match_kind            TEXT    NOT NULL CHECK (match_kind IN ('starts_with', 'ends_with', 'contains', 'regex', 'length')),
    pattern               TEXT    NOT NULL DEFAULT '',
    min_length            INTEGER NOT NULL DEFAULT 0,
    max_length            INTEGER NOT NULL DEFAULT 0,
    strip_match           BOOLEAN NOT NULL DEFAULT FALSE,
    carrier_code          TEXT    NOT NULL DEFAULT '',
    carrier_name          TEXT    NOT NULL,
    tracking_url_template TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX carrier_rules_connection_idx ON carrier_rules (connection_id, position);

-- The store's catalogue as last synced, and marketplace SKUs linked to store SKUs.
CREATE TABLE products (
    id               BIGSERIAL PRIMARY KEY,
    merchant_id      BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    connection_id    BIGINT      NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    store_product_id TEXT        NOT NULL,
    sku              TEXT        NOT NULL DEFAULT '',
    ean              TEXT        NOT NULL DEFAULT '',
    name             TEXT        NOT NULL DEFAULT '',
    stock            INTEGER     NOT NULL DEFAULT 0,
    manage_stock     BOOLEAN     NOT NULL DEFAULT FALSE,
    active           BOOLEAN     NOT NULL DEFAULT TRUE,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (connection_id, store_product_id)
);
CREATE INDEX products_sku_idx ON products (connection_id, sku);

CREATE TABLE sku_aliases (
    id              BIGSERIAL PRIMARY KEY,
    merchant_id     BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    connection_id   BIGINT      NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    marketplace_sku TEXT        NOT NULL,
    store_sku       TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (connection_id, marketplace_sku)
);

CREATE TABLE orders (
    id                       BIGSERIAL PRIMARY KEY,
    merchant_id              BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    connection_id            BIGINT      NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    marketplace_order_id     TEXT        NOT NULL,
    marketplace_reference    TEXT        NOT NULL DEFAULT '',
    status                   TEXT        NOT NULL,
    raw_status               TEXT        NOT NULL DEFAULT '',
    placed_at                TIMESTAMPTZ NOT NULL,
    marketplace_updated_at   TIMESTAMPTZ NOT NULL,
    ship_by                  TIMESTAMPTZ,
    shipping_method          TEXT        NOT NULL DEFAULT '',
    currency                 TEXT        NOT NULL,
    total_amount             BIGINT      NOT NULL DEFAULT 0,
    shipping_amount          BIGINT      NOT NULL DEFAULT 0,
    billing_first_name       TEXT NOT NULL DEFAULT '',
    billing_last_name        TEXT NOT NULL DEFAULT '',
    billing_company          TEXT NOT NULL DEFAULT '',
    billing_street1          TEXT NOT NULL DEFAULT '',
    billing_street2          TEXT NOT NULL DEFAULT '',
    billing_postal_code      TEXT NOT NULL DEFAULT '',
    billing_city             TEXT NOT NULL DEFAULT '',
    billing_state            TEXT NOT NULL DEFAULT '',
    billing_country          TEXT NOT NULL DEFAULT '',
    billing_phone            TEXT NOT NULL DEFAULT '',
    billing_email            TEXT NOT NULL DEFAULT '',
    shipping_first_name      TEXT NOT NULL DEFAULT '',
    shipping_last_name       TEXT NOT NULL DEFAULT '',
    shipping_company         TEXT NOT NULL DEFAULT '',
    shipping_street1         TEXT NOT NULL DEFAULT '',
    shipping_street2         TEXT NOT NULL DEFAULT '',
    shipping_postal_code     TEXT NOT NULL DEFAULT '',
    shipping_city            TEXT NOT NULL DEFAULT '',
    shipping_state           TEXT NOT NULL DEFAULT '',
    shipping_country         TEXT NOT NULL DEFAULT '',
    shipping_phone           TEXT NOT NULL DEFAULT '',
    shipping_email           TEXT NOT NULL DEFAULT '',
    store_state              TEXT        NOT NULL DEFAULT 'pending',
    store_blocked_reason     TEXT        NOT NULL DEFAULT '',
    store_blocked_message    TEXT        NOT NULL DEFAULT '',
    store_order_id           TEXT        NOT NULL DEFAULT '',
    store_attempt_at         TIMESTAMPTZ,
    shipment_state           TEXT        NOT NULL DEFAULT 'none',
    shipment_blocked_reason  TEXT        NOT NULL DEFAULT '',
    shipment_blocked_message TEXT        NOT NULL DEFAULT '',
    carrier_code             TEXT        NOT NULL DEFAULT '',
    carrier_name             TEXT        NOT NULL DEFAULT '',
    tracking_number          TEXT        NOT NULL DEFAULT '',
    tracking_url             TEXT        NOT NULL DEFAULT '',
    shipped_at               TIMESTAMPTZ,
    test                     BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (connection_id, marketplace_order_id)
);
CREATE INDEX orders_merchant_created_idx ON orders (merchant_id, created_at DESC);
CREATE INDEX orders_store_state_idx ON orders (merchant_id, store_state);
CREATE INDEX orders_shipment_state_idx ON orders (merchant_id, shipment_state);
CREATE INDEX orders_store_order_idx ON orders (connection_id, store_order_id);

CREATE TABLE order_lines (
    id                  BIGSERIAL PRIMARY KEY,
    merchant_id         BIGINT  NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    order_id            BIGINT  NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    marketplace_line_id TEXT    NOT NULL,
    sku                 TEXT    NOT NULL DEFAULT '',
    ean                 TEXT    NOT NULL DEFAULT '',
    title               TEXT    NOT NULL DEFAULT '',
    quantity            INTEGER NOT NULL CHECK (quantity > 0),
    unit_price          BIGINT  NOT NULL DEFAULT 0,
    shipping_amount     BIGINT  NOT NULL DEFAULT 0,
    raw_status          TEXT    NOT NULL DEFAULT '',
    UNIQUE (order_id, marketplace_line_id)
);

-- The order's timeline: append-only.
CREATE TABLE order_events (
    id          BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT      NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    order_id    BIGINT      NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    message     TEXT        NOT NULL DEFAULT '',
    exchanges   TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

-- +goose Down
DROP TABLE order_events;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE sku_aliases;
DROP TABLE products;
DROP TABLE carrier_rules;
DROP TABLE connections;
