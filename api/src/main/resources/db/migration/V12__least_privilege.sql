-- The service runs as a role that owns nothing: seatledger_runtime, a group role its login role(s) belong to
-- (the embedded default's seatledger_app; see docs/operations.md "Database roles"). Migrations run as the
-- owner of every table (the role running this script). What the runtime role may do on each table is granted
-- in R__runtime_privileges.sql; this script sets up what that needs.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'seatledger_runtime') THEN
        CREATE ROLE seatledger_runtime NOLOGIN;
    END IF;
    -- The read path takes the reader role (TenantScope: SET LOCAL ROLE seatledger_reader).
    IF NOT pg_has_role('seatledger_runtime', 'seatledger_reader', 'MEMBER') THEN
        GRANT seatledger_reader TO seatledger_runtime;
    END IF;
END $$;

-- Tables that future migrations (and the rebuild's shadow tables, created by the procedures below as this
-- owner) create get the runtime role's privileges without a further grant. The events and the audit trail
-- are appended to, never changed.
ALTER DEFAULT PRIVILEGES IN SCHEMA axon, read_model, read_model_rebuild, api
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO seatledger_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA events, audit, audit_rebuild
    GRANT SELECT, INSERT ON TABLES TO seatledger_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA axon, events, read_model, api
    GRANT USAGE ON SEQUENCES TO seatledger_runtime;

-- Row-level security binds the tables' owner too (FORCE): every role that reads a tenant table is named by a
-- policy. The reader sees its tenant's rows (V6, V7); the runtime role, which writes the projections, and the
-- owner (migrations, the SECURITY DEFINER functions) see all rows.
DO $$
DECLARE
    tenant_table TEXT;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['read_model.organizations', 'read_model.seat_pools', 'read_model.seats',
                                        'read_model.org_usage', 'read_model.pool_changes', 'audit.entries'] LOOP
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('CREATE POLICY projection_rows ON %s FOR ALL TO seatledger_runtime USING (true) WITH CHECK (true)', tenant_table);
        EXECUTE format('CREATE POLICY owner_rows ON %s FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true)', tenant_table);
    END LOOP;
END $$;

-- A read-model rebuild (ShadowRebuild) fills shadow tables in <schema>_rebuild and then replaces the live rows
-- with them. Creating and dropping tables, and removing audit entries, are the owner's: the runtime role
-- does them only through these procedures, which run as the owner and accept only a table of a rebuildable
-- schema that exists. search_path is fixed so that no object of the caller's is picked up.
CREATE FUNCTION read_model.rebuild_target(_schema TEXT, _table TEXT, _shadow_exists BOOLEAN) RETURNS VOID
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$$
BEGIN
    IF _schema IS NULL OR _schema NOT IN ('read_model', 'audit') THEN
        RAISE EXCEPTION 'not a rebuildable schema: %', _schema USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = _schema AND tablename = _table) THEN
        RAISE EXCEPTION 'no table %.% to rebuild', _schema, _table USING ERRCODE = 'undefined_table';
    END IF;
    IF _shadow_exists AND NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = _schema || '_rebuild' AND tablename = _table) THEN
        RAISE EXCEPTION 'no shadow table %_rebuild.%', _schema, _table USING ERRCODE = 'undefined_table';
    END IF;
END
$$;
REVOKE ALL ON FUNCTION read_model.rebuild_target(TEXT, TEXT, BOOLEAN) FROM PUBLIC;

-- An empty shadow of _schema._table (columns, defaults, constraints, indexes), replacing any earlier one.
CREATE PROCEDURE read_model.create_shadow_table(_schema TEXT, _table TEXT)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
$$
BEGIN
    PERFORM read_model.rebuild_target(_schema, _table, false);
    EXECUTE format('DROP TABLE IF EXISTS %I.%I', _schema || '_rebuild', _table);
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING ALL)', _schema || '_rebuild', _table, _schema, _table);
END
$$;

CREATE PROCEDURE read_model.drop_shadow_table(_schema TEXT, _table TEXT)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
$$
BEGIN
    PERFORM read_model.rebuild_target(_schema, _table, false);
    EXECUTE format('DROP TABLE IF EXISTS %I.%I', _schema || '_rebuild', _table);
END
$$;

-- Replaces the rows of _schema._table with those of its shadow, in the caller's transaction. The audit trail is
-- history: a rebuilt trail may add entries the live one lacks, never drop one or change what it records (else
-- whoever holds the runtime role could empty or forge it through this procedure). Only the chain's hashes may
-- differ: the live chain depends on commit order, a rebuild's on position order.
CREATE PROCEDURE read_model.swap_in_shadow_table(_schema TEXT, _table TEXT)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS
$$
BEGIN
    PERFORM read_model.rebuild_target(_schema, _table, true);
    IF _schema = 'audit' AND _table = 'entries' THEN
        IF EXISTS (SELECT position, org_id, occurred_at, actor_id, actor_roles, request_id, reason, action, object_type, object_id,
                          pool_id, seat_id, details, event_id FROM audit.entries
                   EXCEPT
                   SELECT position, org_id, occurred_at, actor_id, actor_roles, request_id, reason, action, object_type, object_id,
                          pool_id, seat_id, details, event_id FROM audit_rebuild.entries) THEN
            RAISE EXCEPTION 'the rebuilt audit trail lacks or changes live entries; history is never rewritten'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    EXECUTE format('DELETE FROM %I.%I', _schema, _table);
    EXECUTE format('INSERT INTO %I.%I SELECT * FROM %I.%I', _schema, _table, _schema || '_rebuild', _table);
END
$$;

REVOKE ALL ON PROCEDURE read_model.create_shadow_table(TEXT, TEXT), read_model.drop_shadow_table(TEXT, TEXT),
    read_model.swap_in_shadow_table(TEXT, TEXT) FROM PUBLIC;
