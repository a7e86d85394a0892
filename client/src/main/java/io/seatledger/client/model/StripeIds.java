package io.seatledger.client.model;

/** Where a pool lives in Stripe, when Stripe bills it; any id may be null. */
public record StripeIds(String customerId, String subscriptionId, String subscriptionItemId, String checkoutSessionId) {
}
