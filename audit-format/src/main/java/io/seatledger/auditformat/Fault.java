package io.seatledger.auditformat;

/**
 * The first thing wrong with a trail: its kind, and the entry where it shows (its position; null for a checkpointed
 * head that is missing altogether), with that entry's aggregate and sequence.
 */
public record Fault(Kind kind, Long position, String aggregateId, long sequence) {

    public enum Kind {
        /** The entry's hash is not the hash of what it records. */
        MODIFIED,
        /** An entry is missing: its aggregate's sequence skips a number that never appears, or a checkpointed head is gone. */
        DELETED,
        /** An entry claims a sequence its aggregate already has, or a first entry links to a predecessor. */
        INSERTED,
        /** Positions go backwards, an aggregate's entries are out of sequence order, or an entry links to another than its predecessor. */
        REORDERED;

        /** The kind as the API and the verifier's reports name it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Fault as(Kind other) {
        return new Fault(other, position, aggregateId, sequence);
    }
}
