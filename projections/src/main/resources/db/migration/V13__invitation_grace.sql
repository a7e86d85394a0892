-- The invitation preview says whether the invitation can be claimed, which depends on the pool being in service
-- (active, or past due within its grace period): the function also returns whether the pool's grace expired.
DROP FUNCTION read_model.invitation(TEXT, TEXT);
CREATE FUNCTION read_model.invitation(p_seat_id TEXT, p_token_hash TEXT)
    RETURNS TABLE (org_id TEXT, org_name TEXT, pool_id TEXT, pool_status TEXT, grace_expired BOOLEAN, email TEXT, seat_status TEXT,
                   expires_at TIMESTAMPTZ)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
        SELECT s.org_id, o.name, s.pool_id, p.status, p.grace_expired, s.email, s.status, s.expires_at
        FROM read_model.seats s
        JOIN read_model.seat_pools p ON p.pool_id = s.pool_id
        LEFT JOIN read_model.organizations o ON o.org_id = s.org_id
        WHERE s.seat_id = p_seat_id AND s.invitation_token_hash = p_token_hash
    $$;
REVOKE ALL ON FUNCTION read_model.invitation(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION read_model.invitation(TEXT, TEXT) TO seatledger_reader;
