package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Payment arrived for a pool that awaited it. */
public record ActivateSeatPool(@TargetAggregateIdentifier String poolId, String orgId, BillingPeriod period, StripeSubscription stripe) implements ProviderCommand {
}
