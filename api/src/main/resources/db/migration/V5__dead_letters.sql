-- Axon's JDBC dead-letter queue: events a projection could not apply, kept in order per sequence (an
-- organization, for the processors sequenced by organization) until a retry applies them. Axon's table
-- factory writes this table in camelCase; these are the same columns in this schema's snake_case.
CREATE TABLE axon.dead_letter_entry (
    dead_letter_identifier VARCHAR(255)  NOT NULL PRIMARY KEY,
    processing_group       VARCHAR(255)  NOT NULL,
    sequence_identifier    VARCHAR(255)  NOT NULL,
    sequence_index         BIGINT        NOT NULL,
    message_type           VARCHAR(255)  NOT NULL,
    event_identifier       VARCHAR(255)  NOT NULL,
    time_stamp             VARCHAR(255)  NOT NULL,
    payload_type           VARCHAR(255)  NOT NULL,
    payload_revision       VARCHAR(255),
    payload                BYTEA         NOT NULL,
    meta_data              BYTEA,
    aggregate_type         VARCHAR(255),
    aggregate_identifier   VARCHAR(255),
    sequence_number        BIGINT,
    token_type             VARCHAR(255),
    token                  BYTEA,
    enqueued_at            VARCHAR(255)  NOT NULL,
    last_touched           VARCHAR(255),
    processing_started     VARCHAR(255),
    cause_type             VARCHAR(255),
    cause_message          VARCHAR(1023),
    diagnostics            BYTEA,
    UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX dead_letter_entry_by_group ON axon.dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_by_sequence ON axon.dead_letter_entry (processing_group, sequence_identifier);
