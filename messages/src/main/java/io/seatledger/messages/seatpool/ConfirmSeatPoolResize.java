package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stripe accepted the pending resize of a Stripe-billed pool. */
public record ConfirmSeatPoolResize(@TargetAggregateIdentifier String poolId, String orgId) implements ProviderCommand {
}
