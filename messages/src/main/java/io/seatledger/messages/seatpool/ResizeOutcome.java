package io.seatledger.messages.seatpool;

/** What a resize request led to. */
public enum ResizeOutcome {
    /** Capacity changed now. */
    APPLIED,
    /** Capacity changes when the current period ends. */
    SCHEDULED,
    /** A Stripe-billed pool: Stripe must accept the new quantity first (HTTP 202). */
    AWAITING_PROVIDER
}
