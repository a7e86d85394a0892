package io.seatledger.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** A seat's status. {@code UNKNOWN} stands for a value this client version does not know yet. */
public enum SeatStatus {
    PENDING,
    CLAIMED,
    REVOKED,
    EXPIRED,
    @JsonEnumDefaultValue
    UNKNOWN
}
