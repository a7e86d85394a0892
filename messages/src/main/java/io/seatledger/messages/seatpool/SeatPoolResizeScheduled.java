package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** A capacity change will apply when the current period ends. */
public record SeatPoolResizeScheduled(String poolId, String orgId, int seats, Instant effectiveAt) implements OrganizationEvent {
}
