package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** A seat moved to another person: the old seat ended and a new pending one opened; capacity unchanged. */
public record SeatTransferred(String poolId, String orgId, String fromSeatId, SeatStatus previousStatus, String toSeatId, String toEmail, String invitationTokenHash, Instant expiresAt, Instant transferredAt) implements OrganizationEvent {
}
