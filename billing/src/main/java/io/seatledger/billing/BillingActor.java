package io.seatledger.billing;

import io.seatledger.messages.common.AuditMetadata;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.util.Map;
import java.util.Set;

/** Who the billing integration is in the audit trail: the actor of every command it gives. */
public final class BillingActor {

    public static final String ID = "stripe";
    static final String ROLE = "service";

    private BillingActor() {
    }

    /** Gives a command as the integration and waits; the request id makes a repeated attempt record nothing new. */
    public static void send(CommandGateway commands, Object command, String orgId, String requestId, String reason) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .withMetaData(new AuditMetadata(ID, Set.of(ROLE), requestId, reason, orgId).asMap()));
    }

    public static boolean caused(Map<String, ?> eventMetaData) {
        return ID.equals(AuditMetadata.from(eventMetaData).actorId());
    }

    /** Whether the integration gave the command because of a Stripe dispute event (its reason names the event type). */
    public static boolean aboutDisputes(Map<String, ?> eventMetaData) {
        String reason = AuditMetadata.from(eventMetaData).reason();
        return reason != null && reason.startsWith("stripe_charge_dispute_");
    }
}
