package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;
import java.util.Map;

/** A seat was assigned to an e-mail address. Only the invitation token's SHA-256 is kept. */
public record SeatAssigned(String poolId, String orgId, String seatId, String email, String invitationTokenHash, Instant expiresAt, Map<String, String> metadata, Instant assignedAt) implements OrganizationEvent {
}
