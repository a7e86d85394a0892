package io.seatledger.client.model;

import java.time.Instant;

/**
 * One line a billing job invoices or reconciles: what a manually invoiced pool's purchase, renewal or resize cost,
 * or a refund (negative), in minor units of {@code currency}, for {@code seats} over the period (no end for an order).
 */
public record Charge(String chargeId, String poolId, String kind, int seats, long amount, String currency, Instant periodStart,
                    Instant periodEnd, long position, Instant occurredAt) {
}
