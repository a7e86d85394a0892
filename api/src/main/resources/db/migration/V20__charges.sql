-- The charges pools' events carry (docs/decisions.md, "Charges"): one row per charge line, keyed by the event's global
-- position, so a redelivered or replayed event adds nothing. Rebuilt with the seat-pools projection; read by tenant.

CREATE TABLE read_model.charges (
    position     BIGINT      PRIMARY KEY,
    charge_id    TEXT        NOT NULL,
    org_id       TEXT        NOT NULL,
    pool_id      TEXT        NOT NULL,
    kind         TEXT        NOT NULL,
    seats        INTEGER     NOT NULL,
    amount       BIGINT      NOT NULL,
    currency     TEXT        NOT NULL,
    period_start TIMESTAMPTZ,
    period_end   TIMESTAMPTZ,
    occurred_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX charges_by_org ON read_model.charges (org_id, occurred_at, position);
CREATE INDEX charges_by_pool ON read_model.charges (pool_id, occurred_at, position);

-- As every tenant table (V6, V12): the reader sees its tenant's rows, the runtime role and the owner all.
GRANT SELECT ON read_model.charges TO seatledger_reader;
ALTER TABLE read_model.charges ENABLE ROW LEVEL SECURITY;
ALTER TABLE read_model.charges FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON read_model.charges FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
CREATE POLICY projection_rows ON read_model.charges FOR ALL TO seatledger_runtime USING (true) WITH CHECK (true);
CREATE POLICY owner_rows ON read_model.charges FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);
