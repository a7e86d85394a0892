package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** The pool will be canceled when its current period ends. */
public record SeatPoolCancellationScheduled(String poolId, String orgId, Instant effectiveAt) implements OrganizationEvent {
}
