-- Outbound webhooks continue the trace of the event they deliver, and an endpoint's backlog is bounded
-- (docs/decisions.md, "Outbound webhooks").

-- the W3C traceparent stored with the event, so that every attempt, also a retry days later, is a span of its trace
ALTER TABLE webhooks.deliveries ADD COLUMN traceparent TEXT;

-- pending_deliveries: the endpoint's deliveries still pending, kept by the statements that change a delivery's status,
-- so that the bound is checked without counting; skipped_events: events not queued for it because that was full
ALTER TABLE webhooks.endpoints
    ADD COLUMN pending_deliveries INT         NOT NULL DEFAULT 0,
    ADD COLUMN skipped_events     BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN last_skipped_at    TIMESTAMPTZ;
UPDATE webhooks.endpoints e
SET pending_deliveries = (SELECT count(*) FROM webhooks.deliveries d WHERE d.endpoint_id = e.endpoint_id AND d.status = 'pending');

-- due deliveries are picked endpoint by endpoint (the first few of each), not from one list of every due delivery
DROP INDEX webhooks.deliveries_due;
CREATE INDEX deliveries_due_by_endpoint ON webhooks.deliveries (endpoint_id, next_attempt_at, position, rank) WHERE status = 'pending';
CREATE INDEX endpoints_with_pending ON webhooks.endpoints (endpoint_id) WHERE pending_deliveries > 0 AND disabled_at IS NULL;
