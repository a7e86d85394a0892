package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** A seat was taken back and its capacity freed. */
public record SeatRevoked(String poolId, String orgId, String seatId, SeatStatus previousStatus, RevocationReason reason, Instant revokedAt) implements OrganizationEvent {
}
