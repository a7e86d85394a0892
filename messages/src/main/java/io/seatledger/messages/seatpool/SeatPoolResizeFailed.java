package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** Stripe refused a requested resize; capacity is unchanged. */
public record SeatPoolResizeFailed(String poolId, String orgId, int seats, String failure, Instant failedAt) implements OrganizationEvent {
}
