package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** The billing provider set the capacity; {@code overAllocated} seats in use above it are kept and block new assignments. */
public record SeatCapacityForced(String poolId, String orgId, int previousCapacity, int capacity, int overAllocated, Instant forcedAt) implements OrganizationEvent {
}
