package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.ProviderCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The overdue payment arrived; the pool is active again. */
public record RecoverSeatPoolPayment(@TargetAggregateIdentifier String poolId, String orgId) implements ProviderCommand {
}
