-- 1. Invitation previews. A pending seat keeps the hash of its current invitation token, so the holder's
--    unauthenticated "what is this invitation?" can be answered. The reader role gets no tenant for such a
--    request; it may call only this function, which shows one seat to whoever holds the token and nothing
--    to anyone else (SECURITY DEFINER: it runs as the tables' owner, past row-level security).
ALTER TABLE read_model.seats ADD COLUMN invitation_token_hash TEXT;

CREATE FUNCTION read_model.invitation(p_seat_id TEXT, p_token_hash TEXT)
    RETURNS TABLE (org_id TEXT, org_name TEXT, pool_id TEXT, pool_status TEXT, email TEXT, seat_status TEXT, expires_at TIMESTAMPTZ)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
        SELECT s.org_id, o.name, s.pool_id, p.status, s.email, s.status, s.expires_at
        FROM read_model.seats s
        JOIN read_model.seat_pools p ON p.pool_id = s.pool_id
        LEFT JOIN read_model.organizations o ON o.org_id = s.org_id
        WHERE s.seat_id = p_seat_id AND s.invitation_token_hash = p_token_hash
    $$;
REVOKE ALL ON FUNCTION read_model.invitation(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION read_model.invitation(TEXT, TEXT) TO seatledger_reader;

-- 2. The live feed (SSE). Every applied change of a pool row (one per pool event: every such event moves the
--    row's position) is kept with the pool's counts after it, keyed by the event's global position, and
--    announced on commit (NOTIFY seatledger_changes, payload = org id) so that every instance can wake the
--    streams of that organization; the pool's new version is announced too (seatledger_pool_versions,
--    payload = "<pool id> <version>"), for answers that wait to show their own change. The projection's
--    position guard makes redeliveries no-ops here too.
CREATE TABLE read_model.pool_changes (
    position  BIGINT      PRIMARY KEY,
    org_id    TEXT        NOT NULL,
    pool_id   TEXT        NOT NULL,
    status    TEXT        NOT NULL,
    capacity  INTEGER     NOT NULL,
    pending   INTEGER     NOT NULL,
    claimed   INTEGER     NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pool_changes_by_org ON read_model.pool_changes (org_id, position);
CREATE INDEX pool_changes_by_pool ON read_model.pool_changes (pool_id, position);
CREATE INDEX pool_changes_by_age ON read_model.pool_changes (recorded_at);

CREATE FUNCTION read_model.record_pool_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO read_model.pool_changes (position, org_id, pool_id, status, capacity, pending, claimed)
    VALUES (NEW.position, NEW.org_id, NEW.pool_id, NEW.status, NEW.capacity, NEW.pending, NEW.claimed)
    ON CONFLICT (position) DO NOTHING;
    PERFORM pg_notify('seatledger_changes', NEW.org_id);
    PERFORM pg_notify('seatledger_pool_versions', NEW.pool_id || ' ' || NEW.version);
    RETURN NULL;
END $$;

CREATE TRIGGER record_pool_change AFTER INSERT OR UPDATE OF position ON read_model.seat_pools
    FOR EACH ROW EXECUTE FUNCTION read_model.record_pool_change();

-- The audit trail is the other half of a feed entry (what happened, to which seat): announce it too.
CREATE FUNCTION audit.announce_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('seatledger_changes', NEW.org_id);
    RETURN NULL;
END $$;
CREATE TRIGGER announce_entry AFTER INSERT ON audit.entries FOR EACH ROW EXECUTE FUNCTION audit.announce_entry();

GRANT SELECT ON read_model.pool_changes TO seatledger_reader;
ALTER TABLE read_model.pool_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON read_model.pool_changes FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
