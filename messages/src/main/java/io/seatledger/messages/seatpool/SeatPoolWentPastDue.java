package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** A payment failed; seats stay usable until the grace period ends. */
public record SeatPoolWentPastDue(String poolId, String orgId, Instant graceEndsAt, Instant at) implements OrganizationEvent {
}
