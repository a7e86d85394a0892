package io.seatledger.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How a resize is prorated. {@code UNKNOWN} stands for a value this client version does not know yet. */
public enum ProrationBehavior {
    CREATE_PRORATIONS,
    ALWAYS_INVOICE,
    NONE,
    @JsonEnumDefaultValue
    UNKNOWN
}
