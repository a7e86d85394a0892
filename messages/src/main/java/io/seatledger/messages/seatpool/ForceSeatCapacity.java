package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The billing provider decided the capacity (for instance a quantity lowered in Stripe's dashboard); seats in use are kept. */
public record ForceSeatCapacity(@TargetAggregateIdentifier String poolId, String orgId, int capacity) implements ProviderCommand {
}
