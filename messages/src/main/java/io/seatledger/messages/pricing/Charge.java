package io.seatledger.messages.pricing;

import java.time.Instant;

/**
 * One line of a pool's bill as the pricing module computed it when the event happened, so that whoever invoices or
 * reconciles never redoes the tier maths: {@code seats} billed, {@code amount} in minor units of {@code currency}
 * (negative for a credit or refund), for the period {@code [periodStart, periodEnd)} it covers ({@code periodEnd} null
 * for a one-time order, both null for a refund, which covers no period).
 */
public record Charge(int seats, long amount, String currency, Instant periodStart, Instant periodEnd) {
}
