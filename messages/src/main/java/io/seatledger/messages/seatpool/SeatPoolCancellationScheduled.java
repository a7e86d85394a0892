package io.seatledger.messages.seatpool;

import java.time.Instant;

/** The pool will be canceled when its current period ends. */
public record SeatPoolCancellationScheduled(String poolId, String orgId, Instant effectiveAt) {
}
