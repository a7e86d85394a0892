-- The audit trail: one entry per event, chained per organization by SHA-256 (tamper-evident: changing,
-- removing or inserting an entry breaks every hash after it). Rebuildable from the event store.
CREATE TABLE audit.entries (
    position    BIGINT      PRIMARY KEY,
    org_id      TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor_id    TEXT,
    actor_roles TEXT        NOT NULL DEFAULT '',
    request_id  TEXT,
    reason      TEXT,
    action      TEXT        NOT NULL,
    object_type TEXT        NOT NULL,
    object_id   TEXT        NOT NULL,
    pool_id     TEXT,
    seat_id     TEXT,
    details     JSONB       NOT NULL,
    prev_hash   TEXT,
    hash        TEXT        NOT NULL
);
CREATE INDEX entries_by_org ON audit.entries (org_id, position);
CREATE INDEX entries_by_org_and_time ON audit.entries (org_id, occurred_at);

-- The one definition of an entry's hash, used when writing and when verifying.
CREATE FUNCTION audit.entry_hash(_prev_hash TEXT, _position BIGINT, _org_id TEXT, _occurred_at TIMESTAMPTZ, _actor_id TEXT,
                                 _actor_roles TEXT, _request_id TEXT, _reason TEXT, _action TEXT, _object_type TEXT,
                                 _object_id TEXT, _pool_id TEXT, _seat_id TEXT, _details JSONB) RETURNS TEXT
    LANGUAGE sql STABLE AS
$$
SELECT encode(sha256(convert_to(concat_ws(E'\x1f',
        coalesce(_prev_hash, ''), _position::text, _org_id,
        to_char(_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        coalesce(_actor_id, ''), _actor_roles, coalesce(_request_id, ''), coalesce(_reason, ''),
        _action, _object_type, _object_id, coalesce(_pool_id, ''), coalesce(_seat_id, ''), _details::text), 'UTF8')), 'hex')
$$;
