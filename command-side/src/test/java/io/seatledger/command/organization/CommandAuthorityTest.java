package io.seatledger.command.organization;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.BillingManagerChanged;
import io.seatledger.messages.organization.OrganizationCreated;
import io.seatledger.messages.seatpool.CancelSeatPool;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The authority is folded from the organization's stored events by the organization's own event-sourcing handlers. */
class CommandAuthorityTest {

    static final String ORG = "org-1";
    static final BillingManager FIRST = new BillingManager("user-1", "first@example.com");
    static final BillingManager SECOND = new BillingManager("user-2", "second@example.com");

    private final List<DomainEventMessage<?>> history = List.of(
            new GenericDomainEventMessage<>("Organization", ORG, 0, new OrganizationCreated(ORG, "Acme", FIRST)),
            new GenericDomainEventMessage<>("Organization", ORG, 1, new BillingManagerChanged(ORG, FIRST, SECOND)));
    private final CommandAuthority authority = new CommandAuthority(orgId -> DomainEventStream.of(history.stream()), orgId -> Optional.of(1L));

    private Object cancelAs(String actorId) throws Exception {
        CommandMessage<?> command = GenericCommandMessage.<CancelSeatPool>asCommandMessage(new CancelSeatPool("pool-1", ORG, false))
                .andMetaData(new AuditMetadata(actorId, Set.of(), "req-1", "", ORG).asMap());
        UnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(command);
        try {
            return authority.handle(unitOfWork, () -> "proceeded");
        } finally {
            unitOfWork.rollback();
        }
    }

    @Test
    void theBillingManagerAppointedLastMayActAndTheFormerOneMayNot() throws Exception {
        assertThat(cancelAs(SECOND.userId())).isEqualTo("proceeded");
        assertThatThrownBy(() -> cancelAs(FIRST.userId()))
                .isInstanceOfSatisfying(SeatLedgerException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }
}
