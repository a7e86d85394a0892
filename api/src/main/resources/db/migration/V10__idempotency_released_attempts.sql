-- An attempt that ended without an answer worth keeping (5xx, a malformed request) frees its key but leaves
-- its request id: a retry of the same request runs under it again, so the write model recognises what the
-- failed attempt already recorded (and the ids it made) instead of doing it twice.
ALTER TABLE api.idempotency_keys ADD COLUMN released BOOLEAN NOT NULL DEFAULT FALSE;
