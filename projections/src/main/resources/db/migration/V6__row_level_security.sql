-- Defence in depth for the read path: the query side reads as seatledger_reader (SET LOCAL ROLE in each
-- read transaction, after naming its tenant in seatledger.org_id), and row-level security shows that role
-- only the tenant's rows. A read without the tenant setting sees nothing. The projections write as the
-- tables' owner, which row-level security does not restrict.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'seatledger_reader') THEN
        CREATE ROLE seatledger_reader NOLOGIN;
    END IF;
END $$;
GRANT seatledger_reader TO CURRENT_USER;

GRANT USAGE ON SCHEMA read_model, audit TO seatledger_reader;
GRANT SELECT ON read_model.organizations, read_model.seat_pools, read_model.seats, read_model.org_usage, audit.entries TO seatledger_reader;
GRANT EXECUTE ON FUNCTION audit.entry_hash(TEXT, BIGINT, TEXT, TIMESTAMPTZ, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, JSONB) TO seatledger_reader;

ALTER TABLE read_model.organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE read_model.seat_pools ENABLE ROW LEVEL SECURITY;
ALTER TABLE read_model.seats ENABLE ROW LEVEL SECURITY;
ALTER TABLE read_model.org_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.entries ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_rows ON read_model.organizations FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
CREATE POLICY tenant_rows ON read_model.seat_pools FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
CREATE POLICY tenant_rows ON read_model.seats FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
CREATE POLICY tenant_rows ON read_model.org_usage FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
CREATE POLICY tenant_rows ON audit.entries FOR SELECT TO seatledger_reader
    USING (org_id = current_setting('seatledger.org_id', true));
