package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Issues a new invitation for a pending seat; the old token stops working. */
public record ResendInvitation(@TargetAggregateIdentifier String poolId, String orgId, String seatId) implements BillingManagerCommand {
}
