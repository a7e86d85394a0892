package io.seatledger.messages.seatpool;

import java.time.Instant;

/** The billing provider set the capacity; seats in use above it are over-allocated and block new assignments. */
public record SeatCapacityForced(String poolId, String orgId, int previousCapacity, int capacity, Instant forcedAt) {
}
