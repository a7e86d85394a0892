package io.seatledger.client.model;

import java.time.Instant;

/** A billing period [start, end). */
public record BillingPeriod(Instant start, Instant end) {
}
