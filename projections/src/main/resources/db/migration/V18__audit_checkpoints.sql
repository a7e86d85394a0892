-- Signed checkpoints of the audit trail (docs/audit-format.md, "Checkpoints"). The service signs, with an Ed25519 key,
-- the Merkle root over an organization's aggregate heads at a position up to which its trail is complete. An auditor
-- who keeps a checkpoint catches a later rewrite of history, hashes recomputed and all.

-- Every public key that ever signed a checkpoint, so that old checkpoints stay verifiable after the key is rotated;
-- published at GET /api/v1/audit/keys. kid is the RFC 7638 thumbprint of the key, x its 32 bytes in base64url.
CREATE TABLE audit.signing_keys (
    kid        TEXT        PRIMARY KEY,
    x          TEXT        NOT NULL UNIQUE,
    first_used TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- number orders an organization's checkpoints for paging; checkpoint_id is what clients see.
CREATE TABLE audit.checkpoints (
    number        BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    checkpoint_id TEXT        NOT NULL UNIQUE,
    org_id        TEXT        NOT NULL,
    up_to         BIGINT      NOT NULL,
    head_hash     TEXT        NOT NULL,
    signed_at     TIMESTAMPTZ NOT NULL,
    key_id        TEXT        NOT NULL REFERENCES audit.signing_keys (kid),
    signature     TEXT        NOT NULL
);
CREATE INDEX checkpoints_by_org ON audit.checkpoints (org_id, number);

-- The heads at a position: for each aggregate of an organization, its entry of highest sequence at or below it.
CREATE INDEX entries_by_org_aggregate ON audit.entries (org_id, aggregate_id, sequence DESC) INCLUDE (position, hash);

-- Like the trail itself: appended and read by the service, never changed (R__runtime_privileges.sql); the reader role
-- sees its tenant's checkpoints only (the keys, public, are read by the service itself).
GRANT SELECT ON audit.checkpoints TO seatledger_reader;
ALTER TABLE audit.checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON audit.checkpoints FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
CREATE POLICY projection_rows ON audit.checkpoints FOR ALL TO seatledger_runtime USING (true) WITH CHECK (true);
CREATE POLICY owner_rows ON audit.checkpoints FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);

-- Immutable like the trail: not even the owner changes a checkpoint or drops a key without disabling this first.
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON audit.checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER signing_keys_append_only BEFORE UPDATE OR DELETE ON audit.signing_keys
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
