-- Keys and records for erasing personal data (GDPR Art. 17), kept apart from the event store, the read models and
-- the audit trail: schema vault. Every key is stored wrapped (AES-GCM) by the key-encryption key, which lives in the
-- service's configuration or data directory, never in the database. A destroyed key is a NULL: rows are never
-- deleted, so an erasure stays on record (by the subject's keyed digest, never the address).

CREATE SCHEMA IF NOT EXISTS vault;

-- One HMAC key per organization: subject digests of two organizations cannot be compared.
CREATE TABLE vault.org_keys (
    org_id      TEXT        PRIMARY KEY,
    wrapped_key TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One data key per subject (normalized e-mail address within an organization); NULL once erased.
CREATE TABLE vault.subject_keys (
    org_id         TEXT        NOT NULL,
    subject_digest TEXT        NOT NULL,
    key_id         TEXT        NOT NULL UNIQUE,
    wrapped_key    TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    erased_at      TIMESTAMPTZ,
    PRIMARY KEY (org_id, subject_digest),
    CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);

-- Erasure requests: one per subject and organization (a repeated request answers the first). A pending one is
-- finished by the service on behalf of its requester (actor and roles), by digest alone.
CREATE TABLE vault.erasures (
    erasure_id     TEXT        PRIMARY KEY,
    org_id         TEXT        NOT NULL,
    subject_digest TEXT        NOT NULL,
    requested_by   TEXT        NOT NULL,
    requester_roles TEXT       NOT NULL,
    requested_at   TIMESTAMPTZ NOT NULL,
    completed_at   TIMESTAMPTZ,
    UNIQUE (org_id, subject_digest)
);
