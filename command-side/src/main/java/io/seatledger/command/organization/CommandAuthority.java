package io.seatledger.command.organization;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.BillingManagerCommand;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.ProviderCommand;
import io.seatledger.messages.common.SeatLedgerException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;

import java.util.Optional;
import java.util.function.Function;

/**
 * Who may give which command. Billing-manager authority is domain state: it comes from the
 * {@link Organization} aggregate's own events, folded by its own event-sourcing handlers, never from a read
 * model. They are read from the event store without loading the aggregate through its repository, which
 * would hold the organization's lock until the command ends and so queue every command of a tenant behind
 * the slowest. The authority is remembered per version and re-read only when the organization's last
 * sequence number moved, which one indexed lookup tells, so a change made on any instance is seen by the
 * next command. Each event is applied by the organization's own event-sourcing handler, through Axon's model of the
 * aggregate, so there is one place that says what an event changes.
 */
public class CommandAuthority implements MessageHandlerInterceptor<CommandMessage<?>> {

    static final String SERVICE_ROLE = "service";
    private static final int REMEMBERED_ORGANIZATIONS = 10_000;
    private static final AggregateModel<Organization> ORGANIZATION = AnnotatedAggregateMetaModelFactory.inspectAggregate(Organization.class);

    private final Function<String, DomainEventStream> organizationEvents;
    private final Function<String, Optional<Long>> lastSequenceNumber;
    private final Cache<String, VersionedAuthority> remembered = Caffeine.newBuilder().maximumSize(REMEMBERED_ORGANIZATIONS).build();

    public CommandAuthority(Function<String, DomainEventStream> organizationEvents, Function<String, Optional<Long>> lastSequenceNumber) {
        this.organizationEvents = organizationEvents;
        this.lastSequenceNumber = lastSequenceNumber;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        AuditMetadata actor = AuditMetadata.from(command.getMetaData());
        Object payload = command.getPayload();
        if (payload instanceof BillingManagerCommand managed && !authorityOf(managed.orgId()).authorizes(actor)) {
            throw new SeatLedgerException(ErrorCode.FORBIDDEN, "only the organization's billing manager may do this");
        }
        if (payload instanceof ProviderCommand && !isProvider(actor)) {
            throw new SeatLedgerException(ErrorCode.FORBIDDEN, "only the billing integration may do this");
        }
        return chain.proceed();
    }

    private BillingAuthority authorityOf(String orgId) {
        long version = Optional.ofNullable(orgId).flatMap(lastSequenceNumber)
                .orElseThrow(() -> new SeatLedgerException(ErrorCode.NOT_FOUND, "no such organization"));
        VersionedAuthority known = remembered.getIfPresent(orgId);
        if (known == null || known.version() != version) {
            Organization organization = new Organization();
            long folded = -1;
            DomainEventStream events = organizationEvents.apply(orgId);
            while (events.hasNext()) {
                DomainEventMessage<?> event = events.next();
                ORGANIZATION.publish(event, organization);
                folded = event.getSequenceNumber();
            }
            known = new VersionedAuthority(folded, organization.billingAuthority());
            remembered.put(orgId, known);
        }
        return known.authority();
    }

    private static boolean isProvider(AuditMetadata actor) {
        return actor.hasRole(SERVICE_ROLE) || actor.hasRole(BillingAuthority.ADMIN_ROLE) || actor.hasRole(AuditMetadata.SYSTEM_ACTOR);
    }

    private record VersionedAuthority(long version, BillingAuthority authority) {
    }
}
