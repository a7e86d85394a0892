-- The audit chain is per aggregate and hashed in Java (audit-format, docs/audit-format.md): each entry records the
-- aggregate that recorded its event and that aggregate's own gap-free sequence number, links to the same aggregate's
-- entry at sequence - 1, and stores the canonical JSON its hash covers as text. The organization's state is the
-- Merkle root over its aggregates' heads, computed by whoever verifies.

-- Entries written before this version were chained by commit order and hashed by audit.entry_hash. They are kept
-- as they were in audit.entries_v1 (the owner's archive, verifiable with audit.entry_hash), and the trail is
-- recomputed from the event store: the audit-trail processor starts again from the first event, so every entry
-- comes back at its own position, under the new scheme, exactly as a rebuild would write it.
CREATE TABLE audit.entries_v1 AS SELECT * FROM audit.entries;
REVOKE ALL ON audit.entries_v1 FROM seatledger_runtime, seatledger_reader;
DELETE FROM audit.entries;
DELETE FROM axon.token_entry WHERE processor_name IN ('audit-trail', 'audit-trail.rebuild');
DELETE FROM read_model.processed_positions WHERE processor IN ('audit-trail', 'audit-trail.rebuild');
DELETE FROM axon.dead_letter_entry WHERE processing_group = 'audit-trail';
DROP PROCEDURE audit.append_entries(TEXT, BIGINT[], TEXT[], TIMESTAMPTZ[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[], TEXT[],
    TEXT[], JSONB[], TEXT[]);

ALTER TABLE audit.entries
    ADD COLUMN aggregate_id TEXT NOT NULL,
    ADD COLUMN sequence BIGINT NOT NULL,
    ALTER COLUMN details TYPE TEXT USING details::text;
-- Not unique: a forged second entry for a sequence must be storable by whoever forges it, and is what
-- verification names (inserted); the projection never writes one.
CREATE INDEX entries_by_aggregate ON audit.entries (aggregate_id, sequence);

-- A rebuilt trail must reproduce every live entry exactly, its chain included: the chain no longer depends on
-- commit order, so a rebuild that hashes differently is wrong (or forged) and is refused.
CREATE OR REPLACE PROCEDURE read_model.swap_in_shadow_table(_schema TEXT, _table TEXT)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
$$
BEGIN
    PERFORM read_model.rebuild_target(_schema, _table, true);
    IF _schema = 'audit' AND _table = 'entries' THEN
        IF EXISTS (SELECT position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason, action,
                          object_type, object_id, pool_id, seat_id, details, event_id, prev_hash, hash FROM audit.entries
                   EXCEPT
                   SELECT position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason, action,
                          object_type, object_id, pool_id, seat_id, details, event_id, prev_hash, hash FROM audit_rebuild.entries) THEN
            RAISE EXCEPTION 'the rebuilt audit trail lacks or changes live entries or their hashes; history is never rewritten'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    EXECUTE format('DELETE FROM %I.%I', _schema, _table);
    EXECUTE format('INSERT INTO %I.%I SELECT * FROM %I.%I', _schema, _table, _schema || '_rebuild', _table);
END
$$;
