package io.seatledger.command.seatpool;

import java.time.Duration;

/**
 * Configurable limits of the seat rules.
 *
 * @param invitationValidity  how long an invitation can be claimed
 * @param maxBulkSeats        the most seats one bulk assignment may hold
 * @param expiryCheckInterval invitations expiring within one such interval share one expiry check (at its end)
 */
public record SeatPolicy(Duration invitationValidity, int maxBulkSeats, Duration expiryCheckInterval) {

    public static final SeatPolicy DEFAULT = new SeatPolicy(Duration.ofDays(7), 10_000, Duration.ofMinutes(1));

    public SeatPolicy {
        if (expiryCheckInterval.toMillis() < 1) {
            throw new IllegalArgumentException("the expiry check interval must be at least a millisecond");
        }
    }
}
