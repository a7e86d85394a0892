package io.seatledger.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How tiers price seats (as Stripe does). {@code UNKNOWN} stands for a value this client version does not know yet. */
public enum TiersMode {
    VOLUME,
    GRADUATED,
    @JsonEnumDefaultValue
    UNKNOWN
}
