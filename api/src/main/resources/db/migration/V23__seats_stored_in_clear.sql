-- Before a seat is given, its address is compared with the pool's occupied seats stored in clear before sealing
-- (ClearSeats). That lookup read every seat of the pool (a scan of the whole table for a large pool) on every
-- assignment. Such seats are a set that only shrinks (no seat is stored in clear any more), so a partial index of
-- them alone answers it at once and costs new seats nothing. The lookup names the same conditions as literals, as the
-- planner uses a partial index only for a query that states its predicate.
CREATE INDEX seats_stored_in_clear ON read_model.seats (pool_id, lower(email))
    WHERE status IN ('PENDING', 'CLAIMED') AND email NOT LIKE 'pd1:%';
