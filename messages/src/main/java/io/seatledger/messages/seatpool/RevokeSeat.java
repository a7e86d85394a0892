package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Takes a pending or claimed seat back, freeing its capacity. */
public record RevokeSeat(@TargetAggregateIdentifier String poolId, String orgId, String seatId) implements BillingManagerCommand {
}
