package io.seatledger.client.model;

import java.time.Instant;

/** What an invitation opens, readable without an account. */
public record InvitationPreview(String orgName, String poolId, String email, Instant expiresAt, boolean canClaim) {
}
