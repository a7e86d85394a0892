package io.seatledger.client.model;

import java.time.Instant;

/** A capacity change waiting for the end of the period. */
public record ScheduledChange(int seats, Instant effectiveAt) {
}
