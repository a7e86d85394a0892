package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** The pool's capacity changed. */
public record SeatPoolResized(String poolId, String orgId, int previousCapacity, int capacity, ProrationBehavior prorationBehavior, Instant resizedAt) implements OrganizationEvent {
}
