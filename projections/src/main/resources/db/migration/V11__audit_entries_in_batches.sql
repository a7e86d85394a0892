-- Appends a batch of audit entries in one call instead of one statement each: in order, each chained to the
-- newest entry of its organization before it (earlier entries of the same call included), hashed by
-- audit.entry_hash, the one definition also used to verify. An entry whose position is already there (a
-- redelivered event) is skipped. _schema: the live trail, or a rebuild's shadow of it.
CREATE PROCEDURE audit.append_entries(_schema TEXT, _position BIGINT[], _org_id TEXT[], _occurred_at TIMESTAMPTZ[],
        _actor_id TEXT[], _actor_roles TEXT[], _request_id TEXT[], _reason TEXT[], _action TEXT[], _object_type TEXT[],
        _object_id TEXT[], _pool_id TEXT[], _seat_id TEXT[], _details JSONB[], _event_id TEXT[])
    LANGUAGE plpgsql AS
$$
DECLARE
    entries     INTEGER := coalesce(array_length(_position, 1), 0);
    present     BIGINT[];
    newest      JSONB := '{}';
    prev        TEXT;
    prev_hashes TEXT[] := array_fill(NULL::TEXT, ARRAY[entries]);
    hashes      TEXT[] := array_fill(NULL::TEXT, ARRAY[entries]);
BEGIN
    EXECUTE format('SELECT coalesce(array_agg(position), ''{}'') FROM %I.entries WHERE position = ANY ($1)', _schema)
        INTO present USING _position;
    FOR i IN 1 .. entries LOOP
        CONTINUE WHEN _position[i] = ANY (present);
        IF newest ? _org_id[i] THEN
            prev := newest ->> _org_id[i];
        ELSE
            EXECUTE format('SELECT hash FROM %I.entries WHERE org_id = $1 ORDER BY position DESC LIMIT 1', _schema)
                INTO prev USING _org_id[i];
        END IF;
        prev_hashes[i] := prev;
        hashes[i] := audit.entry_hash(prev, _position[i], _org_id[i], _occurred_at[i], _actor_id[i], _actor_roles[i], _request_id[i],
                                      _reason[i], _action[i], _object_type[i], _object_id[i], _pool_id[i], _seat_id[i], _details[i]);
        newest := newest || jsonb_build_object(_org_id[i], hashes[i]);
    END LOOP;
    EXECUTE format('INSERT INTO %I.entries (position, org_id, occurred_at, actor_id, actor_roles, request_id, reason, action, object_type,
                        object_id, pool_id, seat_id, details, event_id, prev_hash, hash)
                    SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                        AS e(position, org_id, occurred_at, actor_id, actor_roles, request_id, reason, action, object_type,
                             object_id, pool_id, seat_id, details, event_id, prev_hash, hash)
                    WHERE e.hash IS NOT NULL
                    ON CONFLICT (position) DO NOTHING', _schema)
        USING _position, _org_id, _occurred_at, _actor_id, _actor_roles, _request_id, _reason, _action, _object_type,
              _object_id, _pool_id, _seat_id, _details, _event_id, prev_hashes, hashes;
END
$$;

-- One announcement per organization and statement, not per entry (a batch inserts hundreds).
DROP TRIGGER announce_entry ON audit.entries;
DROP FUNCTION audit.announce_entry();
CREATE FUNCTION audit.announce_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('seatledger_changes', org_id) FROM (SELECT DISTINCT org_id FROM inserted) organizations;
    RETURN NULL;
END $$;
CREATE TRIGGER announce_entries AFTER INSERT ON audit.entries REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION audit.announce_entries();
