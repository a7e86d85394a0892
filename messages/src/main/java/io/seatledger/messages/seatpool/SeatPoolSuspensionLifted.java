package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/**
 * One cause of a suspension is gone (the invoice was paid, the dispute {@code disputeId} was won); {@code status} is the pool's
 * status after it: active, or still suspended while another cause remains.
 */
public record SeatPoolSuspensionLifted(String poolId, String orgId, SuspensionCause cause, String disputeId, PoolStatus status, Instant at)
        implements OrganizationEvent {
}
