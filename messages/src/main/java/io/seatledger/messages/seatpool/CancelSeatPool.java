package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Cancels the pool now, or at the end of its current period. */
public record CancelSeatPool(@TargetAggregateIdentifier String poolId, String orgId, boolean atPeriodEnd) implements BillingManagerCommand {
}
