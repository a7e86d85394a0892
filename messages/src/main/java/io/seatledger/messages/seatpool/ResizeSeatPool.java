package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Changes a subscription pool's capacity, now (prorated) or at the end of the period. */
public record ResizeSeatPool(@TargetAggregateIdentifier String poolId, String orgId, int seats, ResizeTiming timing, ProrationBehavior prorationBehavior) implements BillingManagerCommand {
}
