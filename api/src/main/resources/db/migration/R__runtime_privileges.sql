-- Everything the service's runtime role (seatledger_runtime, see V12) may do, in one place; applied again
-- whenever this file changes. It owns no table, may create nothing, and is granted only the statements the
-- service issues: the events are appended and read, never changed; snapshots are added and older ones of the
-- same aggregate removed (Axon's JdbcEventStorageEngine); audit entries are appended and read. Creating,
-- dropping and swapping a rebuild's tables goes through the owner's procedures (V12).

GRANT USAGE ON SCHEMA axon, events, read_model, audit, read_model_rebuild, audit_rebuild, api, billing TO seatledger_runtime;
REVOKE CREATE ON SCHEMA axon, events, read_model, audit, read_model_rebuild, audit_rebuild, api, billing FROM seatledger_runtime;

REVOKE ALL ON ALL TABLES IN SCHEMA axon, events, read_model, audit, read_model_rebuild, audit_rebuild, api, billing FROM seatledger_runtime;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA axon, events, read_model, audit, api, billing FROM seatledger_runtime;

-- The event store.
GRANT SELECT, INSERT ON events.domain_event_entry TO seatledger_runtime;
GRANT USAGE ON SEQUENCE events.domain_event_entry_global_index_seq TO seatledger_runtime;
GRANT SELECT, INSERT, DELETE ON events.snapshot_event_entry TO seatledger_runtime;

-- Axon's tokens, deadlines (db-scheduler) and dead letters: working state, not history.
GRANT SELECT, INSERT, UPDATE, DELETE ON axon.token_entry, axon.scheduled_tasks, axon.dead_letter_entry TO seatledger_runtime;

-- Read models, rebuilt from the events at will, and their shadows during a rebuild.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA read_model, read_model_rebuild TO seatledger_runtime;

-- The audit trail and its shadow during a rebuild: appended and read. The archive of the trail before V14 is the owner's.
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA audit, audit_rebuild TO seatledger_runtime;
-- The live feed's numbering (V15) is written only by its trigger, which runs as the owner.
REVOKE INSERT ON audit.feed FROM seatledger_runtime;
REVOKE ALL ON audit.feed_heads FROM seatledger_runtime;
-- Signed checkpoints and the keys that signed them (V18) are appended and read like the trail; their numbering too.
GRANT USAGE ON SEQUENCE audit.checkpoints_number_seq TO seatledger_runtime;
-- The trail as it was chained before V14: the owner's archive.
REVOKE ALL ON audit.entries_v1 FROM seatledger_runtime;

-- Idempotency keys of HTTP requests.
GRANT SELECT, INSERT, UPDATE, DELETE ON api.idempotency_keys TO seatledger_runtime;

-- Billing: links and the webhook inbox are working state; a reconciliation's record is only added.
GRANT SELECT, INSERT, UPDATE ON billing.stripe_links, billing.webhook_events TO seatledger_runtime;
GRANT SELECT, INSERT ON billing.reconciliations, billing.reconciliation_drifts TO seatledger_runtime;

-- The rebuild's owner procedures.
GRANT EXECUTE ON PROCEDURE read_model.create_shadow_table(TEXT, TEXT), read_model.drop_shadow_table(TEXT, TEXT),
    read_model.swap_in_shadow_table(TEXT, TEXT) TO seatledger_runtime;

-- The erasure vault (V19): keys are added and destroyed (set to NULL), never deleted; erasures are added and completed.
GRANT USAGE ON SCHEMA vault TO seatledger_runtime;
REVOKE CREATE ON SCHEMA vault FROM seatledger_runtime;
REVOKE ALL ON ALL TABLES IN SCHEMA vault FROM seatledger_runtime;
GRANT SELECT, INSERT ON vault.org_keys TO seatledger_runtime;
GRANT SELECT, INSERT, UPDATE ON vault.subject_keys, vault.erasures TO seatledger_runtime;
