package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/**
 * Payment of the pool is in question ({@code cause}; {@code disputeId} names the dispute for {@link SuspensionCause#DISPUTE}):
 * the pool is suspended, its seats are kept and entitle nobody, and no seat can be assigned or claimed.
 */
public record SeatPoolSuspended(String poolId, String orgId, SuspensionCause cause, String disputeId, Instant at) implements OrganizationEvent {
}
