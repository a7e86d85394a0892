package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;

import java.time.Instant;

/** A cancellation scheduled for the period's end was called off; the pool renews. */
public record SeatPoolCancellationWithdrawn(String poolId, String orgId, Instant withdrawnAt) implements OrganizationEvent {
}
