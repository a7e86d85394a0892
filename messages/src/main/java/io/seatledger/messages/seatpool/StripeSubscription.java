package io.seatledger.messages.seatpool;

/** Where a pool lives in Stripe, when Stripe bills it; any id may still be unknown (null). */
public record StripeSubscription(String customerId, String subscriptionId, String subscriptionItemId, String checkoutSessionId) {
}
