package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives a seat to an e-mail address: an invitation to claim it, or a seat claimed at once by the user
 * {@code holderUserId} names (required exactly when {@code immediateClaim} is set).
 */
public record AssignSeat(@TargetAggregateIdentifier String poolId, String orgId, String seatId, String email, boolean immediateClaim,
                         String holderUserId, Map<String, String> metadata) implements BillingManagerCommand {
}
