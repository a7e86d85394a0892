package io.seatledger.client.model;

import java.time.Instant;

/** A fresh invitation: its token (shown only in the answer that issues it), expiry and claim link. */
public record Invitation(String token, Instant expiresAt, String claimUrl) {

    @Override
    public String toString() {
        return "Invitation[expiresAt=" + expiresAt + "]";
    }
}
