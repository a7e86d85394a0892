package io.seatledger.api.erasure;

import java.time.Instant;

/** An erasure request as the API shows it: never the address, which is what it erased. */
public record Erasure(String erasureId, String status, Instant requestedAt, Instant completedAt) {

    public static final String PENDING = "pending";
    public static final String DONE = "done";

    static Erasure of(String erasureId, Instant requestedAt, Instant completedAt) {
        return new Erasure(erasureId, completedAt == null ? PENDING : DONE, requestedAt, completedAt);
    }
}
