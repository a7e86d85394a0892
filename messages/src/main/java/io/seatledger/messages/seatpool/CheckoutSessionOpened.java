package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;

import java.time.Instant;

/** A Stripe Checkout Session was opened to pay for a pool awaiting payment. */
public record CheckoutSessionOpened(String poolId, String orgId, String checkoutSessionId, Instant openedAt) implements OrganizationEvent {
}
