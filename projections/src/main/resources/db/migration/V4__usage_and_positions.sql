-- Per-organization usage over the pools in service (active, or past due within their grace period): the
-- same pools whose claimed seats entitle their holders. Recomputed from read_model.seat_pools whenever a
-- pool's counts or status change, in the same transaction.
CREATE TABLE read_model.org_usage (
    org_id    TEXT    PRIMARY KEY,
    capacity  INTEGER NOT NULL,
    pending   INTEGER NOT NULL,
    claimed   INTEGER NOT NULL,
    available INTEGER NOT NULL,
    pools     INTEGER NOT NULL,
    position  BIGINT  NOT NULL
);

-- How far each processor segment has processed the event stream, written with (and only with) its token:
-- position is the highest event position seen, complete_to the highest position below which no event can
-- still arrive (the gap-aware token's lowest gap, minus one). Readers use it to wait for their writes,
-- to measure lag, and to resume streams without missing late-committed events.
CREATE TABLE read_model.processed_positions (
    processor   TEXT        NOT NULL,
    segment     INTEGER     NOT NULL,
    position    BIGINT      NOT NULL,
    complete_to BIGINT      NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (processor, segment)
);

-- Seats page in the order they were assigned.
CREATE INDEX seats_by_pool_and_time ON read_model.seats (pool_id, assigned_at, seat_id);

-- The event each audit entry records, so a pool's raw history read from the event store (the JDBC store or
-- Axon Server, which does not give global positions per aggregate) can show each event's global position.
-- Not part of the entry's hash: the position already identifies the event.
ALTER TABLE audit.entries ADD COLUMN event_id TEXT;
CREATE INDEX entries_by_event ON audit.entries (event_id);
