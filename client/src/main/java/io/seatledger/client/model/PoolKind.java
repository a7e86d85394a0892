package io.seatledger.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** A pool's kind. {@code UNKNOWN} stands for a value this client version does not know yet. */
public enum PoolKind {
    SUBSCRIPTION,
    ORDER,
    @JsonEnumDefaultValue
    UNKNOWN
}
