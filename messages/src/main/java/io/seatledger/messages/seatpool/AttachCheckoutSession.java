package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records the Stripe Checkout Session in which a pool awaiting payment is to be paid. */
public record AttachCheckoutSession(@TargetAggregateIdentifier String poolId, String orgId, String checkoutSessionId)
        implements BillingManagerCommand {
}
