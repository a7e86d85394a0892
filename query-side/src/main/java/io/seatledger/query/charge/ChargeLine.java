package io.seatledger.query.charge;

import java.time.Instant;

/**
 * One charge line as a billing job invoices or reconciles it: {@code amount} in minor units of {@code currency} (negative:
 * a credit or refund), for {@code seats} over {@code [periodStart, periodEnd)}; {@code kind} is purchase, renewal,
 * proration or refund; {@code position} is the event's global position, {@code occurredAt} when it was recorded.
 */
public record ChargeLine(String chargeId, String poolId, String kind, int seats, long amount, String currency, Instant periodStart,
                         Instant periodEnd, long position, Instant occurredAt) {
}
