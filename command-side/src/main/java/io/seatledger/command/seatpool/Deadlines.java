package io.seatledger.command.seatpool;

import io.seatledger.messages.common.AuditMetadata;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.GenericMessage;

import java.time.Instant;

/**
 * The pool's deadlines. Each payload names the instant it was set for, so a stale one is recognised and ignored,
 * and knows its deadline's name and the reason recorded on what it causes.
 */
final class Deadlines {

    static final String INVITATION_EXPIRY = "invitation-expiry";
    static final String PERIOD_END = "period-end";
    static final String GRACE_END = "grace-end";

    private Deadlines() {
    }

    /** A deadline's payload. */
    sealed interface Due permits InvitationsDue, PeriodEnds, GraceEnds {
        Instant at();

        String deadlineName();

        String reason();
    }

    record InvitationsDue(Instant at) implements Due {
        public String deadlineName() {
            return INVITATION_EXPIRY;
        }

        public String reason() {
            return "invitation_expired";
        }
    }

    record PeriodEnds(Instant at) implements Due {
        public String deadlineName() {
            return PERIOD_END;
        }

        public String reason() {
            return "period_ended";
        }
    }

    record GraceEnds(Instant at) implements Due {
        public String deadlineName() {
            return GRACE_END;
        }

        public String reason() {
            return "grace_period_ended";
        }
    }

    /** Schedules the deadline of a pool. Deadlines act for the system, not for whoever caused them to be scheduled. */
    static void schedule(DeadlineManager deadlines, Due due, String poolId, String orgId) {
        String requestId = "deadline:" + due.reason() + ":" + poolId + ":" + due.at();
        deadlines.schedule(due.at(), due.deadlineName(), GenericMessage.asMessage(due).andMetaData(AuditMetadata.system(orgId, requestId, due.reason()).asMap()));
    }
}
