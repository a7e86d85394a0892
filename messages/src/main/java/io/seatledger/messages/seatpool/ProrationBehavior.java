package io.seatledger.messages.seatpool;

/** Stripe's proration behaviours for a quantity change. */
public enum ProrationBehavior {
    CREATE_PRORATIONS,
    ALWAYS_INVOICE,
    NONE
}
