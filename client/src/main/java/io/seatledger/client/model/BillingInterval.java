package io.seatledger.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** A subscription's billing interval. {@code UNKNOWN} stands for a value this client version does not know yet. */
public enum BillingInterval {
    MONTH,
    YEAR,
    @JsonEnumDefaultValue
    UNKNOWN
}
