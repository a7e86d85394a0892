-- The Stripe adapter's own tables; nothing here is a read model for tenants.
CREATE SCHEMA IF NOT EXISTS billing;

-- Where each Stripe-billed pool lives in Stripe, kept by the stripe-sync processor from the pools' events.
CREATE TABLE billing.stripe_links (
    pool_id              TEXT PRIMARY KEY,
    org_id               TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    customer_id          TEXT,
    subscription_id      TEXT UNIQUE,
    subscription_item_id TEXT,
    checkout_session_id  TEXT
);

-- Every Stripe event received, once (the primary key refuses a redelivery). Only ids and the type are
-- kept: the objects are read again from Stripe when the event is applied.
CREATE TABLE billing.webhook_events (
    event_id     TEXT PRIMARY KEY,
    type         TEXT        NOT NULL,
    object_id    TEXT,
    received_at  TIMESTAMPTZ NOT NULL,
    attempts     INTEGER     NOT NULL DEFAULT 0,
    due_at       TIMESTAMPTZ NOT NULL,
    processed_at TIMESTAMPTZ,
    outcome      TEXT,
    failure      TEXT
);
CREATE INDEX webhook_events_due ON billing.webhook_events (due_at) WHERE processed_at IS NULL;

CREATE TABLE billing.reconciliations (
    id           UUID PRIMARY KEY,
    requested_by TEXT        NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ NOT NULL,
    checked      INTEGER     NOT NULL,
    in_sync      INTEGER     NOT NULL
);

CREATE TABLE billing.reconciliation_drifts (
    reconciliation_id UUID    NOT NULL REFERENCES billing.reconciliations (id),
    ordinal           INTEGER NOT NULL,
    org_id            TEXT,
    pool_id           TEXT,
    kind              TEXT    NOT NULL,
    local_state       JSONB,
    remote_state      JSONB,
    action            TEXT    NOT NULL,
    PRIMARY KEY (reconciliation_id, ordinal)
);
