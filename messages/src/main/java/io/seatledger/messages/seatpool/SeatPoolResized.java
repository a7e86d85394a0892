package io.seatledger.messages.seatpool;

import java.time.Instant;

/** The pool's capacity changed. */
public record SeatPoolResized(String poolId, String orgId, int previousCapacity, int capacity, ProrationBehavior prorationBehavior, Instant resizedAt) {
}
