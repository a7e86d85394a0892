package io.seatledger.messages.pricing;

/** Stripe's two tier modes: volume prices every unit at the tier the total reaches; graduated fills tiers in order. */
public enum TiersMode {
    VOLUME,
    GRADUATED
}
