package io.seatledger.command.seatpool;

import java.time.Instant;

/** Payloads of the pool's deadlines; each names the instant it was set for, so a stale one is recognised and ignored. */
final class Deadlines {

    static final String INVITATION_EXPIRY = "invitation-expiry";
    static final String PERIOD_END = "period-end";
    static final String GRACE_END = "grace-end";

    private Deadlines() {
    }

    record InvitationsDue(Instant at) {
    }

    record PeriodEnds(Instant at) {
    }

    record GraceEnds(Instant at) {
    }
}
