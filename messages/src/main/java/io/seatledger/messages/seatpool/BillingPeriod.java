package io.seatledger.messages.seatpool;

import java.time.Instant;

/** A billing period [start, end). */
public record BillingPeriod(Instant start, Instant end) {

    public static BillingPeriod startingAt(Instant start, BillingInterval interval) {
        return new BillingPeriod(start, interval.periodEndFrom(start));
    }

    public BillingPeriod next(BillingInterval interval) {
        return startingAt(end, interval);
    }
}
