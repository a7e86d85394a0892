package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** The pool was canceled; its seats are revoked by the events that follow. */
public record SeatPoolCanceled(String poolId, String orgId, Instant canceledAt) implements OrganizationEvent {
}
