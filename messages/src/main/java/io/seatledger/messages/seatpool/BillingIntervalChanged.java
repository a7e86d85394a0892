package io.seatledger.messages.seatpool;

import java.time.Instant;

/** The pool now bills on another interval. */
public record BillingIntervalChanged(String poolId, String orgId, BillingInterval previousInterval, BillingInterval interval, Instant changedAt) {
}
