package io.seatledger.command.seatpool;

import java.time.Instant;

/**
 * One check that expires the pending invitations of (from, runsAt]. Invitations are expired by one check per
 * interval of expiry times (a minute by default), not one per invitation: scheduling a durable deadline costs
 * database round trips, and a pool may hand out thousands of invitations a minute. A claim still honours the
 * exact expiry; the capacity is freed when the check runs, at the end of the interval.
 */
record ExpiryCheck(Instant from, Instant runsAt) {

    /** The check whose interval holds {@code expiresAt}. */
    static ExpiryCheck covering(Instant expiresAt, SeatPolicy policy) {
        long step = policy.expiryCheckInterval().toMillis();
        Instant runsAt = Instant.ofEpochMilli(Math.floorDiv(expiresAt.toEpochMilli(), step) * step);
        if (runsAt.isBefore(expiresAt)) {
            runsAt = runsAt.plusMillis(step);
        }
        return new ExpiryCheck(runsAt.minusMillis(step), runsAt);
    }
}
