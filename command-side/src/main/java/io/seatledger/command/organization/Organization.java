package io.seatledger.command.organization;

import io.seatledger.messages.common.AuditMetadata;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.common.PlainText;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.messages.organization.AppointBillingManager;
import io.seatledger.messages.organization.BillingManager;
import io.seatledger.messages.organization.BillingManagerChanged;
import io.seatledger.messages.organization.CreateOrganization;
import io.seatledger.messages.organization.OrganizationCreated;
import io.seatledger.messages.organization.OrganizationSummary;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A tenant. It decides one thing: who its billing manager is. */
@Aggregate
public class Organization {

    private static final int MAX_NAME_LENGTH = 200;

    @AggregateIdentifier
    private String orgId;
    private String name;
    private BillingManager billingManager;

    protected Organization() {
    }

    /** Nothing with a control character reaches an event, whichever way the command came (see {@link PlainText}). */
    @CommandHandlerInterceptor
    public Object refuseControlCharacters(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if (!PlainText.isPlain(command.getMetaData())) {
            throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "the command's metadata must not contain control characters");
        }
        return chain.proceed();
    }

    /** Creating an organization twice answers the existing one, so clients can safely retry. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public OrganizationSummary handle(CreateOrganization command) {
        if (orgId != null) {
            return summary(false);
        }
        String name = command.name() == null ? null : PlainText.nfc(command.name().trim());
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || !PlainText.isPlain(command.name())) {
            throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "name must be 1 to " + MAX_NAME_LENGTH + " characters, none a control character");
        }
        apply(new OrganizationCreated(command.orgId(), name, canonical(command.billingManager())));
        return summary(true);
    }

    @CommandHandler
    public OrganizationSummary handle(AppointBillingManager command, MetaData metaData) {
        if (!billingAuthority().authorizes(AuditMetadata.from(metaData))) {
            throw new SeatLedgerException(ErrorCode.FORBIDDEN, "only the billing manager or an admin may appoint a billing manager");
        }
        BillingManager appointed = canonical(command.billingManager());
        if (!appointed.equals(billingManager)) {
            apply(new BillingManagerChanged(orgId, billingManager, appointed));
        }
        return summary(false);
    }

    /** Who may act as this organization's billing manager, as of this version of it. */
    public BillingAuthority billingAuthority() {
        return new BillingAuthority(billingManager.userId());
    }

    private OrganizationSummary summary(boolean created) {
        return new OrganizationSummary(orgId, name, billingManager, created);
    }

    /** The billing manager as stored: a user id and a valid e-mail address, without control characters, the address in NFC. */
    private static BillingManager canonical(BillingManager manager) {
        if (manager == null || manager.userId() == null || manager.userId().isBlank() || !PlainText.isPlain(manager.userId())
                || !PersonalData.isValid(manager.email())) {
            throw new SeatLedgerException(ErrorCode.VALIDATION_FAILED, "billing manager needs a user id and a valid e-mail, without control characters");
        }
        return new BillingManager(manager.userId(), PersonalData.stored(manager.email()));
    }

    @EventSourcingHandler
    void on(OrganizationCreated event) {
        orgId = event.orgId();
        name = event.name();
        billingManager = event.billingManager();
    }

    @EventSourcingHandler
    void on(BillingManagerChanged event) {
        billingManager = event.billingManager();
    }
}
