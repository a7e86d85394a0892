package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Starts the pool's next billing period. */
public record RenewBillingPeriod(@TargetAggregateIdentifier String poolId, String orgId, BillingPeriod period) implements ProviderCommand {
}
