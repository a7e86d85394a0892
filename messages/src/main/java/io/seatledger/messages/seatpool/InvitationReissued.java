package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** A pending seat got a new invitation; the previous token no longer works. */
public record InvitationReissued(String poolId, String orgId, String seatId, String invitationTokenHash, Instant expiresAt, Instant reissuedAt) implements OrganizationEvent {
}
