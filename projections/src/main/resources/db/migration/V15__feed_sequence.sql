-- The live feed's own numbering: each organization's audit entries get a gap-free sequence number, 1, 2, 3…, in
-- the order they became visible. Global positions cannot serve as the feed's order: transactions commit out of
-- global-index order, so an event committed late carries a lower position than events a client already has.
--
-- audit.feed_heads holds each organization's last number. The trigger below numbers the entries a statement
-- inserts by raising that row: the row stays locked until the inserting transaction ends, so a second transaction
-- numbering the same organization waits for the first to commit and then continues after its numbers. Hence a
-- reader that sees number n+1 sees every number up to n too, whoever inserted them (two instances during a
-- segment handover included). An entry already numbered keeps its number: the rebuild's swap deletes and
-- re-inserts every entry, and only positions never seen before get new numbers.
CREATE TABLE audit.feed (
    org_id   TEXT   NOT NULL,
    seq      BIGINT NOT NULL,
    position BIGINT NOT NULL UNIQUE,
    PRIMARY KEY (org_id, seq)
);

CREATE TABLE audit.feed_heads (
    org_id TEXT   PRIMARY KEY,
    seq    BIGINT NOT NULL
);

-- Runs as the owner: the service's role may read the numbering, never write it (R__runtime_privileges.sql).
-- Organizations are locked in org_id order, so two statements numbering several organizations cannot deadlock.
-- The new numbers of an organization follow position order within the statement. No ON CONFLICT on the feed:
-- a position is left out only when it is numbered already, so a number is never taken and then dropped. That
-- check is a lookup per inserted entry in the position index (a scalar subquery, which PostgreSQL does not turn
-- into a join that would read the whole feed for every statement).
CREATE FUNCTION audit.number_feed_entries() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
$$
BEGIN
    WITH fresh AS (
        SELECT i.org_id, i.position FROM inserted i
        WHERE (SELECT f.seq FROM audit.feed f WHERE f.position = i.position) IS NULL
    ), counts AS (
        SELECT org_id, count(*) AS added FROM fresh GROUP BY org_id
    ), heads AS (
        INSERT INTO audit.feed_heads AS h (org_id, seq)
        SELECT org_id, added FROM counts ORDER BY org_id
        ON CONFLICT (org_id) DO UPDATE SET seq = h.seq + excluded.seq
        RETURNING h.org_id, h.seq
    )
    INSERT INTO audit.feed (org_id, seq, position)
    SELECT f.org_id, heads.seq - counts.added + row_number() OVER (PARTITION BY f.org_id ORDER BY f.position), f.position
    FROM fresh f JOIN counts ON counts.org_id = f.org_id JOIN heads ON heads.org_id = f.org_id;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION audit.number_feed_entries() FROM PUBLIC;

-- Writers wait until the existing entries are numbered; entries committed before are all seen by the backfill.
LOCK TABLE audit.entries IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO audit.feed (org_id, seq, position)
SELECT org_id, row_number() OVER (PARTITION BY org_id ORDER BY position), position FROM audit.entries;
INSERT INTO audit.feed_heads (org_id, seq)
SELECT org_id, max(seq) FROM audit.feed GROUP BY org_id;

CREATE TRIGGER number_feed_entries AFTER INSERT ON audit.entries REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION audit.number_feed_entries();

-- Streams read the numbering as the tenant's reader, which sees only its tenant's rows.
GRANT SELECT ON audit.feed TO seatledger_reader;
ALTER TABLE audit.feed ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.feed FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON audit.feed FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
CREATE POLICY projection_rows ON audit.feed FOR SELECT TO seatledger_runtime USING (true);
CREATE POLICY owner_rows ON audit.feed FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);
