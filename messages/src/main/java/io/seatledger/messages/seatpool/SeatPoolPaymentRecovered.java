package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** The overdue payment arrived; the pool is active and entitles again. */
public record SeatPoolPaymentRecovered(String poolId, String orgId, Instant at) implements OrganizationEvent {
}
