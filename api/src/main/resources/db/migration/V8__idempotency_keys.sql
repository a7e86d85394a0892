-- Idempotency keys of mutating HTTP requests: for 24 hours the same key (per caller) with the same request
-- answers the first response again; with another request it is refused. A row without a status is a
-- request still running (or one whose instance died: it may be taken over after a lease).
CREATE SCHEMA IF NOT EXISTS api;

CREATE TABLE api.idempotency_keys (
    scope         TEXT        NOT NULL,
    key           TEXT        NOT NULL,
    request_hash  TEXT        NOT NULL,
    request_id    TEXT        NOT NULL,
    status        INTEGER,
    content_type  TEXT,
    location      TEXT,
    body          BYTEA,
    created_at    TIMESTAMPTZ NOT NULL,
    completed_at  TIMESTAMPTZ,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_age ON api.idempotency_keys (created_at);
