package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** The grace period of an overdue pool ended without payment; its seats no longer entitle anyone. */
public record SeatPoolGraceExpired(String poolId, String orgId, Instant at) implements OrganizationEvent {
}
