-- Read models, rebuilt from events at will. Every row carries its tenant and the global event position it
-- last applied: an update whose position is not newer than the row's is a no-op, so redelivered and
-- replayed events change nothing. (Flyway creates the schema: spring.flyway.schemas.)

CREATE TABLE read_model.organizations (
    org_id                  TEXT        PRIMARY KEY,
    name                    TEXT        NOT NULL,
    billing_manager_user_id TEXT        NOT NULL,
    billing_manager_email   TEXT        NOT NULL,
    version                 BIGINT      NOT NULL,
    position                BIGINT      NOT NULL
);

CREATE TABLE read_model.seat_pools (
    pool_id                TEXT        PRIMARY KEY,
    org_id                 TEXT        NOT NULL,
    kind                   TEXT        NOT NULL,
    status                 TEXT        NOT NULL,
    billing_interval       TEXT,
    capacity               INTEGER     NOT NULL,
    pending                INTEGER     NOT NULL DEFAULT 0,
    claimed                INTEGER     NOT NULL DEFAULT 0,
    pricing                JSONB       NOT NULL,
    period_start           TIMESTAMPTZ,
    period_end             TIMESTAMPTZ,
    cancel_at_period_end   BOOLEAN     NOT NULL DEFAULT FALSE,
    scheduled_seats        INTEGER,
    scheduled_effective_at TIMESTAMPTZ,
    requested_seats        INTEGER,
    grace_ends_at          TIMESTAMPTZ,
    grace_expired          BOOLEAN     NOT NULL DEFAULT FALSE,
    stripe                 JSONB,
    created_at             TIMESTAMPTZ NOT NULL,
    version                BIGINT      NOT NULL,
    position               BIGINT      NOT NULL
);
CREATE INDEX seat_pools_by_org ON read_model.seat_pools (org_id, created_at, pool_id);

CREATE TABLE read_model.seats (
    seat_id        TEXT        PRIMARY KEY,
    pool_id        TEXT        NOT NULL,
    org_id         TEXT        NOT NULL,
    status         TEXT        NOT NULL,
    email          TEXT        NOT NULL,
    holder_user_id TEXT,
    assigned_at    TIMESTAMPTZ NOT NULL,
    claimed_at     TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    expires_at     TIMESTAMPTZ,
    metadata       JSONB       NOT NULL,
    position       BIGINT      NOT NULL
);
CREATE INDEX seats_by_pool ON read_model.seats (pool_id, seat_id);
CREATE INDEX seats_by_holder ON read_model.seats (org_id, holder_user_id) WHERE status = 'CLAIMED';
