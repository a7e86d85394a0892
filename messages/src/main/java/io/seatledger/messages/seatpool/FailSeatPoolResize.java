package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stripe refused the pending resize of a Stripe-billed pool, for good. */
public record FailSeatPoolResize(@TargetAggregateIdentifier String poolId, String orgId, String failure) implements ProviderCommand {
}
