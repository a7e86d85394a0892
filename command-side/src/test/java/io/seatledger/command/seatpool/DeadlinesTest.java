package io.seatledger.command.seatpool;

import io.seatledger.command.seatpool.Deadlines.GraceEnds;
import io.seatledger.command.seatpool.Deadlines.InvitationsDue;
import io.seatledger.command.seatpool.Deadlines.PeriodEnds;
import io.seatledger.messages.common.AuditMetadata;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.Message;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class DeadlinesTest {

    static final Instant AT = Instant.parse("2026-04-01T10:00:00Z");

    @Test
    void eachPayloadNamesItsDeadlineAndReason() {
        assertThat(new InvitationsDue(AT)).extracting(Deadlines.Due::deadlineName, Deadlines.Due::reason)
                .containsExactly(Deadlines.INVITATION_EXPIRY, "invitation_expired");
        assertThat(new PeriodEnds(AT)).extracting(Deadlines.Due::deadlineName, Deadlines.Due::reason)
                .containsExactly(Deadlines.PERIOD_END, "period_ended");
        assertThat(new GraceEnds(AT)).extracting(Deadlines.Due::deadlineName, Deadlines.Due::reason)
                .containsExactly(Deadlines.GRACE_END, "grace_period_ended");
    }

    @Test
    void aDeadlineIsScheduledForItsInstantAndActsForTheSystem() {
        DeadlineManager deadlines = mock(DeadlineManager.class);
        Deadlines.schedule(deadlines, new PeriodEnds(AT), "pool-1", "org-1");
        ArgumentCaptor<Message<?>> scheduled = ArgumentCaptor.forClass(Message.class);
        verify(deadlines).schedule(eq(AT), eq(Deadlines.PERIOD_END), scheduled.capture());
        assertThat(scheduled.getValue().getPayload()).isEqualTo(new PeriodEnds(AT));
        AuditMetadata actor = AuditMetadata.from(scheduled.getValue().getMetaData());
        assertThat(actor).isEqualTo(AuditMetadata.system("org-1", "deadline:period_ended:pool-1:2026-04-01T10:00:00Z", "period_ended"));
    }

}
