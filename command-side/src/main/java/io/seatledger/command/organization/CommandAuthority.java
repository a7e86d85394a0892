package io.seatledger.command.organization;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.BillingManagerCommand;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.ProviderCommand;
import io.seatledger.messages.common.SeatLedgerException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

import java.util.function.Supplier;

/**
 * Who may give which command. Billing-manager authority is domain state, so it is read from the
 * {@link Organization} aggregate in the same unit of work, never from a read model.
 */
public class CommandAuthority implements MessageHandlerInterceptor<CommandMessage<?>> {

    static final String SERVICE_ROLE = "service";

    private final Supplier<Repository<Organization>> organizations;

    public CommandAuthority(Supplier<Repository<Organization>> organizations) {
        this.organizations = organizations;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        AuditMetadata actor = AuditMetadata.from(command.getMetaData());
        Object payload = command.getPayload();
        if (payload instanceof BillingManagerCommand managed && !isBillingManager(actor, managed.orgId())) {
            throw new SeatLedgerException(ErrorCode.FORBIDDEN, "only the organization's billing manager may do this");
        }
        if (payload instanceof ProviderCommand && !isProvider(actor)) {
            throw new SeatLedgerException(ErrorCode.FORBIDDEN, "only the billing integration may do this");
        }
        return chain.proceed();
    }

    private boolean isBillingManager(AuditMetadata actor, String orgId) {
        if (actor.hasRole(Organization.ADMIN_ROLE)) {
            return true;
        }
        try {
            return organizations.get().load(orgId).invoke(organization -> organization.authorizes(actor));
        } catch (AggregateNotFoundException e) {
            throw new SeatLedgerException(ErrorCode.NOT_FOUND, "no such organization");
        }
    }

    private static boolean isProvider(AuditMetadata actor) {
        return actor.hasRole(SERVICE_ROLE) || actor.hasRole(Organization.ADMIN_ROLE) || actor.hasRole(AuditMetadata.SYSTEM_ACTOR);
    }
}
