package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.BillingManagerCommand;
import io.seatledger.messages.pricing.Pricing;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Buys a pool of seats. Without {@code checkout} it is manually invoiced and active at once; with a Stripe checkout it awaits payment. */
public record PurchaseSeatPool(@TargetAggregateIdentifier String poolId, String orgId, PoolKind kind, int seats, Pricing pricing, BillingInterval interval, StripeSubscription checkout) implements BillingManagerCommand {
}
