-- A command's answer names the global position of its last event (Seat-Ledger-Position); an answer replayed for
-- the same Idempotency-Key names it too.
ALTER TABLE api.idempotency_keys ADD COLUMN position BIGINT;

-- The gaps of each segment's token at or below its position: global indexes taken by transactions the segment had
-- not seen committed. A read waiting for a position waits only for those of them that are stored events by then;
-- one left by a rolled-back transaction never is, and holds nobody up (complete_to stays below it until Axon drops it).
ALTER TABLE read_model.processed_positions ADD COLUMN gaps BIGINT[] NOT NULL DEFAULT '{}';

-- Answers to commands no longer wait for a pool's row to reach the pool's version, so nobody listens for
-- seatledger_pool_versions any more: the feed's announcement stays, the per-row version announcement goes.
CREATE OR REPLACE FUNCTION read_model.record_pool_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO read_model.pool_changes (position, org_id, pool_id, status, capacity, pending, claimed)
    VALUES (NEW.position, NEW.org_id, NEW.pool_id, NEW.status, NEW.capacity, NEW.pending, NEW.claimed)
    ON CONFLICT (position) DO NOTHING;
    PERFORM pg_notify('seatledger_changes', NEW.org_id);
    RETURN NULL;
END $$;
