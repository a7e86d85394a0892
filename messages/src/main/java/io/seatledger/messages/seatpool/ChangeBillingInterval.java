package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves a subscription pool to monthly or yearly billing. */
public record ChangeBillingInterval(@TargetAggregateIdentifier String poolId, String orgId, BillingInterval interval) implements BillingManagerCommand {
}
