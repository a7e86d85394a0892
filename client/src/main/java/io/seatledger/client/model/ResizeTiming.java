package io.seatledger.client.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** When a resize takes effect. {@code UNKNOWN} stands for a value this client version does not know yet. */
public enum ResizeTiming {
    NOW,
    PERIOD_END,
    @JsonEnumDefaultValue
    UNKNOWN
}
