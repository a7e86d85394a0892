package io.seatledger.messages.seatpool;

import java.time.Instant;

/** An invitation as its invitee receives it; the token is shown once and never stored. */
public record Invitation(String token, Instant expiresAt) {

    /** Never print the token. */
    @Override
    public String toString() {
        return "Invitation[expiresAt=" + expiresAt + "]";
    }
}
