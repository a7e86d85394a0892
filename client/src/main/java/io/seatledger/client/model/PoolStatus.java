package io.seatledger.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** A pool's status; only {@code ACTIVE}, and {@code PAST_DUE} within its grace period, entitle seat holders. {@code UNKNOWN} stands for a value this client version does not know yet. */
public enum PoolStatus {
    AWAITING_PAYMENT,
    ACTIVE,
    PAST_DUE,
    SUSPENDED,
    CANCELED,
    @JsonEnumDefaultValue
    UNKNOWN
}
