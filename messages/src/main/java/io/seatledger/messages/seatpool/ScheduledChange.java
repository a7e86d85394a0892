package io.seatledger.messages.seatpool;

import java.time.Instant;

/** A capacity change waiting for the end of the period. */
public record ScheduledChange(int seats, Instant effectiveAt) {
}
