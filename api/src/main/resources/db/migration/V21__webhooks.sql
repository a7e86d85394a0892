-- Outbound webhooks: the endpoints an organization registered and the deliveries made to them. Working state of the
-- integration, not history: an endpoint's deletion takes its deliveries with it. Secrets are stored wrapped (AES-GCM)
-- by the key-encryption key (as the erasure vault's keys), never in the clear.

CREATE SCHEMA IF NOT EXISTS webhooks;

CREATE TABLE webhooks.endpoints (
    endpoint_id              TEXT        PRIMARY KEY,
    org_id                   TEXT        NOT NULL,
    url                      TEXT        NOT NULL,
    description              TEXT,
    events                   TEXT[]      NOT NULL,
    wrapped_secret           TEXT        NOT NULL,
    -- after a rotation the previous secret also signs, until previous_secret_until
    previous_wrapped_secret  TEXT,
    previous_secret_until    TIMESTAMPTZ,
    -- only events above this global position are delivered: those stored after the endpoint was created
    from_position            BIGINT      NOT NULL,
    created_at               TIMESTAMPTZ NOT NULL,
    created_by               TEXT        NOT NULL,
    last_success_at          TIMESTAMPTZ,
    disabled_at              TIMESTAMPTZ,
    disabled_reason          TEXT
);
CREATE INDEX endpoints_by_org ON webhooks.endpoints (org_id);

CREATE TABLE webhooks.deliveries (
    seq              BIGSERIAL   UNIQUE,
    delivery_id      TEXT        PRIMARY KEY,
    endpoint_id      TEXT        NOT NULL REFERENCES webhooks.endpoints ON DELETE CASCADE,
    org_id           TEXT        NOT NULL,
    position         BIGINT      NOT NULL,
    -- 0: the event itself; 1: the usage.threshold message that follows it (dropped if the event crossed none)
    rank             SMALLINT    NOT NULL,
    event_type       TEXT        NOT NULL,
    -- deliveries with the same key (a seat, or a pool for pool messages) go out one after the other, in position order
    order_key        TEXT        NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    status           TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    -- fixed once the feed has the event's counts, so that every attempt sends the same bytes
    body             TEXT,
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    lease_id         TEXT,
    leased_until     TIMESTAMPTZ,
    first_attempt_at TIMESTAMPTZ,
    last_attempt_at  TIMESTAMPTZ,
    last_status_code INT,
    last_error       TEXT,
    delivered_at     TIMESTAMPTZ,
    UNIQUE (endpoint_id, position, rank)
);
CREATE INDEX deliveries_due ON webhooks.deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_in_order ON webhooks.deliveries (endpoint_id, order_key, position, rank) WHERE status = 'pending';
CREATE INDEX deliveries_by_endpoint ON webhooks.deliveries (endpoint_id, seq);

-- The runtime role works these tables like the billing inbox (R__runtime_privileges.sql does not list this schema).
GRANT USAGE ON SCHEMA webhooks TO seatledger_runtime;
REVOKE CREATE ON SCHEMA webhooks FROM seatledger_runtime;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks.endpoints, webhooks.deliveries TO seatledger_runtime;
GRANT USAGE ON SEQUENCE webhooks.deliveries_seq_seq TO seatledger_runtime;
