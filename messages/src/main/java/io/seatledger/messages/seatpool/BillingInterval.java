package io.seatledger.messages.seatpool;

import java.time.Instant;
import java.time.ZoneOffset;

public enum BillingInterval {
    MONTH,
    YEAR;

    /** The end of a period that starts at {@code start}, calendar-aware in UTC as Stripe bills. */
    public Instant periodEndFrom(Instant start) {
        var utc = start.atZone(ZoneOffset.UTC);
        return (this == MONTH ? utc.plusMonths(1) : utc.plusYears(1)).toInstant();
    }
}
